/// One assignment rule: customers matching every criterion given get ``scenario``. Rules are
/// tried in order; the first match wins.
public struct AssignmentRule: Sendable, Hashable, Codable {
    /// Segments matched (case-insensitively); empty: any.
    public var segments: Set<String>
    /// Risk categories matched; empty: any.
    public var riskCategories: Set<RiskCategory>
    /// The strategic flag required; `nil`: either.
    public var strategic: Bool?
    /// The scenario the rule assigns.
    public var scenario: String

    /// Creates a rule; a rule needs at least one criterion (``ScenarioAssignment/validate(against:)``).
    public init(segments: Set<String> = [], riskCategories: Set<RiskCategory> = [], strategic: Bool? = nil, scenario: String) {
        self.segments = segments
        self.riskCategories = riskCategories
        self.strategic = strategic
        self.scenario = scenario
    }

    /// Whether the rule has no criterion (it would match everyone: use the default instead).
    public var isUnconditional: Bool { segments.isEmpty && riskCategories.isEmpty && strategic == nil }

    /// Whether a customer matches every criterion.
    public func matches(_ customer: CustomerDunningProfile) -> Bool {
        if !segments.isEmpty {
            guard let segment = customer.segment?.lowercased(), segments.contains(where: { $0.lowercased() == segment }) else { return false }
        }
        if !riskCategories.isEmpty {
            guard let risk = customer.risk, riskCategories.contains(risk) else { return false }
        }
        if let strategic, customer.strategic != strategic { return false }
        return true
    }

    /// "segment SMB, risk high or critical, strategic", for reasons.
    public var criteria: String {
        var parts: [String] = []
        if !segments.isEmpty { parts.append("segment " + segments.sorted().joined(separator: " or ")) }
        if !riskCategories.isEmpty {
            parts.append("risk " + RiskCategory.allCases.filter { riskCategories.contains($0) }.map(\.rawValue).joined(separator: " or "))
        }
        if let strategic { parts.append(strategic ? "strategic" : "not strategic") }
        return parts.isEmpty ? "any customer" : parts.joined(separator: ", ")
    }
}
