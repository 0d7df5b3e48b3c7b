import Foundation
import Money

/// Reads the decimal amounts of text bank files (MT940 `1234,56`, CSV `-1'234.50`) into
/// minor units, exactly: never through a floating-point number.
enum StatementAmountParser {
    /// Parses `text` as an amount of `currency`.
    /// - Parameters:
    ///   - decimalSeparator: `,` (MT940, European CSV) or `.`; the other one, spaces and
    ///     apostrophes are taken as thousands separators when `allowGrouping`.
    ///   - allowSign: Whether a leading or trailing `-`/`+` is accepted (CSV); MT940 amounts
    ///     carry their sign in the C/D mark.
    /// - Returns: Minor units, negative when the text has a minus sign.
    /// - Throws: `StatementError` `.invalidAmount` for more decimals than the currency has,
    ///   `.malformed` for anything that is not an amount.
    static func minorUnits(_ text: some StringProtocol, decimalSeparator: Character, currency: Currency, allowSign: Bool = false,
                           allowGrouping: Bool = false, location: String?) throws(StatementError) -> Int64 {
        var body = String(text).trimmingCharacters(in: .whitespaces)
        var negative = false
        if allowSign {
            if let first = body.first, first == "-" || first == "+" {
                negative = first == "-"
                body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces)
            } else if let last = body.last, last == "-" || last == "+" {
                negative = last == "-"
                body = String(body.dropLast()).trimmingCharacters(in: .whitespaces)
            }
        }
        let grouping: Set<Character> = allowGrouping ? [decimalSeparator == "," ? "." : ",", " ", "'", "\u{2019}", "\u{00A0}", "\u{202F}"] : []
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var seenSeparator = false
        for character in body {
            if let digit = character.wholeNumberValue, character.isASCII {
                if seenSeparator { fractionDigits.append(UInt8(digit)) } else { integerDigits.append(UInt8(digit)) }
            } else if character == decimalSeparator, !seenSeparator {
                seenSeparator = true
            } else if grouping.contains(character), !seenSeparator {
                continue
            } else {
                throw StatementError(.malformed, "'\(text)' is not an amount: write digits with '\(decimalSeparator)' before the decimals, like 1234\(decimalSeparator)56",
                                     location: location)
            }
        }
        guard !integerDigits.isEmpty || !fractionDigits.isEmpty else {
            throw StatementError(.malformed, "'\(text)' is not an amount: it has no digits", location: location)
        }
        var extra = fractionDigits.count - currency.minorUnitDigits
        // Trailing zeros beyond the currency's digits change nothing ("12,500" EUR is 12.50).
        while extra > 0, fractionDigits.last == 0 {
            fractionDigits.removeLast()
            extra -= 1
        }
        guard extra <= 0 else {
            throw StatementError(.invalidAmount, "'\(text)' has \(fractionDigits.count) decimals but \(currency.code) has \(currency.minorUnitDigits); the file is wrong or the currency is",
                                 location: location)
        }
        while fractionDigits.count < currency.minorUnitDigits { fractionDigits.append(0) }
        var value: Int64 = 0
        for digit in integerDigits + fractionDigits {
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else {
                throw StatementError(.invalidAmount, "'\(text)' is too large an amount", location: location)
            }
            value = added
        }
        return negative ? -value : value
    }

    /// Parses an MT940 amount (digits with a decimal `,`; a few exports write `.`) from its
    /// bytes without building a `String`; anything unusual goes through
    /// ``minorUnits(_:decimalSeparator:currency:allowSign:allowGrouping:location:)`` for its error.
    static func minorUnits(mt940 bytes: ArraySlice<UInt8>, currency: Currency, location: @autoclosure () -> String?) throws(StatementError) -> Int64 {
        var value: Int64 = 0
        var fractionDigits = -1
        var fast = !bytes.isEmpty && bytes.count <= 15 && currency.minorUnitDigits <= 3 // no overflow
        for byte in bytes where fast {
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ".") {
                if fractionDigits >= 0 { fast = false } else { fractionDigits = 0 }
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                if fractionDigits >= 0 { fractionDigits += 1 }
            } else {
                fast = false
            }
        }
        if fast, bytes.count > 1 || fractionDigits < 0, fractionDigits <= currency.minorUnitDigits {
            for _ in max(0, fractionDigits)..<currency.minorUnitDigits { value *= 10 }
            return value
        }
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: ".", with: ",")
        return try minorUnits(text, decimalSeparator: ",", currency: currency, location: location())
    }

    /// Looks up an ISO 4217 currency code.
    /// - Throws: `StatementError` `.invalidAmount` naming the code.
    static func currency(_ code: some StringProtocol, location: String?) throws(StatementError) -> Currency {
        do {
            return try Currency(code: String(code).trimmingCharacters(in: .whitespaces))
        } catch {
            throw StatementError(.invalidAmount, "unknown currency '\(code)': \(error.reason)", location: location)
        }
    }
}
