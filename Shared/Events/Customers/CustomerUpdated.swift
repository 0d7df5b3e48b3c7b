/// `relance.customer.updated.v1`: contacts, terms, segment, risk, limit or any other field
/// changed. Carries the whole new state and the names of the fields that changed.
public struct CustomerUpdated: DomainEvent, Hashable {
    public static let eventType = "relance.customer.updated.v1"
    public static let topic = Topic.customers
    public var customer: CustomerSnapshot
    /// Top-level field names that changed, e.g. `["contacts", "riskCategory"]`.
    public var changedFields: [String]

    public init(customer: CustomerSnapshot, changedFields: [String]) {
        self.customer = customer
        self.changedFields = changedFields
    }

    public var customerId: String { customer.customerId }
    public var subject: String? { customer.customerId }
}
