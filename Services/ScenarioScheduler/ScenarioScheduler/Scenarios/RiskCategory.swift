/// The credit manager's assessment of a customer, as invoicing publishes it
/// (`CustomerSnapshot.riskCategory`): the same names as invoicing's `RiskCategory`, which this
/// module cannot import (services share events, not code).
public enum RiskCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Pays on time.
    case low
    /// Sometimes late.
    case medium
    /// Often late, or financially fragile.
    case high
    /// Insolvency proceedings or a history of non-payment.
    case critical

    /// Reads the name an event carries, case-insensitively; `nil` for a missing or unknown one.
    public init?(eventValue: String?) {
        guard let wanted = eventValue?.lowercased() else { return nil }
        guard let value = Self.allCases.first(where: { $0.rawValue == wanted }) else { return nil }
        self = value
    }

    /// Orders from `low` to `critical`.
    public static func < (lhs: RiskCategory, rhs: RiskCategory) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
