/// `relance.customer.registered.v1`: a customer was created.
public struct CustomerRegistered: DomainEvent, Hashable {
    public static let eventType = "relance.customer.registered.v1"
    public static let topic = Topic.customers
    public var customer: CustomerSnapshot

    public init(customer: CustomerSnapshot) {
        self.customer = customer
    }

    public var customerId: String { customer.customerId }
    public var subject: String? { customer.customerId }
}
