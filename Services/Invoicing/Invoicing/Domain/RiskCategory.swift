import Foundation

/// The credit manager's assessment of how likely a customer is to pay late or not at all; it
/// can select a stricter dunning scenario.
public enum RiskCategory: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Pays on time.
    case low
    /// Sometimes late.
    case medium
    /// Often late, or financially fragile.
    case high
    /// Insolvency proceedings or a history of non-payment.
    case critical

    /// Reads a category name, case-insensitively.
    /// - Throws: `InvoicingError` `.invalidField` (field `riskCategory`) for other names.
    public init(parsing text: String) throws(InvoicingError) {
        self = try parseCase(text, field: "riskCategory")
    }

    /// The category name (`high`).
    public var description: String { rawValue }
}
