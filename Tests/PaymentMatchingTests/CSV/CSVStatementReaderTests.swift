import Events
import Foundation
import Money
import PaymentMatching
import Testing

@Suite struct CSVStatementReaderTests {
    static let folder = "csv/BananaAccounting-Switzerland/"

    static let akb = CSVStatementMapping(date: "Buchung", dateFormat: "dd.MM.yyyy", credit: "Gutschrift", debit: "Belastung", fixedCurrency: "CHF",
                                         remittance: ["Buchungstext"])
    static let clerBank = CSVStatementMapping(date: "Data di registrazione", dateFormat: "dd.MM.yyyy", valueDate: "Data valuta",
                                              credit: "Importo di accredito (EUR)", debit: "Importo di addebito (EUR)", fixedCurrency: "EUR",
                                              payerName: "Testo", remittance: ["Tipo di ordine", "Testo"])
    static let ubs = CSVStatementMapping(date: "Data di contabilizzazione", valueDate: "Data di valuta", credit: "Accredito", debit: "Addebito",
                                         currency: "Moneta", remittance: ["Descrizione1", "Descrizione2"], bankReference: "N. di transazione",
                                         detailAmount: "Importo singolo")

    static func totals(_ statement: BankStatement) -> (credits: Int64, debits: Int64) {
        statement.entries.reduce((0, 0)) { sum, entry in
            entry.creditDebit == .credit ? (sum.0 + entry.amount.minorUnits, sum.1) : (sum.0, sum.1 + entry.amount.minorUnits)
        }
    }

    @Test func akbCreditAndDebitColumnsWithABOMAndThousandsApostrophes() throws {
        let parsed = try CSVStatementReader(mapping: Self.akb).read(StatementTestFiles.corpusFile(Self.folder + "csv_akb_example_format3_20241018.csv"))
        #expect(parsed.format == .csv)
        let statement = try #require(parsed.statements.first)
        #expect(parsed.statements.count == 1)
        #expect(statement.currency == .chf)
        #expect(statement.entries.count == 17)
        #expect(Self.totals(statement).credits == 5_270_575)
        #expect(Self.totals(statement).debits == 3_370_108)
        let first = statement.entries[0]
        #expect(first.bookingDate == (try CalendarDate(iso8601: "2024-10-11")))
        #expect(first.amount == Money(minorUnits: 15_000, currency: .chf))
        #expect(first.creditDebit == .credit)
        #expect(first.remittance.unstructured == "Flaviturumentho / Træ.-By. 511811622 NUMENTINT NATE")
        #expect(first.location == "line 2")
        let last = try #require(statement.entries.last)
        #expect(last.amount.minorUnits == 2_167_445)
        #expect(last.creditDebit == .debit)
    }

    @Test func clerBankQuotedFieldsSpanningLines() throws {
        let parsed = try CSVStatementReader(mapping: Self.clerBank)
            .read(StatementTestFiles.corpusFile(Self.folder + "csv_clerbank_example_format1_EUR_20241021.csv"))
        let statement = try #require(parsed.statements.first)
        #expect(statement.entries.count == 40)
        #expect(Self.totals(statement).credits == 5_790_452)
        #expect(Self.totals(statement).debits == 4_488_550)
        let first = statement.entries[0]
        #expect(first.amount == Money(minorUnits: 96_194, currency: .eur))
        #expect(first.creditDebit == .debit)
        #expect(first.remittance.unstructured == "Pagamento all'estero OMEGA SOLUTIONS INC 4501 NOVA CITY Z908765432")
        #expect(statement.entries[1].location == "line 5")
        #expect(statement.entries.last?.bookingDate == (try CalendarDate(iso8601: "2022-10-10")))
    }

    @Test func ubsPreambleSkippedAndBatchRowsBecomeDetails() throws {
        let parsed = try CSVStatementReader(mapping: Self.ubs).read(StatementTestFiles.corpusFile(Self.folder + "csv_ubs_example_format3_it_wdetails_20241111.csv"))
        let statement = try #require(parsed.statements.first)
        #expect(statement.entries.count == 12)
        #expect(Self.totals(statement).credits == 709_350)
        #expect(Self.totals(statement).debits == 1_455_075)
        #expect(statement.entries[0].bankReference == "9999313ZC2021435")
        let batch = statement.entries[3]
        #expect(batch.amount == Money(minorUnits: 301_910, currency: .chf))
        #expect(batch.details.count == 7)
        #expect(batch.details.compactMap(\.amount?.minorUnits).reduce(0, +) == 301_910)
        #expect(statement.entries.last?.creditDebit == .debit)
        #expect(statement.entries.last?.amount.minorUnits == 721_880)
    }

    @Test func aSignedAmountColumnWithDecimalCommaTabsAndACurrencyColumn() throws {
        let text = "Datum\tBedrag\tMunt\tNaam\tIBAN\tOmschrijving\n" +
            "02-01-2025\t1.234,56\tEUR\tACME BV\tNL91 ABNA 0417 1643 00\tFactuur 2025-001\n" +
            "03-01-2025\t-12,5\tEUR\t\t\tKosten\n"
        let mapping = CSVStatementMapping(delimiter: "tab", decimalSeparator: ",", date: "Datum", dateFormat: "dd-MM-yyyy", amount: "Bedrag",
                                          currency: "Munt", payerName: "Naam", iban: "IBAN", remittance: ["Omschrijving"])
        let statement = try #require(try CSVStatementReader(mapping: mapping).read(try StatementTestFiles.temporary(text)).statements.first)
        #expect(statement.entries.map(\.amount.minorUnits) == [123_456, 1_250])
        #expect(statement.entries.map(\.creditDebit) == [.credit, .debit])
        #expect(statement.entries[0].counterparty == Counterparty(name: "ACME BV", iban: "NL91ABNA0417164300"))
        #expect(statement.entries[0].remittance.unstructured == "Factuur 2025-001")
        #expect(statement.entries[1].bookingDate == (try CalendarDate(iso8601: "2025-01-03")))
    }

    @Test func commaDelimitedWithQuotedDoubledQuotesAndPointDecimals() throws {
        let text = "date,amount,text\n2025-02-01,\"1,234.50\",\"said \"\"hello\"\"\"\n"
        let mapping = CSVStatementMapping(delimiter: ",", date: "date", amount: "amount", fixedCurrency: "USD", remittance: ["text"])
        let entry = try #require(try CSVStatementReader(mapping: mapping).read(try StatementTestFiles.temporary(text)).statements.first?.entries.first)
        #expect(entry.amount == Money(minorUnits: 123_450, currency: .usd))
        #expect(entry.remittance.unstructured == "said \"hello\"")
    }

    // MARK: Bad input

    static let simple = CSVStatementMapping(delimiter: ",", date: "date", amount: "amount", currency: "ccy")

    static func error(_ text: String, mapping: CSVStatementMapping = simple) throws -> StatementError {
        try #require(StatementTestFiles.error(reading: try StatementTestFiles.temporary(text), with: CSVStatementReader(mapping: mapping)))
    }

    @Test func tooManyDecimalsIsAnInvalidAmountAtItsLineAndColumn() throws {
        let error = try Self.error("date,amount,ccy\n2025-01-01,10.00,EUR\n2025-01-02,10.005,EUR\n")
        #expect(error.code == .invalidAmount)
        #expect(error.location == "line 3, column 'amount'")
    }

    @Test func anUnknownCurrencyIsRefused() throws {
        let error = try Self.error("date,amount,ccy\n2025-01-01,10.00,EUX\n")
        #expect(error.code == .invalidAmount)
        #expect(error.location == "line 2, column 'ccy'")
    }

    @Test func aNegativeCreditIsRefused() throws {
        let mapping = CSVStatementMapping(delimiter: ",", date: "date", credit: "in", debit: "out", fixedCurrency: "EUR")
        let error = try Self.error("date,in,out\n2025-01-01,-5.00,\n", mapping: mapping)
        #expect(error.code == .invalidAmount)
        #expect(error.location == "line 2")
    }

    @Test func aDateNotInTheMappedFormatIsMalformed() throws {
        let error = try Self.error("date,amount,ccy\n01/02/2025,10.00,EUR\n")
        #expect(error.code == .malformed)
        #expect(error.location == "line 2")
    }

    @Test func aFileWithoutTheMappedHeaderIsMalformed() throws {
        let error = try Self.error("when,how much\n2025-01-01,10.00\n")
        #expect(error.code == .malformed)
        #expect(error.reason.contains("header"))
    }

    @Test func anUnclosedQuoteIsATruncatedFile() throws {
        let error = try Self.error("date,amount,ccy\n2025-01-01,\"10.00,EUR\n")
        #expect(error.code == .malformed)
        #expect(error.location == "line 2")
    }

    @Test func aMappingWithoutAmountColumnsIsRefusedBeforeReading() throws {
        let mapping = CSVStatementMapping(date: "date", fixedCurrency: "EUR")
        let error = try Self.error("date\n2025-01-01\n", mapping: mapping)
        #expect(error.code == .unsupported)
    }

    @Test func theMappingDecodesFromJSONWithDefaults() throws {
        let json = #"{"date": "Buchung", "dateFormat": "dd.MM.yyyy", "credit": "Gutschrift", "debit": "Belastung", "fixedCurrency": "CHF", "remittance": ["Buchungstext"]}"#
        let decoded = try JSONDecoder().decode(CSVStatementMapping.self, from: Data(json.utf8))
        #expect(decoded == Self.akb)
    }
}
