/// `relance.invoice.released-from-factor.v1`: a factored invoice came back to the seller
/// (the factor re-assigned it, or the contract ended); the seller collects it again and
/// reminders follow the usual rules.
public struct InvoiceReleasedFromFactor: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.released-from-factor.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    /// The factor the invoice had been assigned to.
    public var factorName: String
    /// The mode it had been assigned in.
    public var mode: FactoringMode
    /// The day the invoice came back.
    public var releasedOn: CalendarDate

    public init(customerId: String, invoiceId: String, number: String, factorName: String, mode: FactoringMode, releasedOn: CalendarDate) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.factorName = factorName
        self.mode = mode
        self.releasedOn = releasedOn
    }

    public var subject: String? { invoiceId }
}
