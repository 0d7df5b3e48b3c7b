/// An assignment configuration that cannot work: every problem, each a sentence.
public struct ScenarioAssignmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Each problem, saying where and what to do.
    public var problems: [String]

    /// Creates the error.
    public init(problems: [String]) { self.problems = problems }

    /// The problems, one a line.
    public var description: String { "the scenario assignment is invalid:\n" + problems.map { "- \($0)" }.joined(separator: "\n") }
}
