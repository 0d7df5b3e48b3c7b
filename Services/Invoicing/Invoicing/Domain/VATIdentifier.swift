/// An intra-community VAT number, checked where Relance knows the rule.
///
/// French numbers (`FR` + 2-digit key + SIREN) have their key checked: key = (12 + 3 × (SIREN
/// mod 97)) mod 97, and the SIREN its Luhn digit. French numbers with a letter in the key
/// (companies without a SIREN) are refused: give them in the customer's details, where any
/// well-formed VAT number is accepted. Other countries' numbers are free text of 4 to 20 ASCII
/// letters and digits after their country prefix is upper-cased; no key is checked.
public struct VATIdentifier: Hashable, Sendable, CustomStringConvertible {
    /// The number upper case, without spaces, dots or dashes (`FR27552032534`).
    public let value: String

    /// Parses and checks a VAT number.
    /// - Parameters:
    ///   - text: The number as written (`FR 27 552 032 534`).
    ///   - field: The input field it came from, for the error.
    /// - Throws: `InvoicingError` `.invalidField` for a malformed number, or a French number
    ///   whose key or SIREN does not check.
    public init(_ text: String, field: String = "vatId") throws(InvoicingError) {
        let compact = text.unicodeScalars.filter { $0 != " " && $0 != "." && $0 != "-" && $0 != "\u{00A0}" }
        let alphanumeric = compact.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        guard (4...20).contains(compact.count), alphanumeric else {
            throw InvoicingError(.invalidField, "'\(text)' is not a VAT number; write it like FR27552032534", field: field)
        }
        let value = String(compact).uppercased()
        if value.hasPrefix("FR") {
            let rest = value.dropFirst(2)
            guard rest.count == 11, rest.allSatisfy(\.isASCIIDigitCharacter) else {
                throw InvoicingError(.invalidField, "'\(text)' is not a French VAT number: FR, a 2-digit key and the 9-digit SIREN (like FR27552032534)",
                                     field: field)
            }
            let siren = try SIREN(String(rest.dropFirst(2)), field: field)
            let expected = VATIdentifier.frenchKey(for: siren)
            guard Int(rest.prefix(2)) == expected else {
                throw InvoicingError(.invalidField, "'\(text)' is not a valid French VAT number: the key for SIREN \(siren) is \(expected.formatted2), not \(rest.prefix(2))",
                                     field: field)
            }
        }
        self.value = value
    }

    /// The French key of a SIREN: (12 + 3 × (SIREN mod 97)) mod 97.
    public static func frenchKey(for siren: SIREN) -> Int {
        // Nine digits fit an Int comfortably; the SIREN is digits only.
        let number = siren.digits.compactMap(\.asciiDigitValue).reduce(0) { $0 * 10 + $1 }
        return (12 + 3 * (number % 97)) % 97
    }

    public var description: String { value }
}

private extension Int {
    /// Two digits, zero-padded (keys are 00...96).
    var formatted2: String { self < 10 ? "0\(self)" : "\(self)" }
}
