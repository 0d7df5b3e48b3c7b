/// `relance.invoice.assigned-to-factor.v1`: the invoice was sold to a factor (affacturage); Relance no longer reminds it.
public struct InvoiceAssignedToFactor: DomainEvent, Hashable {
    public static let eventType = "relance.invoice.assigned-to-factor.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var factorName: String

    public init(customerId: String, invoiceId: String, number: String, factorName: String) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.factorName = factorName
    }

    public var subject: String? { invoiceId }
}
