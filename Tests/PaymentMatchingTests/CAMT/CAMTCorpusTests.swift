import Events
import Foundation
import Money
import PaymentMatching
import Testing

/// Every camt file of the shared corpus (real files from OCA, genkgo and railslove) reads, with
/// the values read from the files by hand.
@Suite struct CAMTCorpusTests {
    private func read(_ path: String) throws -> StatementFile {
        try CAMTReader().read(CAMTFixtures.corpusFile(path))
    }

    private func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }
    private func chf(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .chf) }
    private func date(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    @Test func everyCamtFileOfTheCorpusParses() throws {
        var files: [URL] = []
        for folder in ["camt053", "camt054"] {
            let root = CAMTFixtures.corpusFile(folder)
            let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true { files.append(url) }
            }
        }
        #expect(files.count == 18)
        for url in files {
            let file = try CAMTReader().read(url)
            #expect(!file.statements.isEmpty, "\(url.lastPathComponent)")
            #expect(file.format == (url.path.contains("/camt054/") ? .camt054 : .camt053), "\(url.lastPathComponent)")
        }
    }

    @Test func ocaStatementHasThreeEntriesOneReversalAndOneBatch() throws {
        let file = try read("camt053/OCA-bank-statement-import/test-camt053")
        #expect(file.format == .camt053)
        #expect(file.statements.count == 1)
        let statement = try #require(file.statements.first)
        #expect(statement.id == "1234Test/1")
        #expect(statement.account.iban == "NL77ABNA0574908765")
        #expect(statement.currency == .eur)
        #expect(statement.openingBalance == eur(1_556_827))
        #expect(statement.closingBalance == eur(1_512_112))
        #expect(statement.entries.map(\.amount.minorUnits) == [75_425, 66_405, 140_531])
        #expect(statement.entries.map(\.creditDebit) == [.debit, .debit, .credit])
        #expect(statement.entries.map(\.reversal) == [false, true, false])
        #expect(statement.entries.map(\.details.count) == [0, 2, 0])
        #expect(statement.entries.map(\.location) == ["BkToCstmrStmt/Stmt[1]/Ntry[1]", "BkToCstmrStmt/Stmt[1]/Ntry[2]", "BkToCstmrStmt/Stmt[1]/Ntry[3]"])

        let debit = statement.entries[0]
        #expect(debit.bookingDate == (try date("2014-01-05")))
        #expect(debit.endToEndId == "435005714488-ABNO33052620")
        #expect(debit.remittance.unstructured == "Insurance policy 857239PERIOD 01.01.2014 - 31.12.2014")
        #expect(debit.counterparty == Counterparty(name: "INSURANCE COMPANY TESTX", iban: "NL46ABNA0499998748", bic: "ABNANL2A"))
        #expect(debit.transactionCode == "PMNT/RDDT/ESDD")

        let batch = statement.entries[1]
        #expect(batch.details.map(\.amount) == [eur(56_405), eur(10_000)])
        #expect(batch.details.map(\.endToEndId) == ["TESTBANK/NL/20141229/01206408", "TESTBANK/NL/20141229/01206407"])
        #expect(batch.details.map(\.remittance.unstructured) == ["Direct Debit S14 0410", "Direct Debit S14 0410"])
        #expect(batch.endToEndId == nil)

        let credit = statement.entries[2]
        #expect(credit.endToEndId == "115")
        #expect(credit.counterparty == Counterparty(name: "3rd party Media", iban: "NL69ABNA0522123643", bic: "ABNANL2A"))
        #expect(credit.remittance == Remittance())
    }

    @Test func bookingDateGivenAsDateTimeKeepsTheDayAsWritten() throws {
        let statement = try #require(try read("camt053/OCA-bank-statement-import/test-camt053-bookgdt-dttm").statements.first)
        #expect(statement.entries.count == 1)
        #expect(statement.entries[0].bookingDate == (try date("2014-01-04")))
        #expect(statement.entries[0].valueDate == (try date("2014-01-05")))
    }

    @Test func statementWithoutEntriesKeepsItsBalancesAndTheirCurrency() throws {
        let statement = try #require(try read("camt053/OCA-bank-statement-import/test-camt053-no-ntry").statements.first)
        #expect(statement.entries.isEmpty)
        #expect(statement.currency == .chf)
        #expect(statement.openingBalance == chf(152_076))
        #expect(statement.closingBalance == chf(152_076))
    }

    @Test func swissBatchWithTwoStructuredReferences() throws {
        let statement = try #require(try read("camt053/OCA-bank-statement-import/test-camt053-txdtls").statements.first)
        #expect(statement.account.iban == "CH1111000000123456789")
        #expect(statement.openingBalance == chf(7_596_015))
        #expect(statement.closingBalance == chf(7_944_315))
        let entry = try #require(statement.entries.first)
        #expect(entry.amount == chf(348_300))
        #expect(entry.creditDebit == .credit)
        #expect(entry.reversal == false)
        #expect(entry.bankReference == "20170323001234567891234567891234")
        #expect(entry.entryReference == "012345678")
        #expect(entry.details.map(\.amount) == [chf(218_700), chf(129_600)])
        #expect(entry.details.map(\.remittance.structured) == [["302388292000011111111111111"], ["302388292000022222222222222"]])
        #expect(entry.details.map(\.bankReference) == ["123456CHCAFEBABE", "123456CHCAFEBABE"])
        #expect(entry.details.map { $0.counterparty?.iban } == ["CH2222000000123456789", "CH3333000000123456789"])
        #expect(entry.details.map { $0.counterparty?.bic } == ["POFICHBEXXX", "POFICHBEYYY"])
        #expect(entry.details.allSatisfy { $0.counterparty?.name == "Banque Cantonale Vaudoise" })
    }

    @Test func allBalanceTypesTakeOpeningAndClosingBooked() throws {
        let statement = try #require(try read("camt053/genkgo-camt/camt053.v2.all-balance-types.xml").statements.first)
        #expect(statement.account.iban == nil)
        #expect(statement.account.other == "CH2801234000123456789")
        #expect(statement.openingBalance == eur(101))
        #expect(statement.closingBalance == eur(404))
        #expect(statement.entries.map(\.amount) == [eur(885)])
    }

    @Test func trailingZeroDecimalsBeyondTheCurrencyAreExact() throws {
        let statement = try #require(try read("camt053/genkgo-camt/camt053.v2.five.decimals.xml").statements.first)
        #expect(statement.openingBalance == eur(1_815))
        #expect(statement.closingBalance == eur(2_705))
        #expect(statement.entries.map(\.amount) == [eur(885)])
        #expect(statement.entries[0].endToEndId == "000000001")
    }

    @Test func minimalV2WithStructuredReferenceAndDebitClosingBalanceInAnotherCurrency() throws {
        let statement = try #require(try read("camt053/genkgo-camt/camt053.v2.minimal.xml").statements.first)
        #expect(statement.account.iban == "NL26VAYB8060476890")
        #expect(statement.openingBalance == eur(1_815))
        let sek = try Currency(code: "SEK")
        #expect(statement.closingBalance == Money(minorUnits: -2_700, currency: sek))
        let entry = try #require(statement.entries.first)
        #expect(entry.remittance.structured == ["4654654654654654"])
        #expect(entry.counterparty == Counterparty(name: "NAME NAME", iban: "NL56AGDH9619008421"))
        #expect(entry.valueDate == (try date("2015-01-02")))
    }

    @Test func twoStatementsInOneFile() throws {
        let file = try read("camt053/genkgo-camt/camt053.v2.multi.statement.xml")
        #expect(file.statements.map(\.id) == ["253EURNL26VAYB8060476890", "254EURNL26VAYB8060476890"])
        #expect(file.statements.map(\.openingBalance) == [eur(1_815), eur(2_700)])
        #expect(file.statements.map(\.closingBalance) == [eur(2_700), eur(2_000)])
        #expect(file.statements.map { $0.entries.map(\.amount) } == [[eur(885)], [eur(700)]])
        #expect(file.statements[1].entries[0].location == "BkToCstmrStmt/Stmt[2]/Ntry[1]")
        #expect(file.statements[1].entries[0].counterparty?.name == "Company Name 2")
        #expect(file.statements[1].entries[0].remittance.unstructured == "Transaction Description 2")
    }

    @Test func partyIdentifiersDoNotDisturbTheCounterparty() throws {
        let entry = try #require(try read("camt053/genkgo-camt/camt053.v2.with-party-ids.xml").statements.first?.entries.first)
        #expect(entry.counterparty == Counterparty(name: "NAME NAME", iban: "NL56AGDH9619008421"))
        #expect(entry.remittance.structured == ["4654654654654654"])
    }

    @Test func version4AndVersion8ReadAlike() throws {
        let v4 = try #require(try read("camt053/genkgo-camt/camt053.v4.xml").statements.first)
        let v8 = try #require(try read("camt053/genkgo-camt/camt053.v8.xml").statements.first)
        for statement in [v4, v8] {
            #expect(statement.account.other == "NL26VAYB8060476890")
            #expect(statement.currency == .eur)
            #expect(statement.entries.count == 1)
            #expect(statement.entries[0].amount == eur(885))
            #expect(statement.entries[0].bankReference == "AAAASESS-FP-CN_98765/01")
            #expect(statement.entries[0].counterparty == Counterparty(name: "NAME NAME", iban: "NL56AGDH9619008421"))
        }
        // v8: Dbtr/Pty/Nm, Sts/Cd and a DtTm booking date.
        #expect(v8.entries[0].endToEndId == "MUELL/FINP/RA12345")
        #expect(v8.entries[0].bookingDate == (try date("2014-12-31")))
    }

    @Test func railsloveExamplesDropNotProvidedAndSplitTheBatch() throws {
        for path in ["camt053/railslove-camt_parser/valid_example.xml", "camt053/railslove-camt_parser/valid_example_with_btch.xml"] {
            let statement = try #require(try read(path).statements.first)
            #expect(statement.account.iban == "DE14740618130000033626")
            #expect(statement.openingBalance == eur(3_306)) // PRCD
            #expect(statement.closingBalance == eur(2_306))
            #expect(statement.entries.map(\.amount) == [eur(200), eur(300), eur(100), eur(600)])
            #expect(statement.entries.map(\.creditDebit) == [.debit, .debit, .credit, .debit])
            #expect(statement.entries.map(\.bankReference) == ["2013122710583450000", "2013122710583600000", "2013122711085260000", "2013122711513230000"])
            #expect(statement.entries[1].endToEndId == nil) // NOTPROVIDED
            #expect(statement.entries[0].counterparty == Counterparty(name: "Testkonto Nummer 2", iban: "DE09300606010012345671", bic: "DAAEDEDDXXX"))
            #expect(statement.entries[2].counterparty == Counterparty(name: "Testkonto Nummer 2"))
            #expect(statement.entries[3].details.map(\.amount) == [eur(350), eur(250)])
            #expect(statement.entries[3].details.map(\.remittance.unstructured) == ["Sammelueberwseisung 2. Zahlung   TAN:283044", "Sammelueberweisung 1. Zahlung   TAN:283044"])
            #expect(statement.entries[3].details.map(\.counterparty?.name) == ["Testkonto Nummer 1", "Testkonto Nummer 1"])
        }
    }

    @Test func ocaNotificationFoldsItsOnlyTransaction() throws {
        let file = try read("camt054/OCA-bank-statement-import/test-camt054")
        #expect(file.format == .camt054)
        let statement = try #require(file.statements.first)
        #expect(statement.id == "20220120000000000000000")
        #expect(statement.account.iban == "NL77ABNA0574908765")
        #expect(statement.openingBalance == nil)
        let entry = try #require(statement.entries.first)
        #expect(entry.amount == eur(500))
        #expect(entry.creditDebit == .credit)
        #expect(entry.bankReference == "98888208N8")
        #expect(entry.entryReference == "NL0000000000000000000")
        #expect(entry.endToEndId == "ENDTOENDID-01")
        #expect(entry.remittance.structured == ["000000000000000000000000003"])
        #expect(entry.counterparty == Counterparty(name: "Test Customer", iban: "NL46ABNA0499998748"))
        #expect(entry.location == "BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[1]")
    }

    @Test func genkgoNotificationsHaveThreeTransactionsEach() throws {
        let sek = try Currency(code: "SEK")
        let v2 = try #require(try read("camt054/genkgo-camt/camt054.v2.xml").statements.first)
        #expect(v2.currency == sek)
        #expect(v2.account.other == "CH2801234000123456789")
        let v2Entry = try #require(v2.entries.first)
        #expect(v2Entry.amount == Money(minorUnits: 20_000_000, currency: sek))
        #expect(v2Entry.details.count == 3)
        #expect(v2Entry.details.map(\.remittance.structured) == [["ISR ref number V1"], ["ISR ref number V2"], ["Ref number V3 block 1", "Ref number V3 block 2"]])
        #expect(v2Entry.details[2].remittance.unstructured == "Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 block 2")
        // A debit's counterparty is the creditor, absent here.
        #expect(v2Entry.details.allSatisfy { $0.counterparty == nil })

        for path in ["camt054/genkgo-camt/camt054.v4.xml", "camt054/genkgo-camt/camt054.v8.xml"] {
            let entry = try #require(try read(path).statements.first?.entries.first)
            #expect(entry.bankReference == "ACSR160617103200001")
            #expect(entry.details.map(\.amount) == [Money(minorUnits: 310, currency: .chf), Money(minorUnits: 320, currency: .chf), Money(minorUnits: 320, currency: .chf)])
            #expect(entry.details.map(\.endToEndId) == ["UXC06170000006PI00001EE00001", "UXC06170000006PI00001EE00002", "UXC06170000006PI00001EE00002"])
            // The file books the entry DBIT but each transaction CRDT: a transaction's own
            // CdtDbtInd decides, so its counterparty is the debtor.
            #expect(entry.creditDebit == .debit)
            #expect(entry.details.map(\.creditDebit) == [.credit, .credit, .credit])
            #expect(entry.details.map(\.counterparty) == Array(repeating: Counterparty(name: "UNIFITS GmbH", iban: "CH2801234000123456789", bic: "BANKCHZHXXX"), count: 3))
        }

        let uetr = try #require(try read("camt054/genkgo-camt/camt054.v8-with-UETR.xml").statements.first)
        #expect(uetr.entries.count == 1)
        #expect(uetr.entries[0].bookingDate == nil)
        #expect(uetr.entries[0].transactionCode == nil)
        #expect(uetr.entries[0].details.isEmpty)
    }
}
