/// What the engine decided for a payment.
public enum MatchDecision: Sendable, Hashable {
    /// Allocate automatically: the best candidate reached the threshold and is clearly ahead
    /// of the runner-up.
    case allocate(MatchCandidate)
    /// Leave it to a person: ranked suggestions (best first, maybe none) and notes on evidence
    /// that could not be used (a reference to an invoice in another currency, a bad RF checksum).
    case unmatched(suggestions: [MatchCandidate], notes: [String])

    /// The allocated candidate, when allocated.
    public var allocated: MatchCandidate? {
        if case .allocate(let candidate) = self { return candidate }
        return nil
    }

    /// The suggestions, when unmatched; empty otherwise.
    public var suggestions: [MatchCandidate] {
        if case .unmatched(let suggestions, _) = self { return suggestions }
        return []
    }

    /// The notes, when unmatched; empty otherwise.
    public var notes: [String] {
        if case .unmatched(_, let notes) = self { return notes }
        return []
    }
}
