import Money

/// `relance.customer.credit-limit-cleared.v1`: a customer flagged over its credit limit is no
/// longer over it, because its exposure went back to the limit or under it (payments, credit
/// notes, cancellations, unapplied credit, a raised limit) or because the limit was removed.
/// Published once per crossing back, after a `customer.credit-limit-exceeded`; the two
/// alternate for a customer.
public struct CustomerCreditLimitCleared: CustomerEvent, Hashable {
    /// Why the customer is no longer over its limit.
    public enum Reason: String, Codable, Hashable, Sendable, CaseIterable {
        /// Exposure is at or under the limit again.
        case underLimit
        /// The customer no longer has a credit limit.
        case limitRemoved
    }

    /// The CloudEvents type.
    public static let eventType = "relance.customer.credit-limit-cleared.v1"
    /// Published on the customers topic.
    public static let topic = Topic.customers
    /// The customer: the record key.
    public var customerId: String
    /// The creditor's own number for the customer.
    public var customerNumber: String
    /// The credit limit now; `nil` when it was removed.
    public var creditLimit: Money?
    /// Open balance in the limit's (the customer's) currency minus unapplied credit in it; may
    /// be zero or negative.
    public var exposure: Money
    /// Why the flag was cleared.
    public var reason: Reason

    /// Creates the event.
    public init(customerId: String, customerNumber: String, creditLimit: Money?, exposure: Money, reason: Reason) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.creditLimit = creditLimit
        self.exposure = exposure
        self.reason = reason
    }

    /// `ce_subject`: the customer id.
    public var subject: String? { customerId }
}
