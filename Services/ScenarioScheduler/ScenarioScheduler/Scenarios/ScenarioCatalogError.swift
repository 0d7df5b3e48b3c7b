/// A catalog operation that cannot be done: what, and what to do.
public struct ScenarioCatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable, Codable {
        /// No scenario has that name.
        case unknownScenario
        /// The scenario has no such version.
        case unknownVersion
        /// The version has no step with that id.
        case unknownStep
        /// The scenario breaks a rule (see ``ScenarioCatalogError/validation``).
        case invalidScenario
    }

    /// What went wrong.
    public var code: Code
    /// What is wrong and what to do.
    public var reason: String
    /// The validation problems, for ``Code/invalidScenario``.
    public var validation: ScenarioValidationError?

    /// Creates an error.
    public init(_ code: Code, _ reason: String, validation: ScenarioValidationError? = nil) {
        self.code = code
        self.reason = reason
        self.validation = validation
    }

    /// The reason.
    public var description: String { reason }
}
