import Money

/// `relance.invoice.written-off.v1`: the open balance was written off as a loss.
public struct InvoiceWrittenOff: DomainEvent, Hashable {
    public static let eventType = "relance.invoice.written-off.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var amount: Money
    public var reason: String

    public init(customerId: String, invoiceId: String, number: String, amount: Money, reason: String) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.amount = amount
        self.reason = reason
    }

    public var subject: String? { invoiceId }
}
