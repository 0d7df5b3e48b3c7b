import Events
import Foundation
import Money
import PaymentMatching
import Testing

@Suite struct CFONB120ReaderTests {
    let reader = CFONB120Reader()
    static let classic = StatementTestFiles.corpusFile("cfonb120/OCA-l10n-france/cfonb_classic.cfo")

    static func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }

    /// The corpus file's records (its lines), to build variants of it at test time.
    static func classicRecords() throws -> [String] {
        try String(contentsOf: classic, encoding: .isoLatin1).split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
    }

    static func checkClassic(_ parsed: StatementFile) throws {
        #expect(parsed.format == .cfonb120)
        #expect(parsed.statements.count == 1)
        let statement = try #require(parsed.statements.first)
        #expect(statement.account.other == "30003 01234 01234567890")
        #expect(statement.currency == .eur)
        #expect(statement.openingBalance == eur(101_731_189))
        #expect(statement.closingBalance == eur(103_158_579))
        #expect(statement.entries.count == 13)
        // SOURCES.md: opening + 13 movements = closing.
        var balance = try #require(statement.openingBalance)
        for entry in statement.entries {
            balance = try entry.creditDebit == .credit ? balance.adding(entry.amount) : balance.subtracting(entry.amount)
        }
        #expect(balance == statement.closingBalance)
        #expect(StatementBalanceCheck.checked(statement).balanceMismatch == nil)
        let day = try CalendarDate(iso8601: "2024-01-13")
        #expect(statement.entries.allSatisfy { $0.bookingDate == day && $0.valueDate == day })
        #expect(statement.entries.map(\.creditDebit) == Array(repeating: .credit, count: 9) + Array(repeating: .debit, count: 4))
        #expect(statement.entries.map(\.amount.minorUnits) == [104_017, 132_100, 477_291, 234_112, 21_880, 51_080, 52_078, 155_223, 569_076, 1_999, 1_999, 61_714, 303_755])
        let first = statement.entries[0]
        #expect(first.remittance.unstructured == "facture F230875")
        #expect(first.counterparty?.name == "MA JOLIE BOUTIQUE")
        #expect(first.transactionCode == "18")
        #expect(statement.entries[1].remittance.unstructured == "F230866 F230765 F238765 F230866 F230765 F238765")
        #expect(statement.entries[1].endToEndId == "0018937")
        #expect(statement.entries[5].remittance.unstructured == "F238765+F229876")
        // No LIB complement: the movement's own label is the text.
        #expect(statement.entries[9].remittance.unstructured == "PRLV SEPA FREE MOBILE")
        #expect(statement.entries[9].endToEndId == "fmpmt-1168225394")
    }

    @Test func theCorpusStatementReconcilesWithThirteenMovements() throws {
        try Self.checkClassic(try reader.read(Self.classic))
        #expect(try StatementFormatDetector.detect(file: Self.classic) == .cfonb120)
    }

    @Test func recordsWrittenBackToBackWithoutLineBreaksReadTheSame() throws {
        let file = try StatementTestFiles.temporary(Array(try Self.classicRecords().joined().utf8))
        #expect(try StatementFormatDetector.detect(file: file) == .cfonb120)
        try Self.checkClassic(try reader.read(file))
    }

    @Test func linesWithTrailingSpacesTrimmedAndCRLFReadTheSame() throws {
        let text = try Self.classicRecords().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\r\n") + "\r\n"
        try Self.checkClassic(try reader.read(try StatementTestFiles.temporary(text)))
    }

    /// A record from parts placed at their CFONB columns (1-based).
    static func record(_ code: String, amount: String, decimals: String = "2", currency: String = "EUR", date: String = "130124",
                       qualifier: String = "", text: String = "") -> String {
        var characters = Array(repeating: Character(" "), count: 120)
        func put(_ value: String, at column: Int) {
            for (offset, character) in value.enumerated() { characters[column - 1 + offset] = character }
        }
        put(code, at: 1)
        put("30003", at: 3)
        put("01234", at: 12)
        put(currency, at: 17)
        put(decimals, at: 20)
        put("01234567890", at: 22)
        put(date, at: 35)
        if code == "04" { put(date, at: 43); put(text, at: 49) }
        if code == "05" { put(qualifier, at: 46); put(text, at: 49) }
        if code != "05" { put(amount, at: 91) }
        return String(characters)
    }

    @Test func overpunchSignsAndDecimalsFromTheRecord() throws {
        let text = [
            Self.record("01", amount: "0000000001000}"), // -100.00: a debit balance
            Self.record("04", amount: "0000000000250{", text: "VIR CLIENT"), // +25.00
            Self.record("05", amount: "", qualifier: "LIB", text: "FACTURE 42"),
            Self.record("05", amount: "", qualifier: "IPY", text: "FR7630006000011234567890189"),
            Self.record("04", amount: "0000000001250}", decimals: "3", text: "FRAIS"), // -12.500 with three decimals
            Self.record("07", amount: "0000000000875}"), // -87.50
        ].joined(separator: "\n")
        let parsed = try reader.read(try StatementTestFiles.temporary(text))
        let statement = try #require(parsed.statements.first)
        #expect(statement.openingBalance == Self.eur(-10_000))
        #expect(statement.entries[0].amount == Self.eur(2_500))
        #expect(statement.entries[0].creditDebit == .credit)
        #expect(statement.entries[0].remittance.unstructured == "FACTURE 42")
        #expect(statement.entries[0].counterparty?.iban == "FR7630006000011234567890189")
        #expect(statement.entries[1].amount == Self.eur(1_250))
        #expect(statement.entries[1].creditDebit == .debit)
        #expect(statement.entries[1].remittance.unstructured == "FRAIS")
        #expect(statement.closingBalance == Self.eur(-8_750))
        #expect(StatementBalanceCheck.checked(statement).balanceMismatch == nil)
    }

    // MARK: Bad input

    @Test func aMovementBeforeTheOpeningBalanceIsTheWrongOrder() throws {
        let text = Self.record("04", amount: "0000000000250{") + "\n"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 1")
    }

    @Test func aFileWithoutItsClosingBalanceIsTruncated() throws {
        let text = try Self.classicRecords().dropLast(1).joined(separator: "\n")
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.reason.contains("truncated"))
        #expect(error.location == "line 1")
    }

    @Test func anAmountWithoutItsSignLetterIsMalformedAtItsRecord() throws {
        let text = [Self.record("01", amount: "0000000001000{"), Self.record("04", amount: "00000000002X0*")].joined(separator: "\n")
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 2")
    }

    @Test func moreDecimalsThanTheCurrencyHasIsAnInvalidAmount() throws {
        let text = [Self.record("01", amount: "0000000001000{"), Self.record("04", amount: "0000000000025A", decimals: "3")].joined(separator: "\n")
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .invalidAmount)
        #expect(error.location == "line 2")
    }

    @Test func anUnknownCurrencyIsAnInvalidAmount() throws {
        let text = Self.record("01", amount: "0000000001000{", currency: "ZZZ")
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .invalidAmount)
        #expect(error.reason.contains("ZZZ"))
    }

    @Test func anUnknownRecordCodeIsMalformed() throws {
        let text = [Self.record("01", amount: "0000000001000{"), "99" + String(repeating: " ", count: 118)].joined(separator: "\n")
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 2")
    }
}
