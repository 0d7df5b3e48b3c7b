import Money

/// `relance.invoice.paid.v1`: the invoice is fully paid. Published once.
public struct InvoicePaid: DomainEvent, Hashable {
    public static let eventType = "relance.invoice.paid.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var totalAmount: Money
    /// The value date of the payment that settled it.
    public var paidOn: CalendarDate

    public init(customerId: String, invoiceId: String, number: String, totalAmount: Money, paidOn: CalendarDate) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.totalAmount = totalAmount
        self.paidOn = paidOn
    }

    public var subject: String? { invoiceId }
}
