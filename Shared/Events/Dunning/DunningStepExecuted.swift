import Foundation

/// `relance.dunning.step-executed.v1`: the scenario scheduler carried out a step of a
/// customer's scenario for some of its invoices: it requested a notification
/// (`notificationId`), created a collector's task (`taskId`) or opened a collection case
/// (`caseId`), in the same transaction. One per step and set of invoices; a replay publishes
/// nothing new.
public struct DunningStepExecuted: CustomerEvent, Hashable {
    public static let eventType = "relance.dunning.step-executed.v1"
    public static let topic = Topic.dunning

    public var customerId: String
    /// The invoices the step was for, at least one.
    public var invoiceIds: [String]
    /// The step.
    public var step: DunningStepReference
    /// How it was carried out.
    public var channel: DunningStepChannel
    /// The `notification.requested` it issued, for a notification channel.
    public var notificationId: String?
    /// The `dunning.task-created` it issued, for a phone call.
    public var taskId: String?
    /// The `collection.case-opened` it issued, for a hand-over to an agency.
    public var caseId: String?
    /// When the scheduler executed it (its clock; the planned time may be earlier after a
    /// catch-up).
    public var executedAt: Date

    public init(
        customerId: String, invoiceIds: [String], step: DunningStepReference, channel: DunningStepChannel, notificationId: String? = nil,
        taskId: String? = nil, caseId: String? = nil, executedAt: Date
    ) {
        self.customerId = customerId
        self.invoiceIds = invoiceIds
        self.step = step
        self.channel = channel
        self.notificationId = notificationId
        self.taskId = taskId
        self.caseId = caseId
        self.executedAt = executedAt
    }

    public var subject: String? { customerId }
}
