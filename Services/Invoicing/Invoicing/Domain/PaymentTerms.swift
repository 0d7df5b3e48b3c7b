import Events
import Foundation
import Money

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
/// | `.daysEndOfMonthOn(days: 30, day: 10)` | `30eom:10` | issue + 30 days, end of that month, then the 10th of the next month ("30 jours fin de mois le 10") |
/// | `.instalments([...])` | `instalments:30/60/90` or `instalments:30=50/60=30/90=20` | one instalment per day count (issue + n days), equal shares or the given percentages; the invoice is due on the last one |
/// | `.onReceipt` | `receipt` | the issue date |
///
/// Day counts must be 0...365, the day of month 1...31 (a month without that day uses its
/// last day), instalments 2...12 with strictly ascending day counts and, when percentages are
/// given, each above 0 and all summing to 100. French law caps terms at 60 days (45 days end
/// of month, see ``LegalPaymentTermsCap``), but contracts vary, so terms beyond it are
/// accepted and the invoices issued under them carry a warning. The enum cases can be built
/// with any number; ``validate()`` (called by parsing, decoding and
/// ``CustomerDraft/validated()``) refuses out-of-range ones.
public enum PaymentTerms: Hashable, Sendable, CustomStringConvertible {
    /// Due `n` days after the issue date.
    case netDays(Int)
    /// Due `n` days after the end of the issue month ("fin de mois + n").
    case endOfMonthPlusDays(Int)
    /// Due at the end of the month that contains issue date + `n` days ("n jours fin de mois").
    case daysEndOfMonth(Int)
    /// Due on `day` of the month after the one containing issue date + `days` ("n jours fin
    /// de mois le X"); the month's last day when it is shorter.
    case daysEndOfMonthOn(days: Int, day: Int)
    /// Paid in instalments, each `days` after the issue date, for a share of the total.
    case instalments([InstalmentTerm])
    /// Due on the issue date.
    case onReceipt

    /// One instalment of ``PaymentTerms/instalments(_:)``.
    public struct InstalmentTerm: Hashable, Sendable {
        /// Days after the issue date.
        public var days: Int
        /// Percentage of the total (1...100), or `nil` for an equal share; either every
        /// instalment of the terms has one or none has.
        public var percent: Int?

        /// Creates an instalment term.
        public init(days: Int, percent: Int? = nil) {
            self.days = days
            self.percent = percent
        }
    }

    /// The largest day count accepted.
    public static let maximumDays = 365
    /// The most instalments accepted in instalment terms.
    public static let maximumInstalments = 12

    /// The due date of an invoice issued on `issueDate` under these terms: for instalments,
    /// the due date of the last one.
    public func dueDate(issuedOn issueDate: CalendarDate) -> CalendarDate {
        switch self {
        case .netDays(let days): issueDate.adding(days: days)
        case .endOfMonthPlusDays(let days): issueDate.endOfMonth.adding(days: days)
        case .daysEndOfMonth(let days): issueDate.adding(days: days).endOfMonth
        case .daysEndOfMonthOn(let days, let day): PaymentTerms.day(day, ofMonthAfter: issueDate.adding(days: days))
        case .instalments(let terms): issueDate.adding(days: terms.last?.days ?? 0)
        case .onReceipt: issueDate
        }
    }

    /// The instalments of an invoice of `total` issued on `issueDate`, or `nil` when these
    /// terms are not instalments.
    ///
    /// Each share is rounded down to the minor unit and the last instalment takes the
    /// remainder, so the amounts always sum to `total`: 100.00 in 3 equal shares is 33.33,
    /// 33.33, 33.34.
    public func instalments(of total: Money, issuedOn issueDate: CalendarDate) -> [Instalment]? {
        guard case .instalments(let terms) = self, !terms.isEmpty else { return nil }
        let weights = terms.map { $0.percent ?? 1 }
        let weightSum = Int64(weights.reduce(0, +))
        guard weightSum > 0 else { return nil }
        var remaining = total.minorUnits
        return terms.enumerated().map { index, term in
            let amount: Int64
            if index == terms.count - 1 {
                amount = remaining
            } else {
                // floor(total * w / W) without overflowing: total = q·W + r with r < W ≤ 100.
                let weight = Int64(weights[index])
                let (quotient, remainder) = total.minorUnits.quotientAndRemainder(dividingBy: weightSum)
                amount = quotient * weight + (remainder * weight) / weightSum
            }
            remaining -= amount
            return Instalment(dueDate: issueDate.adding(days: term.days), amount: Money(minorUnits: amount, currency: total.currency))
        }
    }

    /// Parses the textual form (`net:30`, `eom+10`, `45eom`, `30eom:10`,
    /// `instalments:30/60/90`, `instalments:30=50/60=50`, `receipt`), case-insensitively and
    /// ignoring surrounding spaces.
    /// - Throws: `InvoicingError` `.invalidPaymentTerms` for any other text or a number
    ///   outside its range (see the type's description).
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
        } else if let range = lowered.range(of: "eom:") {
            let days = PaymentTerms.dayCount(lowered[..<range.lowerBound])
            let day = PaymentTerms.dayCount(lowered[range.upperBound...])
            terms = days.flatMap { days in day.map { .daysEndOfMonthOn(days: days, day: $0) } }
        } else if lowered.hasPrefix("instalments:") {
            terms = PaymentTerms.instalmentTerms(lowered.dropFirst("instalments:".count)).map { .instalments($0) }
        } else {
            terms = nil
        }
        guard let terms else {
            throw InvoicingError(.invalidPaymentTerms,
                                 "'\(text)' is not payment terms; write net:30, eom+10, 45eom, 30eom:10, instalments:30/60/90 or receipt",
                                 field: "paymentTerms")
        }
        try terms.validate()
        self = terms
    }

    /// Checks the numbers are in range (see the type's description).
    /// - Throws: `InvoicingError` `.invalidPaymentTerms` otherwise.
    public func validate() throws(InvoicingError) {
        let days: [Int] = switch self {
        case .netDays(let days), .endOfMonthPlusDays(let days), .daysEndOfMonth(let days), .daysEndOfMonthOn(let days, _): [days]
        case .instalments(let terms): terms.map(\.days)
        case .onReceipt: [0]
        }
        for days in days where !(0...PaymentTerms.maximumDays).contains(days) {
            throw PaymentTerms.invalid("\(days) days is outside 0...\(PaymentTerms.maximumDays); use a day count in that range")
        }
        if case .daysEndOfMonthOn(_, let day) = self, !(1...31).contains(day) {
            throw PaymentTerms.invalid("day \(day) of the month is outside 1...31; use a day of the month")
        }
        if case .instalments(let terms) = self {
            guard (2...PaymentTerms.maximumInstalments).contains(terms.count) else {
                throw PaymentTerms.invalid("\(terms.count) instalment(s); give 2...\(PaymentTerms.maximumInstalments)")
            }
            guard zip(days, days.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw PaymentTerms.invalid("instalment day counts \(days.map(String.init).joined(separator: "/")) are not strictly ascending; list them in order")
            }
            let percents = terms.compactMap(\.percent)
            if !percents.isEmpty {
                guard percents.count == terms.count, percents.allSatisfy({ (1...100).contains($0) }), percents.reduce(0, +) == 100 else {
                    throw PaymentTerms.invalid("instalment percentages must be given for every instalment, each 1...100, summing to 100")
                }
            }
        }
    }

    /// The textual form: `net:30`, `eom+10`, `45eom`, `30eom:10`, `instalments:30/60/90`,
    /// `instalments:30=50/60=50` or `receipt`.
    public var description: String {
        switch self {
        case .netDays(let days): "net:\(days)"
        case .endOfMonthPlusDays(let days): "eom+\(days)"
        case .daysEndOfMonth(let days): "\(days)eom"
        case .daysEndOfMonthOn(let days, let day): "\(days)eom:\(day)"
        case .instalments(let terms):
            "instalments:" + terms.map { term in term.percent.map { "\(term.days)=\($0)" } ?? "\(term.days)" }.joined(separator: "/")
        case .onReceipt: "receipt"
        }
    }

    /// `day` of the month following `date`'s, or that month's last day when it is shorter.
    static func day(_ day: Int, ofMonthAfter date: CalendarDate) -> CalendarDate {
        let next = date.endOfMonth.adding(days: 1)
        return next.adding(days: min(day, next.daysInMonth) - 1)
    }

    private static func invalid(_ reason: String) -> InvoicingError {
        InvoicingError(.invalidPaymentTerms, reason, field: "paymentTerms")
    }

    /// `30/60/90` or `30=50/60=50`; nil when malformed (ranges are checked by `validate`).
    private static func instalmentTerms(_ text: Substring) -> [InstalmentTerm]? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= maximumInstalments + 1 else { return nil }
        var terms: [InstalmentTerm] = []
        for part in parts {
            let pieces = part.split(separator: "=", omittingEmptySubsequences: false)
            guard let days = dayCount(pieces[0]) else { return nil }
            switch pieces.count {
            case 1: terms.append(InstalmentTerm(days: days))
            case 2:
                guard let percent = dayCount(pieces[1]) else { return nil }
                terms.append(InstalmentTerm(days: days, percent: percent))
            default: return nil
            }
        }
        return terms
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
                                     "'\(text)' has surrounding spaces; write net:30, eom+10, 45eom, 30eom:10, instalments:30/60/90 or receipt",
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
