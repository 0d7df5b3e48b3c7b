/// Everything wrong with a scenario (or its YAML), each problem located by its path
/// (`steps[3].channel`, steps counted from 0 in file order) and, for YAML, its line.
public struct ScenarioValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Code: String, Sendable, Hashable, Codable {
        /// The YAML cannot be read at all (syntax).
        case malformedYAML
        /// A key the format does not know (a typo must not pass silently).
        case unknownKey
        /// A required key is missing.
        case missingKey
        /// A value of the wrong kind (a list where a number is expected...).
        case wrongType
        /// A channel, role, mode, charge or risk name that does not exist.
        case unknownValue
        /// A scenario without steps.
        case emptyScenario
        /// A name, step id or template id not in kebab-case or too long.
        case invalidIdentifier
        /// Two steps with the same id.
        case duplicateStepID
        /// An offset outside -90...3650 days.
        case offsetOutOfRange
        /// Steps not in order of their offsets.
        case stepsOutOfOrder
        /// Charges claimed before they are owed (a formal notice before the due date).
        case chargesBeforeDue
        /// An agency escalation that is not the last step.
        case escalationNotLast
        /// A value that contradicts another one (a deadline on an e-mail, a duplicated
        /// fallback role, a negative minimum...).
        case invalidValue
    }

    /// One problem.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// What kind of problem.
        public var code: Code
        /// Where: `steps[3].channel`; empty for the whole document.
        public var path: String
        /// The 1-based line in the YAML, when the scenario came from YAML.
        public var line: Int?
        /// What is wrong and what to do.
        public var message: String

        /// Creates a problem.
        public init(_ code: Code, at path: String, line: Int? = nil, _ message: String) {
            self.code = code
            self.path = path
            self.line = line
            self.message = message
        }

        /// `steps[3].channel (line 27): ...`.
        public var description: String {
            let place = path.isEmpty ? "document" : path
            return line.map { "\(place) (line \($0)): \(message)" } ?? "\(place): \(message)"
        }
    }

    /// The scenario's name when known.
    public var scenario: String?
    /// Every problem found, in document order.
    public var problems: [Problem]

    /// Creates the error.
    public init(scenario: String?, problems: [Problem]) {
        self.scenario = scenario
        self.problems = problems
    }

    /// One line per problem after a summary.
    public var description: String {
        let subject = scenario.map { "scenario '\($0)'" } ?? "the scenario"
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "\(subject) is invalid (\(count)):\n" + problems.map { "- \($0)" }.joined(separator: "\n")
    }
}
