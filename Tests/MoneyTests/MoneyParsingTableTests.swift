import Foundation
import Money
import Testing

/// Issue 7 #12: an amount is read as written or refused, never read as another amount.
@Suite("Amount parsing: a table of accepted and refused notations")
struct MoneyParsingTableTests {
    @Test("accepted notations in EUR", arguments: [
        ("1234.5", 123_450), ("1234,5", 123_450), ("1234.56", 123_456), ("1234,56", 123_456),
        ("1 234,56", 123_456), ("1,234.56", 123_456), ("1.234,56", 123_456), ("1'234.56", 123_456),
        ("1\u{00A0}234,56", 123_456), ("1\u{202F}234,56", 123_456), ("1\u{2009}234.56", 123_456),
        ("1 234 567,89", 123_456_789), ("1.234.567,89", 123_456_789), ("1,234,567.89", 123_456_789),
        ("1.234.567", 123_456_700), ("1,234", 123_400), ("12 345", 1_234_500), ("999", 99_900),
        ("12,34,567.50", 123_456_750), // Indian grouping
        ("0.07", 7), (".5", 50), (",50", 50), ("12.", 1_200), ("-12,5", -1_250), ("+3.10", 310),
        ("- 1 234,56", -123_456), (" 42 ", 4_200), ("0", 0), ("0,01", 1),
    ] as [(String, Int64)])
    func accepted(text: String, minorUnits: Int64) throws {
        #expect(try Money(parsing: text, currency: .eur).minorUnits == minorUnits)
    }

    @Test("refused notations in EUR", arguments: [
        ("1.2.3", MoneyError.Code.malformedAmount),        // read as 123 before
        ("1,2,3", .malformedAmount),
        ("12.34.56", .malformedAmount),
        ("1.234.56", .malformedAmount),                      // a last group of two
        ("1..234", .malformedAmount),
        ("1.234.", .malformedAmount),
        ("12,34.5", .malformedAmount),                       // a misplaced thousands separator
        ("1234,567.89", .malformedAmount),
        ("1 23,45", .malformedAmount),
        ("12 34", .malformedAmount),
        ("1 2 3", .malformedAmount),
        ("1'2'3", .malformedAmount),
        ("0.123.456", .malformedAmount),                     // a group never starts with 0
        ("1,234.5,6", .malformedAmount),                     // more than one decimal separator
        ("1.234,56.7", .malformedAmount),
        ("1,234.56.7", .malformedAmount),
        ("1.2.3,4,5", .malformedAmount),
        ("1 234,5 6", .malformedAmount),                     // grouping after the decimal separator
        ("1,234.5'6", .malformedAmount),
        ("", .malformedAmount), (" ", .malformedAmount), ("-", .malformedAmount), ("--1", .malformedAmount),
        ("abc", .malformedAmount), ("12a", .malformedAmount), ("1e5", .malformedAmount), ("'12", .malformedAmount),
        ("12.345,678", .tooManyDecimals), ("0,001", .tooManyDecimals), ("12.3456", .tooManyDecimals),
        ("1 234,567", .tooManyDecimals),                     // spaces group, so the comma is decimal
        ("999999999999999999999", .overflow),
    ])
    func refused(text: String, code: MoneyError.Code) {
        let error = #expect(throws: MoneyError.self) { try Money(parsing: text, currency: .eur) }
        #expect(error?.code == code, "\(text): \(error?.reason ?? "")")
    }

    @Test("the errors say what is wrong")
    func clearErrors() {
        let repeated = #expect(throws: MoneyError.self) { try Money(parsing: "1.2.3", currency: .eur) }
        #expect(repeated?.reason.contains("'.' appears more than once") == true)
        #expect(repeated?.reason.contains("at most one decimal separator") == true)
        let misplaced = #expect(throws: MoneyError.self) { try Money(parsing: "12,34.5", currency: .eur) }
        #expect(misplaced?.reason.contains("thousands separator is misplaced") == true)
        let twoDecimal = #expect(throws: MoneyError.self) { try Money(parsing: "1,234.5,6", currency: .eur) }
        #expect(twoDecimal?.reason.contains("more than one decimal separator") == true)
    }

    @Test("the currency's decimals decide what a single separator before three digits is")
    func threeDigits() throws {
        let kwd = try Currency(code: "KWD")
        #expect(try Money(parsing: "1,234", currency: kwd).minorUnits == 1_234)        // KWD has three decimals
        #expect(try Money(parsing: "1.234.567,125", currency: kwd).minorUnits == 1_234_567_125)
        #expect(try Money(parsing: "1,234", currency: .jpy).minorUnits == 1_234)       // thousands
        #expect(throws: MoneyError.self) { try Money(parsing: "1.2.3", currency: .jpy) }
        #expect(throws: MoneyError.self) { try Money(parsing: "1.2.3", currency: kwd) }
    }
}
