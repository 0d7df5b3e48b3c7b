/// What the service keeps per customer between two assignments.
public struct AssignmentState: Sendable, Hashable, Codable {
    /// The scenario the customer is on.
    public var scenario: String
    /// Rungs above the base scenario that payment behaviour put them (0: none).
    public var level: Int

    /// Creates a state.
    public init(scenario: String, level: Int) {
        self.scenario = scenario
        self.level = level
    }
}
