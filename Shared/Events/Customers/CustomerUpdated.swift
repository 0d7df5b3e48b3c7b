/// `relance.customer.updated.v1`: contacts, terms, segment, risk, limit or any other field
/// changed. Carries the whole new state and the names of the fields that changed.
public struct CustomerUpdated: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.updated.v1"
    public static let topic = Topic.customers
    public var customer: CustomerSnapshot
    /// The customer's version: 1 when registered, one more on every change. A customer event
    /// with a lower version than one already seen (here or in an invoice event's
    /// `customerVersion`) is stale. Absent from events written before it existed.
    public var customerVersion: Int?
    /// Top-level field names that changed, e.g. `["contacts", "riskCategory"]`.
    public var changedFields: [String]

    public init(customer: CustomerSnapshot, changedFields: [String], customerVersion: Int? = nil) {
        self.customer = customer
        self.changedFields = changedFields
        self.customerVersion = customerVersion
    }

    public var customerId: String { customer.customerId }
    public var subject: String? { customer.customerId }
}
