/// `relance.invoice.due-date-changed.v1`: the creditor moved the invoice's due date (a
/// payment delay granted, a correction). Reminders follow the new date.
public struct InvoiceDueDateChanged: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.due-date-changed.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var previousDueDate: CalendarDate
    public var dueDate: CalendarDate
    public var reason: String

    public init(customerId: String, invoiceId: String, number: String, previousDueDate: CalendarDate, dueDate: CalendarDate, reason: String) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.previousDueDate = previousDueDate
        self.dueDate = dueDate
        self.reason = reason
    }

    public var subject: String? { invoiceId }
}
