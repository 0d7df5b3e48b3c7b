/// An ISO 4217 currency, with the number of digits of its minor unit.
///
/// Only active ISO 4217 codes are accepted, so a typo ("EUE") is refused at the edge rather
/// than stored. Encodes as its three-letter code.
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The three-letter ISO 4217 code, upper case ("EUR").
    public let code: String
    /// Digits after the decimal point in the currency's minor unit (EUR 2, JPY 0, KWD 3).
    public let minorUnitDigits: Int

    /// Looks a currency up by its ISO 4217 code (case-insensitive).
    /// - Throws: `MoneyError` with code `.unknownCurrency` when the code is not an active ISO 4217 code.
    public init(code: String) throws(MoneyError) {
        let upper = code.uppercased()
        guard let digits = Currency.table[upper] else {
            throw MoneyError(.unknownCurrency, "'\(code)' is not an active ISO 4217 currency code; use a code like EUR, USD or GBP")
        }
        self.code = upper
        self.minorUnitDigits = digits
    }

    public var description: String { code }

    /// The factor between major and minor units (100 for EUR).
    public var minorUnitsPerMajor: Int64 {
        var factor: Int64 = 1
        for _ in 0..<minorUnitDigits { factor *= 10 }
        return factor
    }

    public static let eur = Currency(uncheckedCode: "EUR", digits: 2)
    public static let usd = Currency(uncheckedCode: "USD", digits: 2)
    public static let gbp = Currency(uncheckedCode: "GBP", digits: 2)
    public static let chf = Currency(uncheckedCode: "CHF", digits: 2)
    public static let jpy = Currency(uncheckedCode: "JPY", digits: 0)

    private init(uncheckedCode: String, digits: Int) {
        self.code = uncheckedCode
        self.minorUnitDigits = digits
    }

    /// All active ISO 4217 codes with their minor-unit digits (ISO 4217 list, 2024 amendment).
    static let table: [String: Int] = {
        var table: [String: Int] = [:]
        let twoDigits = """
            AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN \
            BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP \
            GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP \
            LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR \
            NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN \
            SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR \
            ZMW ZWG
            """
        let zeroDigits = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let threeDigits = "BHD IQD JOD KWD LYD OMR TND"
        let fourDigits = "CLF UYW"
        for (list, digits) in [(twoDigits, 2), (zeroDigits, 0), (threeDigits, 3), (fourDigits, 4)] {
            for code in list.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                table[String(code)] = digits
            }
        }
        return table
    }()
}

extension Currency: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let code = try container.decode(String.self)
        do {
            try self.init(code: code)
        } catch {
            // Keep the MoneyError: HTTP layers map its code (unknownCurrency) to their answer.
            throw DecodingError.dataCorrupted(.init(codingPath: container.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
