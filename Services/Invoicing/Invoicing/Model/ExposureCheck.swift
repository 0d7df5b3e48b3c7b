import Money

/// The figures of a credit check that found a customer going over its limit.
public struct ExposureCheck: Codable, Sendable, Hashable {
    public var creditLimit: Money
    /// Exposure in the limit's currency before the quote or order.
    public var exposureBefore: Money
    /// What the quote or order adds (VAT included).
    public var amount: Money
    /// Exposure after it: `exposureBefore + amount`, above `creditLimit`.
    public var exposureAfter: Money
    /// The customer's policy when it was checked.
    public var policy: CreditPolicy

    public init(creditLimit: Money, exposureBefore: Money, amount: Money, exposureAfter: Money, policy: CreditPolicy) {
        self.creditLimit = creditLimit
        self.exposureBefore = exposureBefore
        self.amount = amount
        self.exposureAfter = exposureAfter
        self.policy = policy
    }

    /// The figures in a sentence, for a 409 problem's detail.
    var summary: String {
        "exposure \(exposureBefore) + \(amount) = \(exposureAfter) would exceed the credit limit \(creditLimit) (policy \(policy.rawValue))"
    }
}
