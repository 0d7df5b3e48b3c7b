/// A French company number (SIREN): 9 digits, the last a Luhn check digit over the whole.
///
/// Spaces are accepted as separators (`552 032 534`), nothing else. INSEE assigns the number;
/// a valid check digit says the number can exist, not that it is the right company.
public struct SIREN: Hashable, Sendable, CustomStringConvertible {
    /// The nine digits, without separators.
    public let digits: String

    /// La Poste's SIREN: its establishments' SIRETs use their own check (``SIRET``).
    public static let laPoste = "356000000"

    /// Parses and checks a SIREN.
    /// - Parameters:
    ///   - text: The number, digits with optional spaces.
    ///   - field: The input field it came from, for the error.
    /// - Throws: `InvoicingError` `.invalidField` when it is not 9 digits or its check digit is wrong.
    public init(_ text: String, field: String = "registrationId") throws(InvoicingError) {
        let digits = SIREN.compact(text)
        guard digits.count == 9, digits.allSatisfy(\.isASCIIDigitCharacter) else {
            throw InvoicingError(.invalidField, "'\(text)' is not a SIREN: a SIREN has exactly 9 digits (like 552 032 534)", field: field)
        }
        guard SIREN.passesLuhn(digits) else {
            throw InvoicingError(.invalidField, "'\(text)' is not a valid SIREN: its check digit (the last) is wrong; check the number on the Kbis or the INSEE register",
                                 field: field)
        }
        self.digits = digits
    }

    public var description: String { digits }

    /// The text without the spaces people write between digit groups.
    static func compact(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" })
    }

    /// Whether ASCII digits pass the Luhn check (ISO/IEC 7812): from the right, every second
    /// digit doubled (minus 9 above 9), the sum a multiple of 10.
    static func passesLuhn(_ digits: String) -> Bool {
        var sum = 0
        for (index, character) in digits.reversed().enumerated() {
            guard let value = character.asciiDigitValue else { return false }
            let weighted = index.isMultiple(of: 2) ? value : value * 2
            sum += weighted > 9 ? weighted - 9 : weighted
        }
        return sum.isMultiple(of: 10)
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0-9 (not any Unicode digit).
    var isASCIIDigitCharacter: Bool { asciiDigitValue != nil }

    /// The value of an ASCII digit 0-9, `nil` for anything else.
    var asciiDigitValue: Int? {
        guard let ascii = asciiValue, (48...57).contains(ascii) else { return nil }
        return Int(ascii - 48)
    }
}
