import Money

/// `relance.customer.credit-limit-exceeded.v1`: the customer's open balance went above its
/// credit limit. Published once per crossing (again only after it went back under).
public struct CustomerCreditLimitExceeded: DomainEvent, Hashable {
    public static let eventType = "relance.customer.credit-limit-exceeded.v1"
    public static let topic = Topic.customers
    public var customerId: String
    public var customerNumber: String
    public var creditLimit: Money
    public var openBalance: Money

    public init(customerId: String, customerNumber: String, creditLimit: Money, openBalance: Money) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.creditLimit = creditLimit
        self.openBalance = openBalance
    }

    public var subject: String? { customerId }
}
