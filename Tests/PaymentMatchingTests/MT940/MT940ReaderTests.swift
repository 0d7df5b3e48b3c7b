import Events
import Foundation
import Money
@testable import PaymentMatching
import Testing

@Suite struct MT940ReaderTests {
    let reader = MT940Reader()

    /// Latin-1 bytes for a text: each scalar up to U+00FF is its byte, and the euro sign is
    /// Windows-1252's 0x80.
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { $0 == "€" ? 0x80 : UInt8(truncatingIfNeeded: $0.value) }
    }

    static func date(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    static func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }

    /// Cents as an MT940 amount ("12,05").
    static func decimal(_ cents: Int64) -> String { "\(cents / 100)," + (cents % 100 < 10 ? "0" : "") + "\(cents % 100)" }

    // MARK: Hand-written dialects

    @Test func germanLatin1FileWithThirtiethOfFebruaryAndStructuredSubfields() throws {
        let text = """
            :20:STARTUMS
            :25:10020030/1234567890
            :28C:1/1
            :60F:C130228EUR1000,00
            :61:1302300230CR150,00NTRFNONREF//BANKREF1
            :86:166?00GUTSCHRIFT?100399?20EREF+E2E-42?21SVWZ+Rechnung RE-2013?22-0042 Müller?30GENODEF1AB
            C?31DE89370400440532013000?32MÜLLER GMBH
            :61:1302280228D50,00NMSCNONREF
            :86:Gebühren 5€
            :62F:C130228EUR1100,00
            -

            """
        let file = try StatementTestFiles.temporary(Self.latin1(text))
        let parsed = try reader.read(file)
        #expect(parsed.format == .mt940)
        #expect(parsed.statements.count == 1)
        let statement = try #require(parsed.statements.first)
        #expect(statement.id == "STARTUMS/1/1")
        #expect(statement.account == StatementAccount(other: "10020030/1234567890"))
        #expect(statement.openingBalance == Self.eur(100_000))
        #expect(statement.closingBalance == Self.eur(110_000))
        #expect(statement.entries.count == 2)
        let credit = statement.entries[0]
        // "30 February" is clamped to the month's last day, for the value and the entry date.
        #expect(credit.valueDate == (try Self.date("2013-02-28")))
        #expect(credit.bookingDate == (try Self.date("2013-02-28")))
        #expect(credit.amount == Self.eur(15_000))
        #expect(credit.creditDebit == .credit)
        #expect(credit.reversal == false)
        #expect(credit.bankReference == "BANKREF1")
        #expect(credit.entryReference == nil)
        #expect(credit.endToEndId == "E2E-42")
        #expect(credit.remittance.unstructured == "Rechnung RE-2013-0042 Müller")
        #expect(credit.counterparty == Counterparty(name: "MÜLLER GMBH", iban: "DE89370400440532013000", bic: "GENODEF1ABC"))
        #expect(credit.transactionCode == "NTRF")
        #expect(credit.location == "line 5")
        let fee = statement.entries[1]
        #expect(fee.creditDebit == .debit)
        #expect(fee.amount == Self.eur(5_000))
        #expect(fee.remittance.unstructured == "Gebühren 5€")
        #expect(StatementBalanceCheck.checked(statement).balanceMismatch == nil)
    }

    @Test func dutchTagsInsideSwiftBlocksWithCRLFAndAnEntryDateInThePreviousYear() throws {
        let text = """
            {1:F01RABONL2UXXXX0000000000}{2:O940RABONL2UXXXXN}{4:
            :20:940S141231
            :25:NL71RABO0123456789
            :28C:1/1
            :60F:C141231EUR100,00
            :61:1501021231C25,50NTRFREF123//B5A01XYZ
            NL70ABNA0987654321
            :86:/EREF/INV-2014-77/ORDP//NAME/ACME B.V./ADDR/STREET 1/REMI/USTD//Factuur 2014-77 en 20
            14-78/IBAN/NL70ABNA0987654321/BIC/ABNANL2A/
            :61:150102D10,NMSCNONREF
            :86:free text   line one
            line two
            :62F:C150102EUR115,50
            -}{5:}

            """.replacingOccurrences(of: "\n", with: "\r\n")
        let parsed = try reader.read(try StatementTestFiles.temporary(text))
        let statement = try #require(parsed.statements.first)
        #expect(parsed.statements.count == 1)
        #expect(statement.account.iban == "NL71RABO0123456789")
        let credit = statement.entries[0]
        #expect(credit.valueDate == (try Self.date("2015-01-02")))
        #expect(credit.bookingDate == (try Self.date("2014-12-31")))
        #expect(credit.amount == Self.eur(2_550))
        #expect(credit.entryReference == "REF123")
        #expect(credit.bankReference == "B5A01XYZ")
        #expect(credit.endToEndId == "INV-2014-77")
        #expect(credit.remittance.unstructured == "Factuur 2014-77 en 2014-78")
        #expect(credit.counterparty == Counterparty(name: "ACME B.V.", iban: "NL70ABNA0987654321", bic: "ABNANL2A"))
        let debit = statement.entries[1]
        #expect(debit.amount == Self.eur(1_000))
        #expect(debit.creditDebit == .debit)
        #expect(debit.bookingDate == (try Self.date("2015-01-02")))
        #expect(debit.remittance.unstructured == "free text line one line two")
        #expect(StatementBalanceCheck.checked(statement).balanceMismatch == nil)
    }

    @Test func reversalMarksTurnTheDirectionAndAMismatchIsReportedAsData() throws {
        let text = """
            :20:REV
            :25:DE89370400440532013000
            :60F:C200101EUR10,00
            :61:200101RC5,00NTRFNONREF
            :61:200101RD2,00NTRFNONREF
            :62F:C200101EUR8,00

            """
        let parsed = try ParseCommand.parse(file: try StatementTestFiles.temporary(text))
        let statement = try #require(parsed.statements.first)
        #expect(statement.entries.map(\.reversal) == [true, true])
        // RC reverses a credit (money out), RD a debit (money back in).
        #expect(statement.entries.map(\.creditDebit) == [.debit, .credit])
        // 10.00 - 5.00 + 2.00 = 7.00, the file says 8.00.
        #expect(statement.balanceMismatch == Self.eur(100))
    }

    @Test func aFileOfManyChunksWithCRLFSplitAcrossChunkBoundariesReadsEveryEntry() throws {
        // About 600 KB: lines and CRLF pairs fall across the reader's 64 KiB chunks.
        var text = ":20:BIG\r\n:25:NL71RABO0123456789\r\n:60F:C250101EUR0,00\r\n"
        var total: Int64 = 0
        for index in 1...6_000 {
            let cents = Int64(index % 997 + 1)
            total += cents
            text += ":61:2501010101C\(Self.decimal(cents))NTRFREF\(index)//B\(index)\r\n:86:/EREF/E\(index)/REMI/Invoice \(index) of the month of January/\r\n"
        }
        text += ":62F:C250101EUR\(Self.decimal(total))\r\n-\r\n"
        let statement = try #require(try reader.read(try StatementTestFiles.temporary(text)).statements.first)
        #expect(statement.entries.count == 6_000)
        #expect(statement.entries.last?.endToEndId == "E6000")
        #expect(statement.entries.last?.remittance.unstructured == "Invoice 6000 of the month of January")
        #expect(statement.entries.last?.location == "line \(3 + 2 * 6_000 - 1)")
        #expect(StatementBalanceCheck.checked(statement).balanceMismatch == nil)
    }

    @Test func aDecimalPointInsteadOfTheCommaIsRead() throws {
        let text = ":20:X\n:60F:C200101EUR10.00\n:61:200101C5.25NTRFNONREF\n:62F:C200101EUR15.25\n-\n"
        let statement = try #require(try reader.read(try StatementTestFiles.temporary(text)).statements.first)
        #expect(statement.entries.map(\.amount.minorUnits) == [525])
        #expect(statement.closingBalance == Self.eur(1_525))
    }

    // MARK: Bad input

    @Test func aTruncatedFileIsMalformedAtTheStatementItCuts() throws {
        let complete = ":20:X\n:25:DE89370400440532013000\n:60F:C200101EUR10,00\n:61:200101C5,00NTRFNONREF\n:62F:C200101EUR15,00\n-\n"
        let text = complete + ":20:Y\n:25:DE89370400440532013000\n:60F:C200102EUR15,00\n:61:200102C5,00NTRFNONREF\n:86:half a"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 7")
        #expect(error.reason.contains("truncated"))
    }

    @Test func aStatementLineCutShortIsMalformedAtItsLine() throws {
        let text = ":20:X\n:25:DE89370400440532013000\n:60F:C200101EUR10,00\n:61:2001\n"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 4")
    }

    @Test func anEntryAfterTheClosingBalanceIsTheWrongTagOrder() throws {
        let text = ":20:X\n:60F:C200101EUR10,00\n:62F:C200101EUR10,00\n:61:200101C5,00NTRFNONREF\n"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 4")
        #expect(error.reason.contains("wrong tag order"))
    }

    @Test func anEntryBeforeTheStatementHeaderIsTheWrongTagOrder() throws {
        let text = ":61:200101C5,00NTRFNONREF\n:20:X\n"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .malformed)
        #expect(error.location == "line 1")
    }

    @Test func anAmountWithMoreDecimalsThanTheCurrencyHasIsRefused() throws {
        let text = ":20:X\n:60F:C200101EUR10,00\n:61:200101C5,123NTRFNONREF\n:62F:C200101EUR15,12\n"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .invalidAmount)
        #expect(error.location == "line 3")
    }

    @Test func anUnknownCurrencyIsRefused() throws {
        let text = ":20:X\n:60F:C200101XEU10,00\n:62F:C200101XEU10,00\n"
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: reader))
        #expect(error.code == .invalidAmount)
        #expect(error.location == "line 2")
        #expect(error.reason.contains("XEU"))
    }

    @Test func aFileWithoutAnyStatementIsNotMT940() throws {
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary("Dear customer,\nhere is your statement.\n"), with: reader))
        #expect(error.code == .unknownFormat)
    }

    @Test func binaryGarbageIsRefused() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<3000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let error = try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(bytes), with: reader))
        #expect([StatementError.Code.unknownFormat, .malformed].contains(error.code))
        #expect(error.location != nil)
    }

    @Test func aLoneStatementOfBareTagsWithoutClosingBalanceIsReadAsIs() throws {
        let text = ":20:X\n:25:DE89370400440532013000\n:60F:C200101EUR10,00\n:61:200101C5,00NTRFNONREF\n"
        let statement = try #require(try reader.read(try StatementTestFiles.temporary(text)).statements.first)
        #expect(statement.closingBalance == nil)
        #expect(statement.entries.count == 1)
        #expect(StatementBalanceCheck.checked(statement).balanceMismatch == nil)
    }

    // MARK: The corpus

    /// Statements and `:61:` lines per file, as SOURCES.md counts them.
    static let corpusCounts: [String: (statements: Int, entries: Int)] = [
        "abnamro.sta": (2, 10), "ing.sta": (1, 7), "knab.sta": (2, 3), "postfinance.sta": (2, 4), "rabobank-iban.sta": (2, 4),
        "sns.sta": (2, 2), "triodos.sta": (1, 2), "sepa_mt9401.sta": (26, 97), "mt940.sta": (1, 3), "mt942.sta": (1, 3),
        "171011_01234945.sta": (1, 3), "0708271685_09022020_164516.940.txt": (31, 8), "raiffeisen-cmi.sta": (1, 7),
        "gv_codes.sta": (1, 2), "Voorbeeld MT-940.mt940": (1, 21),
    ]

    @Test func everyCorpusFileParsesWithTheCountsItsSourceGives() throws {
        let files = StatementTestFiles.corpusFiles(in: "mt940")
        #expect(files.count == Self.corpusCounts.count)
        for file in files {
            let parsed = try reader.read(file)
            let expected = try #require(Self.corpusCounts[file.lastPathComponent], "\(file.lastPathComponent) is not in the table")
            #expect(parsed.statements.count == expected.statements, "\(file.lastPathComponent)")
            #expect(parsed.statements.map(\.entries.count).reduce(0, +) == expected.entries, "\(file.lastPathComponent)")
            #expect(try StatementFormatDetector.detect(file: file) == .mt940, "\(file.lastPathComponent)")
        }
    }
}
