/// `relance.customer.registered.v1`: a customer was created.
public struct CustomerRegistered: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.registered.v1"
    public static let topic = Topic.customers
    public var customer: CustomerSnapshot
    /// The customer's version: 1 when registered, one more on every change. A customer event
    /// with a lower version than one already seen (here or in an invoice event's
    /// `customerVersion`) is stale. Absent from events written before it existed.
    public var customerVersion: Int?

    public init(customer: CustomerSnapshot, customerVersion: Int? = nil) {
        self.customer = customer
        self.customerVersion = customerVersion
    }

    public var customerId: String { customer.customerId }
    public var subject: String? { customer.customerId }
}
