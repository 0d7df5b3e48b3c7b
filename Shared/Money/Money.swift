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
    /// The rules, so that a typo is refused rather than read as another amount:
    /// - at most one decimal separator (`.` or `,`). When both appear, the last one is the
    ///   decimal separator: it appears once, and the other one groups thousands before it;
    /// - a single `.` or `,` followed by exactly three digits is a thousands separator when
    ///   the currency has fewer than three decimals and the whole part has one to three digits
    ///   not starting with 0 ("1,234" EUR is 1234.00), otherwise a decimal separator; one of
    ///   them appearing twice or more only groups thousands ("1.234.567");
    /// - thousands separators (`.` or `,` as above, spaces, no-break and thin spaces,
    ///   apostrophes) only sit between groups of digits: the first group has one to three
    ///   digits, not starting with 0, each later one exactly three ("1 234 567"). The Indian
    ///   grouping is read too: a first group of one or two digits, groups of two, a last
    ///   group of three ("12,34,567.50"). No separator after the decimal one.
    ///
    /// So "1.2.3", "12,34.5", "1 23,45" and "1,234.5,6" are refused, not read as 123,
    /// 1234.5, 123.45 or something else. Spaces around the amount and after the sign are
    /// ignored.
    /// - Throws: `MoneyError` `.malformedAmount` (naming what is wrong), `.tooManyDecimals`
    ///   or `.overflow`.
    public init(parsing text: String, currency: Currency) throws(MoneyError) {
        let example = "write it like 1234.56, 1 234,56 or 1.234,56"
        var scalars = Substring(text).unicodeScalars[...]
        while let first = scalars.first, Money.spaces.contains(first) { scalars = scalars.dropFirst() }
        while let last = scalars.last, Money.spaces.contains(last) { scalars = scalars.dropLast() }
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
            while let next = scalars.first, Money.spaces.contains(next) { scalars = scalars.dropFirst() }
        }
        guard scalars.contains(where: { Money.isDigit($0) }),
              scalars.allSatisfy({ Money.isDigit($0) || $0 == "." || $0 == "," || Money.groupingMarks.contains($0) }),
              let leading = scalars.first, Money.isDigit(leading) || leading == "." || leading == ","
        else {
            throw MoneyError(.malformedAmount, "'\(text)' is not an amount; \(example)")
        }
        let body = Array(scalars)
        let dots = body.filter { $0 == "." }.count
        let commas = body.filter { $0 == "," }.count
        var decimalSeparator: Unicode.Scalar?
        if dots > 0 && commas > 0, let lastDot = body.lastIndex(of: "."), let lastComma = body.lastIndex(of: ",") {
            let separator: Unicode.Scalar = lastDot > lastComma ? "." : ","
            guard (separator == "." ? dots : commas) == 1 else {
                throw MoneyError(.malformedAmount,
                                 "'\(text)' has more than one decimal separator: the last of '.' and ',' separates the decimals and may appear only once; \(example)")
            }
            decimalSeparator = separator
        } else if dots + commas == 1 {
            let separator: Unicode.Scalar = dots == 1 ? "." : ","
            let position = body.firstIndex(of: separator) ?? body.endIndex
            let integerDigits = body[..<position].filter { Money.isDigit($0) }
            let fractionCount = body.count - position - 1
            // "1,234" groups thousands; "0,001" and ",123" do not (a group never starts with 0).
            let looksLikeThousands = fractionCount == 3 && currency.minorUnitDigits < 3
                && (1...3).contains(integerDigits.count) && integerDigits.first != "0"
                && !body[..<position].contains(where: { Money.groupingMarks.contains($0) })
            decimalSeparator = looksLikeThousands ? nil : separator
        }
        var integerPart = body[...]
        var fractionPart: ArraySlice<Unicode.Scalar> = []
        if let separator = decimalSeparator, let index = body.lastIndex(of: separator) {
            integerPart = body[..<index]
            fractionPart = body[(index + 1)...]
        }
        guard fractionPart.allSatisfy({ Money.isDigit($0) }) else {
            throw MoneyError(.malformedAmount, "'\(text)' has a separator after the decimal one; \(example)")
        }
        guard Money.isWellGrouped(integerPart) else {
            let repeated: Unicode.Scalar? = decimalSeparator == nil ? (dots > 1 ? "." : commas > 1 ? "," : nil) : nil
            let why = repeated.map {
                "'\($0)' appears more than once, so it can only separate thousands, but it does not split the number into groups of three digits (1\($0)234\($0)567); an amount has at most one decimal separator"
            } ?? "a thousands separator is misplaced: after a first group of one to three digits, each group has three (1 234 567)"
            throw MoneyError(.malformedAmount, "'\(text)' is not an amount: \(why); \(example)")
        }
        guard fractionPart.count <= currency.minorUnitDigits else {
            throw MoneyError(.tooManyDecimals, "'\(text)' has \(fractionPart.count) decimals but \(currency.code) allows \(currency.minorUnitDigits)")
        }
        var magnitude: Int64 = 0
        func append(_ digit: UInt32) throws(MoneyError) {
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw MoneyError(.overflow, "'\(text)' is too large an amount") }
            magnitude = added
        }
        for scalar in integerPart where Money.isDigit(scalar) { try append(scalar.value - 48) }
        for scalar in fractionPart { try append(scalar.value - 48) }
        for _ in fractionPart.count..<currency.minorUnitDigits { try append(0) }
        self.init(minorUnits: negative ? -magnitude : magnitude, currency: currency)
    }

    /// Whether the whole part, digits and thousands separators, is empty, plain digits, or
    /// grouped by thousands (1 | 234 | 567) or the Indian way (12 | 34 | 567).
    private static func isWellGrouped(_ part: ArraySlice<Unicode.Scalar>) -> Bool {
        let groups = part.split(omittingEmptySubsequences: false) { !Money.isDigit($0) }.map(\.count)
        guard groups.count > 1 else { return true }
        guard let first = groups.first, let last = groups.last, part.first != "0" else { return false }
        let middle = groups.dropFirst().dropLast()
        let thousands = (1...3).contains(first) && middle.allSatisfy { $0 == 3 } && last == 3
        let indian = (1...2).contains(first) && middle.allSatisfy { $0 == 2 } && last == 3
        return thousands || indian
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (48...57).contains(scalar.value) }

    /// Spaces around an amount and after its sign.
    private static let spaces: Set<Unicode.Scalar> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}"]

    /// Marks people and banks put between thousands besides `.` and `,` (space, no-break,
    /// narrow no-break, thin, apostrophes).
    private static let groupingMarks: Set<Unicode.Scalar> = [" ", "\u{00A0}", "\u{202F}", "\u{2009}", "'", "\u{2019}"]
}
