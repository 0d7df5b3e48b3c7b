import Foundation

/// A phone number in E.164 form: `+`, a country code not starting with 0, 8 to 15 digits in
/// all (`+33612345678`). Used for SMS and phone tasks.
///
/// Input may group digits with spaces, dots or dashes (`+33 6 12 34 56 78`, `+1-415-555-2671`);
/// they are removed. National forms (`06 12 34 56 78`, `0033...`) are refused: without the
/// country code the number cannot be dialled from an SMS gateway. Encodes as the E.164 string.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number in E.164 form (`"+33612345678"`).
    public let e164: String

    /// Validates and normalises a number.
    /// - Throws: `InvoicingError` `.invalidPhone` (field `phone`) with what is wrong.
    public init(_ text: String) throws(InvoicingError) {
        func invalid(_ why: String) -> InvoicingError {
            InvoicingError(.invalidPhone, "'\(text)' is not an international phone number: \(why); write it like +33 6 12 34 56 78", field: "phone")
        }
        var digits: [UInt8] = []
        var sawPlus = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "+":
                guard !sawPlus, digits.isEmpty else { throw invalid("the + may only come first") }
                sawPlus = true
            case "0"..."9":
                guard sawPlus else { throw invalid("it must start with + and the country code") }
                digits.append(UInt8(scalar.value))
            case " ", ".", "-", "\u{00A0}", "\u{202F}", "\t":
                continue
            default:
                throw invalid("it contains '\(scalar)'; only digits, spaces, dots and dashes are allowed")
            }
        }
        guard sawPlus else { throw invalid("it must start with + and the country code") }
        guard (8...15).contains(digits.count) else { throw invalid("it has \(digits.count) digits, E.164 needs 8 to 15") }
        guard digits.first != UInt8(ascii: "0") else { throw invalid("a country code never starts with 0") }
        self.e164 = "+" + String(decoding: digits, as: UTF8.self)
    }

    /// The E.164 form.
    public var description: String { e164 }
}

extension PhoneNumber: Codable {
    /// Decodes and validates the number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the E.164 form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }
}
