import Events
import Foundation
import Money

/// What setting a customer's credit insurance policy takes.
public struct CreditInsuranceDraft: Codable, Sendable, Hashable {
    /// The longest insurer name or policy reference accepted.
    public static let maximumTextLength = 200
    /// The longest declaration deadline accepted, in days after the due date.
    public static let maximumDeclarationDays = 365

    public var insurer: String
    public var policyReference: String
    /// Must be above zero, in the customer's default currency.
    public var coverAmount: Money
    /// Days after the due date by which an overdue invoice must be declared (1...365; 60 or 90
    /// in most policies).
    public var declarationDeadlineDays: Int
    public var startsOn: CalendarDate?
    public var endsOn: CalendarDate?

    public init(
        insurer: String, policyReference: String, coverAmount: Money, declarationDeadlineDays: Int,
        startsOn: CalendarDate? = nil, endsOn: CalendarDate? = nil
    ) {
        self.insurer = insurer
        self.policyReference = policyReference
        self.coverAmount = coverAmount
        self.declarationDeadlineDays = declarationDeadlineDays
        self.startsOn = startsOn
        self.endsOn = endsOn
    }

    /// Decodes the JSON body; an explicit `null` for an optional field is refused like a value
    /// of the wrong type (400), as the OpenAPI document says.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        insurer = try container.decode(String.self, forKey: .insurer)
        policyReference = try container.decode(String.self, forKey: .policyReference)
        coverAmount = try container.decode(Money.self, forKey: .coverAmount)
        declarationDeadlineDays = try container.decode(Int.self, forKey: .declarationDeadlineDays)
        startsOn = try container.decodeIfGiven(CalendarDate.self, forKey: .startsOn)
        endsOn = try container.decodeIfGiven(CalendarDate.self, forKey: .endsOn)
    }

    private enum CodingKeys: String, CodingKey {
        case insurer, policyReference, coverAmount, declarationDeadlineDays, startsOn, endsOn
    }

    /// The policy, checked.
    /// - Parameter currency: The customer's default currency, the cover's.
    /// - Throws: `InvoicingError` `.missingField` (blank insurer or reference),
    ///   `.limitExceeded`, `.currencyMismatch`, `.nonPositiveTotal` (cover not above zero),
    ///   `.invalidField` (days out of 1...365, end before start).
    public func validated(currency: Currency) throws(InvoicingError) -> CreditInsurancePolicy {
        try InputLimits.check(insurer, atMost: Self.maximumTextLength, field: "insurer", "the insurer")
        try InputLimits.check(policyReference, atMost: Self.maximumTextLength, field: "policyReference", "the policy reference")
        let insurer = TextNormalisation.trimmed(insurer)
        let reference = TextNormalisation.trimmed(policyReference)
        guard !insurer.isEmpty else { throw InvoicingError(.missingField, "name the credit insurer", field: "insurer") }
        guard !reference.isEmpty else { throw InvoicingError(.missingField, "give the policy or contract reference", field: "policyReference") }
        guard coverAmount.currency == currency else {
            throw InvoicingError(.currencyMismatch, """
                the customer's currency is \(currency.code), the cover is in \(coverAmount.currency.code); give the cover in \(currency.code)
                """, field: "coverAmount.currency")
        }
        guard coverAmount.isPositive else {
            throw InvoicingError(.nonPositiveTotal, "the cover must be above zero; end the policy with DELETE instead", field: "coverAmount")
        }
        guard (1...Self.maximumDeclarationDays).contains(declarationDeadlineDays) else {
            throw InvoicingError(.invalidField, """
                the declaration deadline must be 1 to \(Self.maximumDeclarationDays) days after the due date, not \(declarationDeadlineDays)
                """, field: "declarationDeadlineDays")
        }
        if let startsOn, let endsOn, endsOn < startsOn {
            throw InvoicingError(.invalidField, "the policy ends (\(endsOn)) before it starts (\(startsOn))", field: "endsOn")
        }
        return CreditInsurancePolicy(
            insurer: insurer, policyReference: reference, coverAmount: coverAmount,
            declarationDeadlineDays: declarationDeadlineDays, startsOn: startsOn, endsOn: endsOn)
    }
}
