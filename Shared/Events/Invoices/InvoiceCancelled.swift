/// `relance.invoice.cancelled.v1`: the invoice was cancelled (nothing had been paid on it).
public struct InvoiceCancelled: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.cancelled.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var reason: String?

    public init(customerId: String, invoiceId: String, number: String, reason: String?) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.reason = reason
    }

    public var subject: String? { invoiceId }
}
