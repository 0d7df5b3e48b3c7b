/// `relance.dunning.task-completed.v1`: a person finished a task, with its outcome, which
/// feeds back into the schedule: a promise to pay holds the reminders until its date (a
/// `dunning.promise-recorded` follows), a dispute holds the invoices (invoicing publishes
/// `invoice.disputed`), no answer plans another call.
public struct DunningTaskCompleted: CustomerEvent, Hashable {
    public static let eventType = "relance.dunning.task-completed.v1"
    public static let topic = Topic.dunning

    public var customerId: String
    /// The task, as in its `dunning.task-created`.
    public var taskId: String
    public var kind: DunningTaskKind
    /// The invoices it was about, at least one.
    public var invoiceIds: [String]
    public var outcome: DunningTaskOutcome
    /// The promise, for the outcome `promiseToPay`.
    public var promise: PromiseToPay?
    /// The collector's note, when any.
    public var note: String?

    public init(
        customerId: String, taskId: String, kind: DunningTaskKind, invoiceIds: [String], outcome: DunningTaskOutcome,
        promise: PromiseToPay? = nil, note: String? = nil
    ) {
        self.customerId = customerId
        self.taskId = taskId
        self.kind = kind
        self.invoiceIds = invoiceIds
        self.outcome = outcome
        self.promise = promise
        self.note = note
    }

    public var subject: String? { taskId }
}
