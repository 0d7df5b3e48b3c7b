import Money

/// `relance.dunning.promise-broken.v1`: the promised date passed (the day after it, in the
/// customer's time zone) without the promised amount received on its invoices; dunning
/// resumes, possibly on a stricter scenario (`dunning.scenario-changed`, `promiseBroken`).
public struct DunningPromiseBroken: CustomerEvent, Hashable {
    public static let eventType = "relance.dunning.promise-broken.v1"
    public static let topic = Topic.dunning

    public var customerId: String
    /// The promise, as in its `dunning.promise-recorded`.
    public var promiseId: String
    /// The invoices it covered, at least one.
    public var invoiceIds: [String]
    /// The day that passed.
    public var payBy: CalendarDate
    /// What was promised.
    public var amount: Money
    /// What was received on the invoices from the promise until `payBy` (less than `amount`).
    public var received: Money

    public init(customerId: String, promiseId: String, invoiceIds: [String], payBy: CalendarDate, amount: Money, received: Money) {
        self.customerId = customerId
        self.promiseId = promiseId
        self.invoiceIds = invoiceIds
        self.payBy = payBy
        self.amount = amount
        self.received = received
    }

    public var subject: String? { promiseId }
}
