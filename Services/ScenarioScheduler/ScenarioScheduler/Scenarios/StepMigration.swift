/// Where a schedule stands after moving to another scenario version, and why.
public struct StepMigration: Sendable, Hashable {
    /// How the step was found.
    public enum Rule: String, Sendable, Hashable, Codable {
        /// The target version has a step with the same id.
        case sameID
        /// No step with that id: the first target step at the same offset or later.
        case nextByOffset
        /// No step with that id and none at that offset or later: nothing is left to do.
        case noStepLeft
    }

    /// The version the schedule ran.
    public var from: ScenarioReference
    /// The version it runs now.
    public var to: ScenarioReference
    /// The step it was waiting for in ``from``.
    public var fromStep: DunningStep
    /// The step it waits for in ``to``; `nil` when none is left.
    public var toStep: DunningStep?
    /// How ``toStep`` was chosen.
    public var rule: Rule
    /// A sentence for the timeline.
    public var explanation: String
}
