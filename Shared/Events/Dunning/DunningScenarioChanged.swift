/// `relance.dunning.scenario-changed.v1`: a customer follows another dunning scenario (or
/// version) from now on: its first assignment, a move to a stricter or gentler one, or a
/// person's choice. Steps already executed stay; the next ones come from `to`.
public struct DunningScenarioChanged: CustomerEvent, Hashable {
    public static let eventType = "relance.dunning.scenario-changed.v1"
    public static let topic = Topic.dunning

    public var customerId: String
    /// The scenario followed until now; absent for the first assignment.
    public var from: DunningScenarioReference?
    /// The scenario followed from now on.
    public var to: DunningScenarioReference
    /// Why, as a code.
    public var reasonCode: ScenarioChangeReason
    /// Why, for people: "3 of the last 5 invoices were paid more than 15 days late."
    public var reason: String

    public init(customerId: String, from: DunningScenarioReference?, to: DunningScenarioReference, reasonCode: ScenarioChangeReason, reason: String) {
        self.customerId = customerId
        self.from = from
        self.to = to
        self.reasonCode = reasonCode
        self.reason = reason
    }

    public var subject: String? { customerId }
}
