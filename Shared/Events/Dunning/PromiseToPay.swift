import Money

/// A customer's promise to pay an amount by a date.
public struct PromiseToPay: Codable, Sendable, Hashable {
    /// The day the customer promised to pay by.
    public var payBy: CalendarDate
    /// What it promised to pay, more than zero.
    public var amount: Money

    public init(payBy: CalendarDate, amount: Money) {
        self.payBy = payBy
        self.amount = amount
    }
}
