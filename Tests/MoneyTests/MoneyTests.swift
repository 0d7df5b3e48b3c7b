import Foundation
import Money
import Testing

@Suite struct CurrencyTests {
    @Test func knownCodesCarryTheirMinorUnitDigits() throws {
        #expect(try Currency(code: "eur").minorUnitDigits == 2)
        #expect(try Currency(code: "JPY").minorUnitDigits == 0)
        #expect(try Currency(code: "KWD").minorUnitDigits == 3)
    }

    @Test func unknownCodeIsRefused() {
        #expect(throws: MoneyError.self) { try Currency(code: "EUE") }
        #expect(throws: MoneyError.self) { try Currency(code: "") }
    }
}

@Suite struct MoneyParsingTests {
    @Test(arguments: [
        ("1234.56", 123_456), ("1 234,56", 123_456), ("1.234,56", 123_456), ("1,234.56", 123_456),
        ("1\u{202F}234,56", 123_456), ("-12,5", -1_250), ("0.07", 7), ("1,234", 123_400),
        ("1.234.567", 123_456_700), ("42", 4_200), ("+3.10", 310), ("1'234.50", 123_450),
    ])
    func parsesCommonNotations(text: String, minorUnits: Int64) throws {
        #expect(try Money(parsing: text, currency: .eur).minorUnits == minorUnits)
    }

    /// One separator followed by exactly three digits groups thousands ("12.345" EUR is
    /// 12 345.00, as written in France); any other count beyond the currency's is refused.
    @Test func tooManyDecimalsIsRefused() {
        #expect(throws: MoneyError(.tooManyDecimals, "'12.3456' has 4 decimals but EUR allows 2")) {
            try Money(parsing: "12.3456", currency: .eur)
        }
        #expect(throws: MoneyError.self) { try Money(parsing: "0,001", currency: .eur) }
        #expect(throws: MoneyError.self) { try Money(parsing: "12.5", currency: .jpy) }
    }

    @Test(arguments: ["", "abc", "12a", "1.2.3,4,5", "--1", "1,234.56.7", "1e5"])
    func malformedAmountsAreRefused(text: String) {
        #expect(throws: MoneyError.self) { try Money(parsing: text, currency: .eur) }
    }

    @Test func threeDigitCurrencyReadsThreeDecimals() throws {
        let kwd = try Currency(code: "KWD")
        #expect(try Money(parsing: "1.234", currency: kwd).minorUnits == 1_234)
    }
}

@Suite struct MoneyArithmeticTests {
    @Test func addsAndSubtractsExactly() throws {
        let a = Money(minorUnits: 10, currency: .eur)
        let b = Money(minorUnits: 20, currency: .eur)
        #expect(try a.adding(b) == Money(minorUnits: 30, currency: .eur))
        #expect(try a.subtracting(b).minorUnits == -10)
        #expect(try a.multiplied(by: 3).minorUnits == 30)
    }

    @Test func mixedCurrenciesAreRefused() {
        let eur = Money(minorUnits: 10, currency: .eur)
        let usd = Money(minorUnits: 10, currency: .usd)
        #expect(throws: MoneyError.self) { try eur.adding(usd) }
        #expect(throws: MoneyError.self) { try eur.isLess(than: usd) }
    }

    @Test func overflowIsReportedNotTrapped() {
        let big = Money(minorUnits: .max, currency: .eur)
        #expect(throws: MoneyError.self) { try big.adding(Money(minorUnits: 1, currency: .eur)) }
    }

    @Test func formatsWithTheCurrencyDigits() throws {
        #expect(Money(minorUnits: -1_250, currency: .eur).decimalString == "-12.50")
        #expect(Money(minorUnits: 5, currency: .eur).description == "0.05 EUR")
        #expect(Money(minorUnits: 1_500, currency: .jpy).decimalString == "1500")
    }

    @Test func encodesAsMinorUnitsAndCode() throws {
        let data = try JSONEncoder().encode(Money(minorUnits: 12_345, currency: .eur))
        #expect(String(decoding: data, as: UTF8.self).contains("\"minorUnits\":12345"))
        #expect(try JSONDecoder().decode(Money.self, from: data) == Money(minorUnits: 12_345, currency: .eur))
    }
}
