import Money

/// `relance.dunning.promise-recorded.v1`: a customer promised to pay; reminders of its
/// invoices hold until the promised date. Either `dunning.promise-broken` follows, or
/// nothing (the invoices were paid: `invoice.settled`).
public struct DunningPromiseRecorded: CustomerEvent, Hashable {
    public static let eventType = "relance.dunning.promise-recorded.v1"
    public static let topic = Topic.dunning

    public var customerId: String
    public var promiseId: String
    /// The invoices it covers, at least one.
    public var invoiceIds: [String]
    /// The day the customer promised to pay by.
    public var payBy: CalendarDate
    /// What it promised to pay, more than zero.
    public var amount: Money
    /// The phone-call task it was made on; absent when recorded otherwise (by hand, by mail).
    public var taskId: String?

    public init(customerId: String, promiseId: String, invoiceIds: [String], payBy: CalendarDate, amount: Money, taskId: String? = nil) {
        self.customerId = customerId
        self.promiseId = promiseId
        self.invoiceIds = invoiceIds
        self.payBy = payBy
        self.amount = amount
        self.taskId = taskId
    }

    public var subject: String? { promiseId }
}
