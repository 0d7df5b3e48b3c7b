/// `relance.invoice.schedule-set.v1`: the invoice is to be paid in instalments; this plan
/// replaces any earlier one. Published when an invoice is issued under instalment terms and
/// when a plan is set through the API.
public struct InvoiceScheduleSet: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.schedule-set.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    /// Dates strictly ascending, amounts in the invoice currency summing to its total.
    public var instalments: [Instalment]
    /// The invoice's due date now: the last instalment's.
    public var dueDate: CalendarDate
    /// Why the plan was set. An open set: `paymentTerms` (issued under instalment terms) or
    /// `request` (set through the API); treat an unknown cause like `request`.
    public var cause: String

    public init(customerId: String, invoiceId: String, number: String, instalments: [Instalment], dueDate: CalendarDate, cause: String) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.instalments = instalments
        self.dueDate = dueDate
        self.cause = cause
    }

    public var subject: String? { invoiceId }
}
