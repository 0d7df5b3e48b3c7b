import Events
import Money
import NotificationTemplates
import Testing

@Suite("Amounts, dates and rates formatted per language")
struct ValueFormatterTests {
    let french = ValueFormatter(language: "fr")
    let english = ValueFormatter(language: "en-GB")

    @Test("French amounts group thousands with a narrow no-break space and put a no-break space before the symbol")
    func frenchAmounts() {
        #expect(french.amount(Money(minorUnits: 123_456, currency: .eur)) == "1\(nnbsp)234,56\(nbsp)€")
        #expect(french.amount(Money(minorUnits: 123_456_789_012, currency: .eur)) == "1\(nnbsp)234\(nnbsp)567\(nnbsp)890,12\(nbsp)€")
        #expect(french.amount(Money(minorUnits: 5, currency: .eur)) == "0,05\(nbsp)€")
        #expect(french.amount(Money(minorUnits: -1250, currency: .eur)) == "-12,50\(nbsp)€")
        #expect(french.amount(Money(minorUnits: 250_000, currency: .gbp)) == "2\(nnbsp)500,00\(nbsp)£GB")
        #expect(french.amount(Money(minorUnits: 1235, currency: .jpy)) == "1\(nnbsp)235\(nbsp)JPY")
    }

    @Test("English amounts put the symbol first and group with commas")
    func englishAmounts() throws {
        #expect(english.amount(Money(minorUnits: 123_456, currency: .eur)) == "€1,234.56")
        #expect(english.amount(Money(minorUnits: 250_000, currency: .gbp)) == "£2,500.00")
        #expect(english.amount(Money(minorUnits: -1250, currency: .eur)) == "-€12.50")
        #expect(english.amount(Money(minorUnits: 99, currency: .usd)) == "US$0.99")
        #expect(english.amount(Money(minorUnits: 100, currency: .chf)) == "CHF\(nbsp)1.00")
    }

    @Test("the number of decimals is the currency's minor-unit digits, computed on integers")
    func minorUnitDigits() throws {
        #expect(english.amount(Money(minorUnits: 1_234_567, currency: try Currency(code: "KWD"))) == "KWD\(nbsp)1,234.567")
        #expect(english.amount(Money(minorUnits: 1_234_567, currency: .jpy)) == "JPY\(nbsp)1,234,567")
        // Beyond a Double's 53-bit mantissa: an integer path keeps every digit.
        #expect(english.amount(Money(minorUnits: 9_007_199_254_740_993, currency: .eur)) == "€90,071,992,547,409.93")
        #expect(english.amount(Money(minorUnits: .min, currency: .eur)) == "-€92,233,720,368,547,758.08")
    }

    @Test("dates are written in words, with 1er for the first day in French")
    func dates() throws {
        #expect(french.date(try CalendarDate(iso8601: "2027-01-15")) == "15 janvier 2027")
        #expect(french.date(try CalendarDate(iso8601: "2027-03-01")) == "1er mars 2027")
        #expect(french.date(try CalendarDate(iso8601: "2027-08-09")) == "9 août 2027")
        #expect(english.date(try CalendarDate(iso8601: "2027-01-15")) == "15 January 2027")
        #expect(english.date(try CalendarDate(iso8601: "2027-03-01")) == "1 March 2027")
    }

    @Test("annual rates in basis points have two decimals")
    func rates() {
        #expect(french.rate(basisPoints: 1215) == "12,15\(nnbsp)%")
        #expect(french.rate(basisPoints: 1000) == "10,00\(nnbsp)%")
        #expect(english.rate(basisPoints: 1215) == "12.15%")
        #expect(english.rate(basisPoints: 5) == "0.05%")
    }

    @Test("languages other than English use the French conventions")
    func otherLanguages() {
        #expect(ValueFormatter(language: "de").style == .french)
        #expect(ValueFormatter(language: "EN_us").style == .english)
        #expect(ValueFormatter(language: "fr-BE").style == .french)
    }
}
