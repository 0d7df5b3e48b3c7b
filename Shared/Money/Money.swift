/// An amount of money: integer minor units plus an ISO 4217 currency.
///
/// Never a floating-point number: 0.1 + 0.2 must be exactly 0.3 when it is money. Arithmetic
/// refuses to mix currencies and reports overflow instead of trapping.
/// Encodes as `{"minorUnits": 12345, "currency": "EUR"}`.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The amount in the currency's minor unit (cents for EUR). Negative for credits.
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Zero in the given currency.
    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    public var isZero: Bool { minorUnits == 0 }
    public var isNegative: Bool { minorUnits < 0 }
    public var isPositive: Bool { minorUnits > 0 }

    /// The sum of two amounts of the same currency.
    /// - Throws: `MoneyError` `.currencyMismatch` or `.overflow`.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        try checkSameCurrency(other)
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(.overflow, "the sum of \(self) and \(other) overflows") }
        return Money(minorUnits: sum, currency: currency)
    }

    /// The difference of two amounts of the same currency.
    /// - Throws: `MoneyError` `.currencyMismatch` or `.overflow`.
    public func subtracting(_ other: Money) throws(MoneyError) -> Money {
        try checkSameCurrency(other)
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow else { throw MoneyError(.overflow, "\(self) minus \(other) overflows") }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The amount multiplied by an integer factor (a quantity).
    /// - Throws: `MoneyError` `.overflow`.
    public func multiplied(by factor: Int64) throws(MoneyError) -> Money {
        let (product, overflow) = minorUnits.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw MoneyError(.overflow, "\(self) times \(factor) overflows") }
        return Money(minorUnits: product, currency: currency)
    }

    public static prefix func - (amount: Money) -> Money {
        Money(minorUnits: -amount.minorUnits, currency: amount.currency)
    }

    /// Orders two amounts of the same currency.
    /// - Throws: `MoneyError` `.currencyMismatch`.
    public func isLess(than other: Money) throws(MoneyError) -> Bool {
        try checkSameCurrency(other)
        return minorUnits < other.minorUnits
    }

    private func checkSameCurrency(_ other: Money) throws(MoneyError) {
        guard currency == other.currency else {
            throw MoneyError(.currencyMismatch, "cannot combine \(currency.code) with \(other.currency.code); convert first or keep them apart")
        }
    }

    /// The amount as a decimal string with a dot, e.g. "1234.56 EUR".
    public var description: String { "\(decimalString) \(currency.code)" }

    /// The amount as a plain decimal string with a dot and the currency's digits ("-12.50").
    public var decimalString: String {
        let digits = currency.minorUnitDigits
        let magnitude = minorUnits.magnitude
        let sign = minorUnits < 0 ? "-" : ""
        guard digits > 0 else { return sign + String(magnitude) }
        let factor = UInt64(currency.minorUnitsPerMajor)
        let fraction = String(magnitude % factor)
        let padded = String(repeating: "0", count: digits - fraction.count) + fraction
        return "\(sign)\(magnitude / factor).\(padded)"
    }
}

extension Money {
    /// Parses an amount written by people or banks: "1234.56", "1 234,56", "1.234,56",
    /// "1,234.56", "-12,5", "1'234.50". The currency gives the number of decimals allowed.
    ///
    /// A single separator followed by exactly three digits is a thousands separator when the
    /// currency has fewer than three decimals ("1,234" EUR is 1234.00), otherwise a decimal
    /// separator.
    /// - Throws: `MoneyError` `.malformedAmount`, `.tooManyDecimals` or `.overflow`.
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        var scalars = Substring(text).unicodeScalars.filter { !Money.groupingSpaces.contains($0) }[...]
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
        }
        let body = String(String.UnicodeScalarView(scalars))
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }),
              body.first?.isNumber == true || body.first == "." || body.first == ","
        else {
            throw MoneyError(.malformedAmount, "'\(text)' is not an amount; write it like 1234.56 or 1 234,56")
        }
        let dots = body.filter { $0 == "." }.count
        let commas = body.filter { $0 == "," }.count
        var decimalSeparator: Character?
        if dots > 0 && commas > 0, let lastDot = body.lastIndex(of: "."), let lastComma = body.lastIndex(of: ",") {
            // Both present: the last one is the decimal separator and must appear once, after every grouping one.
            let separator: Character = lastDot > lastComma ? "." : ","
            decimalSeparator = separator
            if body.filter({ $0 == separator }).count > 1 {
                throw MoneyError(.malformedAmount, "'\(text)' mixes separators; write it like 1234.56 or 1 234,56")
            }
        } else if dots + commas == 1 {
            let separator: Character = dots == 1 ? "." : ","
            let integerCount = body.prefix { $0 != separator }.count
            let fractionCount = body.count - 1 - integerCount
            // "1,234" groups thousands; "0,001" and ",123" do not (a group never starts with 0).
            let looksLikeThousands = fractionCount == 3 && currency.minorUnitDigits < 3
                && (1...3).contains(integerCount) && body.first != "0"
            decimalSeparator = looksLikeThousands ? nil : separator
        } else if dots + commas > 1 {
            decimalSeparator = nil // "1.234.567": grouping only
        }
        var integerPart = Substring(body)
        var fractionPart: Substring = ""
        if let separator = decimalSeparator, let index = body.lastIndex(of: separator) {
            integerPart = body[..<index]
            fractionPart = body[body.index(after: index)...]
        }
        let integerDigits = integerPart.filter { $0.isNumber }
        guard fractionPart.count <= currency.minorUnitDigits else {
            throw MoneyError(.tooManyDecimals, "'\(text)' has \(fractionPart.count) decimals but \(currency.code) allows \(currency.minorUnitDigits)")
        }
        let paddedFraction = fractionPart + String(repeating: "0", count: currency.minorUnitDigits - fractionPart.count)
        let digits = (integerDigits.isEmpty ? "0" : integerDigits) + paddedFraction
        guard let magnitude = Int64(digits) else {
            throw MoneyError(.overflow, "'\(text)' is too large an amount")
        }
        self.init(minorUnits: negative ? -magnitude : magnitude, currency: currency)
    }

    /// Spaces people and banks put between thousands (space, no-break, narrow no-break, thin, apostrophe).
    private static let groupingSpaces: Set<Unicode.Scalar> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}", "'", "\u{2019}"]
}
