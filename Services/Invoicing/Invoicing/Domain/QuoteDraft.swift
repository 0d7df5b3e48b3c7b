import Events
import Foundation
import Money

/// A quote as given by the API, before it is stored as a draft.
///
/// JSON: `number`, `customerNumber` (a customer's or a prospect's), `issueDate`, `validUntil`,
/// `currency`, `lines` (at least one, as on invoices), `paymentTerms`? (default: the
/// customer's), `lateInterestRateBasisPoints`? (default: the customer's contractual rate, or
/// the French legal default), `note`?.
public struct QuoteDraft: Hashable, Sendable, Codable {
    public var number: String
    public var customerNumber: String
    public var issueDate: CalendarDate
    /// The last day the quote can be accepted; after it the quote is `expired`.
    public var validUntil: CalendarDate
    public var currency: Currency
    public var lines: [InvoiceLine]
    public var paymentTerms: PaymentTerms?
    public var lateInterestRateBasisPoints: Int?
    public var note: String?

    /// The most lines a quote or an order may have.
    public static let maximumLines = 500
    /// The longest note accepted.
    public static let maximumNoteLength = 2000

    public init(number: String, customerNumber: String, issueDate: CalendarDate, validUntil: CalendarDate, currency: Currency,
                lines: [InvoiceLine], paymentTerms: PaymentTerms? = nil, lateInterestRateBasisPoints: Int? = nil, note: String? = nil) {
        self.number = number
        self.customerNumber = customerNumber
        self.issueDate = issueDate
        self.validUntil = validUntil
        self.currency = currency
        self.lines = lines
        self.paymentTerms = paymentTerms
        self.lateInterestRateBasisPoints = lateInterestRateBasisPoints
        self.note = note
    }

    /// The draft checked, with its totals.
    /// - Throws: `InvoicingError` with the field: `.missingField` blank number or no lines,
    ///   `.limitExceeded`, `.invalidField` (`validUntil` before `issueDate`, a rate outside
    ///   0...10000), `.invalidPaymentTerms`, `.currencyMismatch`, `.nonPositiveTotal`, `.overflow`.
    public func validated() throws(InvoicingError) -> (draft: QuoteDraft, totals: InvoiceTotals) {
        var copy = self
        copy.number = try CustomerDraft.identifier(number, field: "number", maximumLength: InvoiceDraft.maximumNumberLength)
        copy.customerNumber = try CustomerDraft.identifier(customerNumber, field: "customerNumber", maximumLength: CustomerDraft.maximumNumberLength)
        guard validUntil >= issueDate else {
            throw InvoicingError(.invalidField, "the quote is valid until \(validUntil), before its issue date \(issueDate)", field: "validUntil")
        }
        try paymentTerms?.validate()
        if let rate = lateInterestRateBasisPoints, !(0...10_000).contains(rate) {
            throw InvoicingError(.invalidField, "the late-payment rate \(rate) basis points is outside 0...10000", field: "lateInterestRateBasisPoints")
        }
        if let note {
            try InputLimits.check(note, atMost: QuoteDraft.maximumNoteLength, field: "note", "the note")
        }
        copy.note = CustomerDraft.blankToNil(note)
        let totals = try QuoteDraft.totals(of: lines, currency: currency)
        return (copy, totals)
    }

    /// The totals of a quote's or an order's lines: at least one line, a positive gross.
    static func totals(of lines: [InvoiceLine], currency: Currency) throws(InvoicingError) -> InvoiceTotals {
        guard !lines.isEmpty else {
            throw InvoicingError(.missingField, "give at least one line", field: "lines")
        }
        try InputLimits.check(count: lines.count, atMost: maximumLines, field: "lines", "lines are")
        for (index, line) in lines.enumerated() {
            try InputLimits.check(line.description, atMost: InvoiceDraft.maximumLineDescriptionLength,
                                  field: "lines[\(index)].description", "the description of line \(index + 1)")
        }
        let totals = try InvoiceTotals(lines: lines, currency: currency)
        guard totals.gross.isPositive, totals.net.isPositive else {
            throw InvoicingError(.nonPositiveTotal, "the total \(totals.gross) is not positive", field: "lines")
        }
        return totals
    }

    private enum CodingKeys: String, CodingKey {
        case number, customerNumber, issueDate, validUntil, currency, lines, paymentTerms, lateInterestRateBasisPoints, note
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            number: try container.decode(String.self, forKey: .number),
            customerNumber: try container.decode(String.self, forKey: .customerNumber),
            issueDate: try container.decode(CalendarDate.self, forKey: .issueDate),
            validUntil: try container.decode(CalendarDate.self, forKey: .validUntil),
            currency: try container.decode(Currency.self, forKey: .currency),
            lines: try container.decodeIfGiven([InvoiceLine].self, forKey: .lines) ?? [],
            paymentTerms: try container.decodeIfGiven(PaymentTerms.self, forKey: .paymentTerms),
            lateInterestRateBasisPoints: try container.decodeIfGiven(Int.self, forKey: .lateInterestRateBasisPoints),
            note: try container.decodeIfGiven(String.self, forKey: .note))
    }
}
