import Money

/// When a step applies to a customer's invoices; an empty condition admits everyone.
///
/// - The minimum overdue amount is given per currency as `Money`, because amounts are never
///   converted: a customer's overdue total in EUR is compared with the EUR minimum only. A
///   currency without a minimum has none (the step applies whatever the amount).
/// - Segments are invoicing's free segment names, compared case-insensitively; an empty set
///   admits every segment, including customers without one.
/// - Risk categories: an empty set admits every customer, including one without a category.
public struct StepConditions: Sendable, Hashable, Codable {
    /// The smallest overdue total (per customer, in that currency) for which the step runs,
    /// at most one amount per currency, kept sorted by currency code.
    public var minimumOverdue: [Money]
    /// The segments the step is limited to; empty: all.
    public var segments: Set<String>
    /// The risk categories the step is limited to; empty: all.
    public var riskCategories: Set<RiskCategory>

    /// Creates conditions; the minimums are sorted by currency code so that two equal
    /// conditions compare equal whatever order they were written in.
    public init(minimumOverdue: [Money] = [], segments: Set<String> = [], riskCategories: Set<RiskCategory> = []) {
        self.minimumOverdue = minimumOverdue.sorted { $0.currency.code < $1.currency.code }
        self.segments = segments
        self.riskCategories = riskCategories
    }

    private enum CodingKeys: String, CodingKey {
        case minimumOverdue, segments, riskCategories
    }

    /// Decodes through ``init(minimumOverdue:segments:riskCategories:)`` so the minimums are
    /// sorted whatever the JSON's order.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(minimumOverdue: try container.decode([Money].self, forKey: .minimumOverdue),
                  segments: try container.decode(Set<String>.self, forKey: .segments),
                  riskCategories: try container.decode(Set<RiskCategory>.self, forKey: .riskCategories))
    }

    /// No condition at all.
    public static let none = StepConditions()

    /// Whether nothing restricts the step.
    public var isEmpty: Bool { minimumOverdue.isEmpty && segments.isEmpty && riskCategories.isEmpty }

    /// The minimum for one currency, if any.
    public func minimum(in currency: Currency) -> Money? {
        minimumOverdue.first { $0.currency == currency }
    }

    /// Whether the step applies to a customer with this overdue total, segment and risk.
    /// - Parameters:
    ///   - overdue: The customer's overdue total at this step, in one currency.
    ///   - segment: The customer's segment, if any.
    ///   - risk: The customer's risk category, if any.
    public func admit(overdue: Money, segment: String?, risk: RiskCategory?) -> Bool {
        if let minimum = minimum(in: overdue.currency), overdue.minorUnits < minimum.minorUnits { return false }
        if !segments.isEmpty {
            guard let segment else { return false }
            let wanted = segment.lowercased()
            guard segments.contains(where: { $0.lowercased() == wanted }) else { return false }
        }
        if !riskCategories.isEmpty {
            guard let risk, riskCategories.contains(risk) else { return false }
        }
        return true
    }
}
