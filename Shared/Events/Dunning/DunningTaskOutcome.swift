/// How a collector's task ended. An open set (a struct, not an enum), encoded as its raw
/// string: later releases of v1 may add outcomes; treat an unknown one like `done`.
public struct DunningTaskOutcome: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A call reached the contact, with no commitment.
    public static let reached = DunningTaskOutcome(rawValue: "reached")
    /// The contact promised to pay (`promise` says when and how much).
    public static let promiseToPay = DunningTaskOutcome(rawValue: "promiseToPay")
    /// The contact disputes the invoices (invoicing records the dispute itself).
    public static let disputeRaised = DunningTaskOutcome(rawValue: "disputeRaised")
    /// The contact is not the right person, or the number is wrong.
    public static let wrongContact = DunningTaskOutcome(rawValue: "wrongContact")
    /// Nobody answered: the call is retried later.
    public static let noAnswer = DunningTaskOutcome(rawValue: "noAnswer")
    /// An approval was given: the step goes ahead.
    public static let approved = DunningTaskOutcome(rawValue: "approved")
    /// An approval was refused: the step is skipped.
    public static let rejected = DunningTaskOutcome(rawValue: "rejected")
    /// A filing or a declaration was made.
    public static let done = DunningTaskOutcome(rawValue: "done")

    /// The values this version of the code publishes.
    public static let known: [DunningTaskOutcome] = [
        .reached, .promiseToPay, .disputeRaised, .wrongContact, .noAnswer, .approved, .rejected, .done,
    ]

    public var description: String { rawValue }
}
