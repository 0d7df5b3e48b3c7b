import Events
import Foundation

/// When a customer must pay an invoice, relative to its issue date.
///
/// The textual form is used in JSON, CSV and the database, and is what `Codable` reads and
/// writes:
///
/// | case | text | due date |
/// |---|---|---|
/// | `.netDays(30)` | `net:30` | issue + 30 days |
/// | `.endOfMonthPlusDays(10)` | `eom+10` | end of the issue month, then + 10 days ("fin de mois + 10") |
/// | `.daysEndOfMonth(45)` | `45eom` | issue + 45 days, then end of that month ("45 jours fin de mois") |
/// | `.onReceipt` | `receipt` | the issue date |
///
/// Day counts must be 0...365. French law caps terms at 60 days (45 days end of month), but
/// contracts vary, so only the range is enforced here. The enum cases can be built with any
/// number; ``validate()`` (called by parsing, decoding and ``CustomerDraft/validated()``)
/// refuses out-of-range ones.
public enum PaymentTerms: Hashable, Sendable, CustomStringConvertible {
    /// Due `n` days after the issue date.
    case netDays(Int)
    /// Due `n` days after the end of the issue month ("fin de mois + n").
    case endOfMonthPlusDays(Int)
    /// Due at the end of the month that contains issue date + `n` days ("n jours fin de mois").
    case daysEndOfMonth(Int)
    /// Due on the issue date.
    case onReceipt

    /// The largest day count accepted.
    public static let maximumDays = 365

    /// The due date of an invoice issued on `issueDate` under these terms.
    public func dueDate(issuedOn issueDate: CalendarDate) -> CalendarDate {
        switch self {
        case .netDays(let days): issueDate.adding(days: days)
        case .endOfMonthPlusDays(let days): issueDate.endOfMonth.adding(days: days)
        case .daysEndOfMonth(let days): issueDate.adding(days: days).endOfMonth
        case .onReceipt: issueDate
        }
    }

    /// Parses the textual form (`net:30`, `eom+10`, `45eom`, `receipt`), case-insensitively and
    /// ignoring surrounding spaces.
    /// - Throws: `InvoicingError` `.invalidPaymentTerms` for any other text or a day count
    ///   outside 0...365.
    public init(parsing text: String) throws(InvoicingError) {
        let lowered = TextNormalisation.trimmed(text).lowercased()
        let terms: PaymentTerms?
        if lowered == "receipt" {
            terms = .onReceipt
        } else if lowered.hasPrefix("net:") {
            terms = PaymentTerms.dayCount(lowered.dropFirst(4)).map { .netDays($0) }
        } else if lowered.hasPrefix("eom+") {
            terms = PaymentTerms.dayCount(lowered.dropFirst(4)).map { .endOfMonthPlusDays($0) }
        } else if lowered.hasSuffix("eom") {
            terms = PaymentTerms.dayCount(lowered.dropLast(3)).map { .daysEndOfMonth($0) }
        } else {
            terms = nil
        }
        guard let terms else {
            throw InvoicingError(.invalidPaymentTerms,
                                 "'\(text)' is not payment terms; write net:30, eom+10, 45eom or receipt",
                                 field: "paymentTerms")
        }
        try terms.validate()
        self = terms
    }

    /// Checks the day count is within 0...365.
    /// - Throws: `InvoicingError` `.invalidPaymentTerms` otherwise.
    public func validate() throws(InvoicingError) {
        let days: Int = switch self {
        case .netDays(let days), .endOfMonthPlusDays(let days), .daysEndOfMonth(let days): days
        case .onReceipt: 0
        }
        guard (0...PaymentTerms.maximumDays).contains(days) else {
            throw InvoicingError(.invalidPaymentTerms,
                                 "\(days) days is outside 0...\(PaymentTerms.maximumDays); use a day count in that range",
                                 field: "paymentTerms")
        }
    }

    /// The textual form: `net:30`, `eom+10`, `45eom` or `receipt`.
    public var description: String {
        switch self {
        case .netDays(let days): "net:\(days)"
        case .endOfMonthPlusDays(let days): "eom+\(days)"
        case .daysEndOfMonth(let days): "\(days)eom"
        case .onReceipt: "receipt"
        }
    }

    /// Digits only (no sign, at most 4 of them so `Int` cannot overflow); nil otherwise.
    private static func dayCount(_ text: Substring) -> Int? {
        guard (1...4).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(text)
    }
}

extension PaymentTerms: Codable {
    /// Decodes the textual form, in any letter case but without surrounding spaces (which
    /// CSV cells may have): exactly what the OpenAPI document's pattern accepts. Invalid terms
    /// are a `DecodingError` whose `underlyingError` is the `InvoicingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do throws(InvoicingError) {
            guard TextNormalisation.trimmed(text) == text else {
                throw InvoicingError(.invalidPaymentTerms,
                                     "'\(text)' has surrounding spaces; write net:30, eom+10, 45eom or receipt",
                                     field: "paymentTerms")
            }
            try self.init(parsing: text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the textual form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
