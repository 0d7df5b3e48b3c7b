import Foundation
import Money

/// Fast paths for the text handling of validation and CSV import, which run once per field
/// of every imported row. Each falls back to the general (slower) Foundation or `Money`
/// code when the input is not plain ASCII.
enum TextNormalisation {
    /// `text` without surrounding whitespace and newlines.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return text }
        // Printable ASCII at both ends: nothing to trim (the common case), no Foundation call.
        if (0x21..<0x7F).contains(first) && (0x21..<0x7F).contains(last) { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The length of `text` in Unicode scalars (code points), which is what JSON Schema's
    /// `maxLength` counts: every length limit is checked this way so that the OpenAPI document
    /// states exactly what is accepted. Counts UTF-8 bytes directly for ASCII text.
    static func length(_ text: String) -> Int {
        let utf8 = text.utf8
        return utf8.allSatisfy({ $0 < 0x80 }) ? utf8.count : text.unicodeScalars.count
    }

    /// Whether `text` is blank: empty or only white space and line breaks (what ``trimmed(_:)``
    /// removes).
    static func isBlank(_ text: String) -> Bool {
        trimmed(text).isEmpty
    }

    /// Whether `text` has control characters (tabs, line breaks, C0/C1 controls).
    static func hasControlCharacters(_ text: String) -> Bool {
        var ascii = true
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F { return true }
            if byte >= 0x80 { ascii = false }
        }
        return !ascii && text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Parses an amount like `Money(parsing:currency:)` does, reading the plain forms
    /// (`1234`, `-1234.5`, `1234,56`) directly from bytes and leaving every other form
    /// (grouping, thousands separators, leading separator) to `Money(parsing:currency:)`.
    static func money(_ text: String, currency: Currency) throws(MoneyError) -> Money {
        if let fast = plainAmount(text, digits: currency.minorUnitDigits) {
            return Money(minorUnits: fast, currency: currency)
        }
        return try Money(parsing: text, currency: currency)
    }

    /// Minor units of `-?[0-9]{1,14}([.,][0-9]{1,digits})?`, or nil for any other shape.
    /// A single separator followed by three digits is never read here (it may be a
    /// thousands separator), so the result always equals `Money(parsing:)`'s.
    private static func plainAmount(_ text: String, digits: Int) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var integerDigits = 0
        var fractionDigits = -1 // -1: no separator yet
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if fractionDigits >= 0 { fractionDigits += 1 } else { integerDigits += 1 }
                guard integerDigits <= 14, fractionDigits <= digits else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard fractionDigits < 0, integerDigits > 0 else { return nil }
                fractionDigits = 0
            default:
                return nil
            }
        }
        guard integerDigits > 0, fractionDigits != 0, fractionDigits < 3 || digits >= 3 else { return nil }
        for _ in 0..<(digits - max(fractionDigits, 0)) { value *= 10 }
        return negative ? -value : value
    }
}
