/// `relance.dunning.task-created.v1`: a person has something to do for a customer's dunning:
/// a phone call, an approval before a formal notice or hand-over, a claim to file, a
/// declaration to the credit insurer. Its `dunning.task-completed` follows when done.
public struct DunningTaskCreated: CustomerEvent, Hashable {
    public static let eventType = "relance.dunning.task-created.v1"
    public static let topic = Topic.dunning

    public var customerId: String
    public var taskId: String
    public var kind: DunningTaskKind
    /// The invoices it is about, at least one.
    public var invoiceIds: [String]
    /// The day it should be done by.
    public var dueOn: CalendarDate
    /// The scenario step that created it; absent for a task created by hand or by a rule
    /// outside the scenario (an insurance declaration deadline, a claim-filing deadline).
    public var step: DunningStepReference?
    /// The contact to call, for a phone call.
    public var contactId: String?

    public init(
        customerId: String, taskId: String, kind: DunningTaskKind, invoiceIds: [String], dueOn: CalendarDate,
        step: DunningStepReference? = nil, contactId: String? = nil
    ) {
        self.customerId = customerId
        self.taskId = taskId
        self.kind = kind
        self.invoiceIds = invoiceIds
        self.dueOn = dueOn
        self.step = step
        self.contactId = contactId
    }

    public var subject: String? { taskId }
}
