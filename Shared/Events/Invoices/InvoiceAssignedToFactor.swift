/// `relance.invoice.assigned-to-factor.v1`: the invoice was sold to a factor (affacturage).
/// In `notified` mode the factor collects and Relance no longer reminds it; in `confidential`
/// mode the seller keeps collecting in its own name.
///
/// `mode` absent (events published before it existed) means `notified`, the only behaviour
/// there was.
public struct InvoiceAssignedToFactor: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.assigned-to-factor.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var factorName: String
    /// Who collects; absent means `notified`.
    public var mode: FactoringMode?
    /// The day of the assignment.
    public var assignedOn: CalendarDate?

    public init(
        customerId: String, invoiceId: String, number: String, factorName: String,
        mode: FactoringMode? = nil, assignedOn: CalendarDate? = nil
    ) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.factorName = factorName
        self.mode = mode
        self.assignedOn = assignedOn
    }

    public var subject: String? { invoiceId }
}
