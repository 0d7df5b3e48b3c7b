/// The rule a candidate comes from, strongest evidence first.
public enum MatchRule: String, Sendable, Hashable, Codable, Comparable {
    /// A valid ISO 11649 reference of the invoice, in the structured field or the text.
    case rfReference
    /// The invoice number, exactly, in the structured field.
    case structuredInvoiceNumber
    /// Invoice number(s) found in the free text (tolerant to separators, zeros, confusions, typos).
    case invoiceNumberInText
    /// A payer identified by IBAN, customer number or name, and one open invoice of that
    /// payer whose amount the payment equals.
    case payerAndAmount
    /// A payer identified, and a combination of the payer's open invoices adding up to the payment.
    case payerAndCombination

    /// Rank of the rule, for stable ordering of equal scores.
    var rank: Int {
        switch self {
        case .rfReference: 0
        case .structuredInvoiceNumber: 1
        case .invoiceNumberInText: 2
        case .payerAndAmount: 3
        case .payerAndCombination: 4
        }
    }

    public static func < (lhs: MatchRule, rhs: MatchRule) -> Bool { lhs.rank < rhs.rank }
}
