import Foundation

/// A prospect's vetting as recorded: what was given (checked, ``VettingDraft``) and when.
public struct Vetting: Codable, Sendable, Hashable {
    /// The checked vetting data and decision.
    public var details: VettingDraft
    /// When it was recorded.
    public var decidedAt: Date

    public init(details: VettingDraft, decidedAt: Date) {
        self.details = details
        self.decidedAt = decidedAt
    }
}
