import Money

/// Reads ISO 20022 amounts (`xs:decimal` text with a `Ccy` attribute) into minor units.
enum CAMTAmount {
    /// Minor units of `text` in `currency`.
    ///
    /// Accepts `123`, `123.4`, `123.45`, an optional sign and surrounding white space. More
    /// decimals than the currency has are accepted only when the extra ones are zeros (genkgo's
    /// `camt053.v2.five.decimals.xml` writes `18.150` EUR): the value is exact, nothing is
    /// rounded. `18.155` EUR is refused.
    /// - Throws: `StatementError` `invalidAmount` (too many decimals, overflow) or `malformed`
    ///   (not a decimal number), located at `location`.
    static func minorUnits(_ text: String, currency: Currency, location: String) throws(StatementError) -> Int64 {
        try minorUnits(bytes: Array(text.utf8)[...], currency: currency, location: location)
    }

    /// ``minorUnits(_:currency:location:)`` for the text's UTF-8 bytes: the reader's path, which
    /// makes no `String` (and no location) unless the amount is refused.
    static func minorUnits<Bytes: BidirectionalCollection<UInt8>>(bytes text: Bytes, currency: Currency, location: @autoclosure () -> String) throws(StatementError) -> Int64
    where Bytes.SubSequence == Bytes {
        var bytes = text
        while let first = bytes.first, first == 0x20 || first == 0x0A || first == 0x0D || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x0A || last == 0x0D || last == 0x09 { bytes = bytes.dropLast() }
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let integer = bytes[..<(dot ?? bytes.endIndex)]
        let fraction = dot.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
        let isDigit: (UInt8) -> Bool = { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !(integer.isEmpty && fraction.isEmpty), integer.allSatisfy(isDigit), fraction.allSatisfy(isDigit) else {
            throw StatementError(.malformed, "'\(String(decoding: text, as: UTF8.self))' is not a decimal amount (like 1234.56)", location: location())
        }
        let digits = currency.minorUnitDigits
        let kept = fraction.prefix(digits)
        let extra = fraction.dropFirst(digits)
        guard extra.allSatisfy({ $0 == UInt8(ascii: "0") }) else {
            throw StatementError(.invalidAmount,
                                 "'\(String(decoding: text, as: UTF8.self))' has \(fraction.count) decimals but \(currency.code) has \(digits); the amount cannot be booked exactly",
                                 location: location())
        }
        var value: Int64 = 0
        var overflow = false
        func push(_ digit: UInt8) {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit &- UInt8(ascii: "0")))
            overflow = overflow || overflow1 || overflow2
            value = sum
        }
        for byte in integer { push(byte) }
        for byte in kept { push(byte) }
        for _ in kept.count..<digits { push(UInt8(ascii: "0")) }
        guard !overflow else {
            throw StatementError(.invalidAmount, "'\(String(decoding: text, as: UTF8.self))' \(currency.code) is too large", location: location())
        }
        return negative ? -value : value
    }
}
