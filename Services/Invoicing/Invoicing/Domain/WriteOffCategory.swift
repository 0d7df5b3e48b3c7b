/// Why a balance, or part of it, is written off, for programs and reports.
public enum WriteOffCategory: String, Codable, Sendable, Hashable, CaseIterable {
    /// The payer's or an intermediary bank deducted fees from the transfer.
    case bankFees
    /// Rounding differences (currency conversion, per-line VAT rounding in the payer's books).
    case rounding
    /// Anything else; the reason says what.
    case other
}
