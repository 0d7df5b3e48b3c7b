/// Whether a step runs on its own or needs a person.
public enum StepMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// The scheduler sends it when due.
    case automatic
    /// A person approves it (a formal notice, an agency hand-off) or performs it (a phone call):
    /// the scheduler creates a task instead of sending.
    case manual
}
