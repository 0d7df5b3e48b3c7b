import Money

/// `relance.customer.credit-limit-exceeded.v1`: the customer's exposure in the limit's currency
/// (open balance − unapplied credit; other currencies do not count) went above its credit
/// limit. Published once per crossing; `customer.credit-limit-cleared` follows when it goes
/// back under, and only then can it be published again.
public struct CustomerCreditLimitExceeded: CustomerEvent, Hashable {
    public static let eventType = "relance.customer.credit-limit-exceeded.v1"
    public static let topic = Topic.customers
    public var customerId: String
    public var customerNumber: String
    public var creditLimit: Money
    /// The exposure in the limit's currency: open balance − unapplied credit, above the limit.
    public var openBalance: Money

    public init(customerId: String, customerNumber: String, creditLimit: Money, openBalance: Money) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.creditLimit = creditLimit
        self.openBalance = openBalance
    }

    public var subject: String? { customerId }
}
