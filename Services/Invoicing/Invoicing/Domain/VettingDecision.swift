/// The credit manager's decision about a prospect.
public enum VettingDecision: String, Hashable, Sendable, Codable, CaseIterable {
    /// Sign it on the usual terms.
    case approved
    /// Sign it within a suggested credit limit and terms.
    case limited
    /// Do not sign it: signing is refused until a new vetting decides otherwise.
    case refused
}
