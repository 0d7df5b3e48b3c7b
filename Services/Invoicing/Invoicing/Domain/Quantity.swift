import Foundation

/// A quantity on an invoice line, exact to three decimals (2, 1.5, 0.250 kg), stored as an
/// integer number of thousandths so no floating point ever touches an amount.
///
/// Encodes as a JSON number (`1.5`); decodes from a number or a string (`"0,250"`).
/// Negative quantities are allowed (a returned item, a discount line).
public struct Quantity: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The quantity in thousandths: 1500 for 1.5.
    public let thousandths: Int64

    /// The number of decimals a quantity may have.
    public static let maximumDecimals = 3

    /// Creates a quantity from thousandths (1500 for 1.5).
    public init(thousandths: Int64) {
        self.thousandths = thousandths
    }

    /// A whole number of units.
    /// - Throws: `InvoicingError` `.overflow` when `units` × 1000 does not fit 64 bits.
    public init(units: Int64) throws(InvoicingError) {
        let (value, overflow) = units.multipliedReportingOverflow(by: 1000)
        guard !overflow else { throw InvoicingError(.overflow, "quantity \(units) is too large", field: "quantity") }
        self.thousandths = value
    }

    /// Parses a decimal quantity written with a dot or a comma: "2", "1.5", "0,250", "-1".
    /// No thousands separators: with three decimals allowed, "1,234" is 1.234, never 1234;
    /// "1.2.3" and "1 000" are refused.
    /// - Throws: `InvoicingError` `.malformedAmount` when it is not a plain decimal number,
    ///   `.tooManyDecimals` beyond three decimals, `.overflow` when too large.
    public init(parsing text: String) throws(InvoicingError) {
        var utf8 = Substring(TextNormalisation.trimmed(text)).utf8[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var value: Int64 = 0
        var decimals = -1 // -1: no separator seen yet
        var digits = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if decimals >= 0 { decimals += 1 }
                guard decimals <= Quantity.maximumDecimals else {
                    throw InvoicingError(.tooManyDecimals, "quantity '\(text)' has more than 3 decimals; round it to thousandths", field: "quantity")
                }
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else {
                    throw InvoicingError(.overflow, "quantity '\(text)' is too large", field: "quantity")
                }
                value = added
                digits += 1
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard decimals < 0 else {
                    throw InvoicingError(.malformedAmount,
                                         "quantity '\(text)' has more than one decimal separator, and quantities take no thousands separators; write it like 2, 1.5 or 1234,5",
                                         field: "quantity")
                }
                decimals = 0
            default:
                throw Quantity.malformed(text)
            }
        }
        guard digits > 0 else { throw Quantity.malformed(text) }
        for _ in 0..<(Quantity.maximumDecimals - max(decimals, 0)) {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw InvoicingError(.overflow, "quantity '\(text)' is too large", field: "quantity") }
            value = shifted
        }
        self.thousandths = negative ? -value : value
    }

    /// The shortest decimal form: "2", "1.5", "0.25", "-0.001".
    public var description: String {
        let magnitude = thousandths.magnitude
        let sign = thousandths < 0 ? "-" : ""
        let whole = magnitude / 1000
        var fraction = magnitude % 1000
        guard fraction != 0 else { return "\(sign)\(whole)" }
        var width = 3
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        let digits = String(fraction)
        return "\(sign)\(whole).\(String(repeating: "0", count: width - digits.count))\(digits)"
    }

    /// Numeric order.
    public static func < (lhs: Quantity, rhs: Quantity) -> Bool { lhs.thousandths < rhs.thousandths }

    private static func malformed(_ text: String) -> InvoicingError {
        InvoicingError(.malformedAmount, "'\(text)' is not a quantity; write it like 2, 1.5 or 0,250", field: "quantity")
    }
}

extension Quantity: Codable {
    /// Decodes a JSON number (`1.5`) or string (`"1,5"`); more than three decimals is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text: String
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            // Decimal keeps the number's digits exactly, unlike Double.
            text = try container.decode(Decimal.self).description
        }
        do {
            try self.init(parsing: text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes as a JSON number with at most three decimals.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Decimal(string: description, locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(thousandths) / 1000)
    }
}
