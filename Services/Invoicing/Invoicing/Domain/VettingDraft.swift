import Events
import Foundation
import Money

/// What a credit manager found out about a prospect, and decided, as given by the API.
///
/// JSON: `registrationId`? (France: a SIREN of 9 digits or a SIRET of 14, check digits
/// verified; other countries: free text), `vatId`? (French key verified, see
/// ``VATIdentifier``), `legalForm`? ("SAS"), `creationDate`? (`YYYY-MM-DD`), `creditScore`?
/// (0...1000, on the rating source's scale) with `ratingSource`? (who gave it: entered or
/// imported, never fetched), `rating`? (the source's grade, "A+"), `decision`, `suggestedCreditLimit`?
/// (Money), `suggestedPaymentTerms`? (`"net:30"`), `decidedBy`, `note`?.
public struct VettingDraft: Hashable, Sendable, Codable {
    public var registrationId: String?
    public var vatId: String?
    public var legalForm: String?
    public var creationDate: CalendarDate?
    public var creditScore: Int?
    public var ratingSource: String?
    public var rating: String?
    public var decision: VettingDecision
    public var suggestedCreditLimit: Money?
    public var suggestedPaymentTerms: PaymentTerms?
    /// Who decided (a person's name or login).
    public var decidedBy: String
    public var note: String?

    /// The longest free text accepted (legal form, rating source, rating, decided by).
    public static let maximumTextLength = 100
    /// The longest note accepted.
    public static let maximumNoteLength = 2000
    /// The highest credit score accepted: scores are given on their source's scale, at most 1000.
    public static let maximumCreditScore = 1000

    public init(registrationId: String? = nil, vatId: String? = nil, legalForm: String? = nil, creationDate: CalendarDate? = nil,
                creditScore: Int? = nil, ratingSource: String? = nil, rating: String? = nil, decision: VettingDecision,
                suggestedCreditLimit: Money? = nil, suggestedPaymentTerms: PaymentTerms? = nil, decidedBy: String, note: String? = nil) {
        self.registrationId = registrationId
        self.vatId = vatId
        self.legalForm = legalForm
        self.creationDate = creationDate
        self.creditScore = creditScore
        self.ratingSource = ratingSource
        self.rating = rating
        self.decision = decision
        self.suggestedCreditLimit = suggestedCreditLimit
        self.suggestedPaymentTerms = suggestedPaymentTerms
        self.decidedBy = decidedBy
        self.note = note
    }

    /// The draft checked and normalised for a prospect of a country, on a day.
    /// - Parameters:
    ///   - country: The prospect's country: French identifiers are checked.
    ///   - currency: The prospect's currency, the suggested credit limit's.
    ///   - today: A creation date after it is refused.
    /// - Throws: `InvoicingError` with the field at fault: `.invalidField` for a wrong SIREN,
    ///   SIRET or French VAT key, a VAT number whose SIREN is not the registration's, a score
    ///   outside 0...1000 or a score without its source, a negative limit, a creation date in
    ///   the future; `.missingField` blank `decidedBy`; `.limitExceeded` text too long;
    ///   `.currencyMismatch` a limit not in the prospect's currency; `.invalidPaymentTerms`.
    public func validated(country: CountryCode, currency: Currency, today: CalendarDate) throws(InvoicingError) -> VettingDraft {
        var copy = self
        copy.registrationId = CustomerDraft.blankToNil(registrationId)
        var siren: String?
        if let registration = copy.registrationId {
            try InputLimits.check(registration, atMost: CustomerDraft.maximumRegistrationIdLength, field: "registrationId", "the registration number")
            if country.code == "FR" {
                let digits = SIREN.compact(registration)
                if digits.count == 14 {
                    let siret = try SIRET(registration)
                    copy.registrationId = siret.digits
                    siren = siret.siren
                } else if digits.count == 9 {
                    copy.registrationId = try SIREN(registration).digits
                    siren = copy.registrationId
                } else {
                    throw InvoicingError(.invalidField, "'\(registration)' is neither a SIREN (9 digits) nor a SIRET (14 digits), which a French company has",
                                         field: "registrationId")
                }
            }
        }
        if let vat = CustomerDraft.blankToNil(vatId) {
            let checked = try VATIdentifier(vat)
            if let siren, checked.value.hasPrefix("FR"), !checked.value.hasSuffix(siren) {
                throw InvoicingError(.invalidField, "the VAT number \(checked) is not the one of SIREN \(siren) given as registration id; check both",
                                     field: "vatId")
            }
            copy.vatId = checked.value
        } else {
            copy.vatId = nil
        }
        copy.legalForm = try VettingDraft.text(legalForm, field: "legalForm", "the legal form", maximum: VettingDraft.maximumTextLength)
        copy.ratingSource = try VettingDraft.text(ratingSource, field: "ratingSource", "the rating source", maximum: VettingDraft.maximumTextLength)
        copy.rating = try VettingDraft.text(rating, field: "rating", "the rating", maximum: VettingDraft.maximumTextLength)
        copy.note = try VettingDraft.text(note, field: "note", "the note", maximum: VettingDraft.maximumNoteLength)
        guard let decider = try VettingDraft.text(decidedBy, field: "decidedBy", "who decided", maximum: VettingDraft.maximumTextLength) else {
            throw InvoicingError(.missingField, "say who decided (decidedBy)", field: "decidedBy")
        }
        copy.decidedBy = decider
        if let creationDate, creationDate > today {
            throw InvoicingError(.invalidField, "the company's creation date \(creationDate) is in the future", field: "creationDate")
        }
        if let creditScore {
            guard (0...VettingDraft.maximumCreditScore).contains(creditScore) else {
                throw InvoicingError(.invalidField, "the credit score \(creditScore) is outside 0...\(VettingDraft.maximumCreditScore)", field: "creditScore")
            }
            guard copy.ratingSource != nil else {
                throw InvoicingError(.missingField, "a credit score needs its source (ratingSource): scores of different agencies are not comparable",
                                     field: "ratingSource")
            }
        }
        if let limit = suggestedCreditLimit {
            guard limit.currency == currency else {
                throw InvoicingError(.currencyMismatch, "the suggested credit limit is in \(limit.currency.code) but the prospect's currency is \(currency.code)",
                                     field: "suggestedCreditLimit")
            }
            guard !limit.isNegative else {
                throw InvoicingError(.invalidField, "the suggested credit limit \(limit) is negative", field: "suggestedCreditLimit")
            }
        }
        try suggestedPaymentTerms?.validate()
        return copy
    }

    /// Trimmed text, `nil` when blank, within a length.
    private static func text(_ value: String?, field: String, _ what: String, maximum: Int) throws(InvoicingError) -> String? {
        guard let value else { return nil }
        try InputLimits.check(value, atMost: maximum, field: field, what)
        return CustomerDraft.blankToNil(TextNormalisation.trimmed(value))
    }

    private enum CodingKeys: String, CodingKey {
        case registrationId, vatId, legalForm, creationDate, creditScore, ratingSource, rating, decision
        case suggestedCreditLimit, suggestedPaymentTerms, decidedBy, note
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            registrationId: try container.decodeIfGiven(String.self, forKey: .registrationId),
            vatId: try container.decodeIfGiven(String.self, forKey: .vatId),
            legalForm: try container.decodeIfGiven(String.self, forKey: .legalForm),
            creationDate: try container.decodeIfGiven(CalendarDate.self, forKey: .creationDate),
            creditScore: try container.decodeIfGiven(Int.self, forKey: .creditScore),
            ratingSource: try container.decodeIfGiven(String.self, forKey: .ratingSource),
            rating: try container.decodeIfGiven(String.self, forKey: .rating),
            decision: try container.decode(VettingDecision.self, forKey: .decision),
            suggestedCreditLimit: try container.decodeIfGiven(Money.self, forKey: .suggestedCreditLimit),
            suggestedPaymentTerms: try container.decodeIfGiven(PaymentTerms.self, forKey: .suggestedPaymentTerms),
            decidedBy: try container.decode(String.self, forKey: .decidedBy),
            note: try container.decodeIfGiven(String.self, forKey: .note))
    }
}
