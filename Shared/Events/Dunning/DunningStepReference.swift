/// One step of a dunning scenario at one version.
public struct DunningStepReference: Codable, Sendable, Hashable {
    /// The scenario's name, e.g. `standard-b2b`.
    public var name: String
    /// The scenario's version, from 1.
    public var version: Int
    /// The step, unique within the scenario version, e.g. `reminder-1`.
    public var stepId: String

    public init(name: String, version: Int, stepId: String) {
        self.name = name
        self.version = version
        self.stepId = stepId
    }

    /// The step of a scenario version.
    public init(scenario: DunningScenarioReference, stepId: String) {
        self.init(name: scenario.name, version: scenario.version, stepId: stepId)
    }

    /// The scenario version the step belongs to.
    public var scenario: DunningScenarioReference { DunningScenarioReference(name: name, version: version) }
}
