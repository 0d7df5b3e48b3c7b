/// The scenario a customer gets, why, and whether it changed (then the service publishes
/// `dunning.scenario-changed` with ``reason``).
public struct AssignmentDecision: Sendable, Hashable {
    /// Where the base scenario came from.
    public enum Source: Sendable, Hashable {
        /// The customer's explicit assignment.
        case explicit
        /// The rule at this index (from 0) of ``ScenarioAssignment/rules``.
        case rule(Int)
        /// The default scenario.
        case defaultScenario
    }

    /// Why the customer is on ``scenario``: a code for programs, a sentence for people.
    public struct Reason: Sendable, Hashable, Codable {
        /// The reason's kind.
        public enum Code: String, Sendable, Hashable, Codable {
            /// Assigned to the customer by a person.
            case explicit
            /// Chosen by a segment / risk / strategic rule.
            case rule
            /// No assignment or rule applies.
            case `default`
            /// Moved to a stricter scenario by payment behaviour.
            case tightened
            /// Moved back towards the base scenario as payment behaviour improved.
            case relaxed
            /// Kept on a stricter scenario: the figures are not good enough yet to move back.
            case keptStricter = "kept-stricter"
        }

        /// The reason's kind.
        public var code: Code
        /// One sentence.
        public var sentence: String
    }

    /// The scenario to run.
    public var scenario: String
    /// The scenario before behaviour-based tightening.
    public var baseScenario: String
    /// Where the base came from.
    public var source: Source
    /// Why.
    public var reason: Reason
    /// What to keep for the next decision.
    public var state: AssignmentState
    /// The scenario before, if the customer had one.
    public var previousScenario: String?

    /// Whether the scenario differs from the previous one (a customer's first assignment counts).
    public var changed: Bool { previousScenario != scenario }
}
