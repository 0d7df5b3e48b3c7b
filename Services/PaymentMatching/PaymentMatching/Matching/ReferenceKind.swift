/// How an invoice was referred to, strongest first.
enum ReferenceKind: Int, Comparable, Sendable {
    case rfStructured, structuredNumber, rfText, numberExact, numberFolded, numberDigits, numberTypo

    var score: Int {
        switch self {
        case .rfStructured: 100
        case .structuredNumber: 98
        case .rfText: 97
        case .numberExact: 95
        case .numberFolded: 92
        case .numberDigits: 88
        case .numberTypo: 80
        }
    }

    var rule: MatchRule {
        switch self {
        case .rfStructured, .rfText: .rfReference
        case .structuredNumber: .structuredInvoiceNumber
        case .numberExact, .numberFolded, .numberDigits, .numberTypo: .invoiceNumberInText
        }
    }

    static func < (lhs: ReferenceKind, rhs: ReferenceKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
