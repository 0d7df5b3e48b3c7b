/// `relance.invoice.dispute-resolved.v1`: the dispute is over; reminders may resume.
public struct InvoiceDisputeResolved: DomainEvent, Hashable {
    public static let eventType = "relance.invoice.dispute-resolved.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var resolution: String

    public init(customerId: String, invoiceId: String, number: String, resolution: String) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.resolution = resolution
    }

    public var subject: String? { invoiceId }
}
