/// A French establishment number (SIRET): the company's ``SIREN`` and a 5-digit NIC, 14 digits
/// whose last is a Luhn check digit over the whole.
///
/// La Poste is the exception INSEE publishes: all its establishments share SIREN 356 000 000,
/// too many for a Luhn NIC, so their SIRETs are valid when their 14 digits add up to a multiple
/// of 5; only its head office (356 000 000 00048) is an ordinary Luhn number.
public struct SIRET: Hashable, Sendable, CustomStringConvertible {
    /// The fourteen digits, without separators.
    public let digits: String

    /// La Poste's head office, the one La Poste SIRET that follows the Luhn rule.
    static let laPosteHeadOffice = "35600000000048"

    /// Parses and checks a SIRET.
    /// - Parameters:
    ///   - text: The number, digits with optional spaces (`732 829 320 00074`).
    ///   - field: The input field it came from, for the error.
    /// - Throws: `InvoicingError` `.invalidField` when it is not 14 digits, or when its SIREN
    ///   part or its own check digit is wrong.
    public init(_ text: String, field: String = "registrationId") throws(InvoicingError) {
        let digits = SIREN.compact(text)
        guard digits.count == 14, digits.allSatisfy(\.isASCIIDigitCharacter) else {
            throw InvoicingError(.invalidField, "'\(text)' is not a SIRET: a SIRET has exactly 14 digits (SIREN + NIC, like 732 829 320 00074)",
                                 field: field)
        }
        _ = try SIREN(String(digits.prefix(9)), field: field)
        let valid: Bool
        if digits.hasPrefix(SIREN.laPoste) && digits != SIRET.laPosteHeadOffice {
            valid = digits.compactMap(\.asciiDigitValue).reduce(0, +).isMultiple(of: 5)
        } else {
            valid = SIREN.passesLuhn(digits)
        }
        guard valid else {
            throw InvoicingError(.invalidField, "'\(text)' is not a valid SIRET: its check digit (the last) is wrong; check the number in the INSEE register",
                                 field: field)
        }
        self.digits = digits
    }

    /// The company the establishment belongs to.
    public var siren: String { String(digits.prefix(9)) }

    public var description: String { digits }
}
