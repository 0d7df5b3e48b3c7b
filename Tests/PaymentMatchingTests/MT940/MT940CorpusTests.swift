import Events
import Foundation
import Money
import PaymentMatching
import Testing

/// Concrete values from the real MT940 files of the shared corpus, checked against the files
/// by hand.
@Suite struct MT940CorpusTests {
    static func read(_ name: String) throws -> StatementFile {
        try ParseCommand.parse(file: StatementTestFiles.corpusFile("mt940/" + name))
    }

    static func date(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    @Test func knabReferencesAndAnAmountWithoutDecimals() throws {
        let file = try Self.read("WoLpH-mt940/knab.sta")
        #expect(file.statements[0].openingBalance == Money(minorUnits: 0, currency: .eur))
        #expect(file.statements[0].closingBalance == Money(minorUnits: 50_000, currency: .eur))
        #expect(file.statements[0].balanceMismatch == nil)
        let entry = file.statements[1].entries[1]
        #expect(entry.amount == Money(minorUnits: 50_000, currency: .eur)) // "C500" without a comma
        #expect(entry.creditDebit == .credit)
        #expect(entry.bookingDate == (try Self.date("2014-07-29")))
        #expect(entry.entryReference == "29-07-2014 10:05")
        #expect(entry.bankReference == "B4G29PGDCK1QFV3E")
        #expect(entry.remittance.unstructured?.contains("ORDERID: 264267 MEDIA MARKT ONLINE NE REK: NL84INGB0234561789") == true)
    }

    @Test func rabobankDutchTagsAndTheCounterpartyIBANInTheSupplementaryDetails() throws {
        let file = try Self.read("WoLpH-mt940/rabobank-iban.sta")
        let first = file.statements[0].entries[0]
        #expect(first.endToEndId == "01-01-2013 12:00 0030000987654321")
        #expect(first.counterparty == Counterparty(name: "CONTRA ACCOUNT HOLDER", iban: "NL70ABNA0987654321"))
        #expect(first.amount.minorUnits == 2_500)
        #expect(file.statements[0].entries[1].remittance.unstructured == "Reference 201301234")
        #expect(file.statements[0].entries[1].counterparty?.name == "JOHN DOE")
        #expect(file.statements.map(\.balanceMismatch) == [nil, nil])
    }

    @Test func germanSepaSubfieldsAndAStatementWithoutClosingBalance() throws {
        let file = try Self.read("WoLpH-mt940/gv_codes.sta")
        let entry = file.statements[0].entries[0]
        #expect(entry.amount.minorUnits == 23_315)
        #expect(entry.creditDebit == .debit)
        #expect(entry.endToEndId == "1234567890123 PAYPAL")
        #expect(entry.remittance.unstructured == ". SPOTIFY, Ihr Einkaufbei SPOTIFY")
        #expect(entry.counterparty?.name == "PayPal (Europe) S.a.r.l. et")
        #expect(file.statements[0].entries[1].valueDate == (try Self.date("2019-10-25")))
        #expect(file.statements[0].closingBalance == nil)
    }

    @Test func sepaFileReversalsDebitBalancesAndPayerDetails() throws {
        let file = try Self.read("WoLpH-mt940/sepa_mt9401.sta")
        #expect(file.statements[0].openingBalance == Money(minorUnits: -123_471_836, currency: .eur))
        let reversals = file.statements.flatMap(\.entries).filter(\.reversal)
        #expect(reversals.count == 2)
        #expect(reversals[0].creditDebit == .debit) // RC
        #expect(reversals[0].amount.minorUnits == 20_488)
        #expect(reversals[0].remittance.unstructured == "0904059003")
        let payment = file.statements[1].entries[0]
        #expect(payment.amount.minorUnits == 1_500_005)
        #expect(payment.counterparty?.iban == "DE42100100100043921105")
        #expect(payment.counterparty?.bic == "PBNKDEFF100")
        #expect(payment.endToEndId == "EndToEndIdTFNR2000400001")
    }

    @Test func latin1FileAndAMismatchOfTheAnonymisedBalancesReportedAsData() throws {
        let file = try Self.read("WoLpH-mt940/raiffeisen-cmi.sta")
        let statement = file.statements[0]
        #expect(statement.currency.code == "HUF")
        #expect(statement.entries.count == 7)
        #expect(statement.entries[0].amount.minorUnits == 206_663_700)
        #expect(statement.entries[0].remittance.unstructured?.contains("HUNGARY KFT.") == true)
        // Windows-1252 decoding of the bytes 0x94 and 0x82 (the file is not UTF-8).
        #expect(statement.entries[0].remittance.unstructured?.contains("\u{201D}sszevont") == true)
        // 25,170,637.10 + 2,066,637.00 - 3,078,850.50 = 24,158,423.60; the file says 25,281,687.60.
        #expect(statement.balanceMismatch?.minorUnits == 112_326_400)
    }

    @Test func abnAmroShortAmountsAndBalancesThatDoNotReconcile() throws {
        let file = try Self.read("WoLpH-mt940/abnamro.sta")
        let entries = file.statements[0].entries
        #expect(entries[0].amount.minorUnits == 900) // "9,"
        #expect(entries[3].amount.minorUnits == 1_180) // "11,8"
        #expect(entries[0].remittance.unstructured?.hasPrefix("GIRO 428428 KPN - DIGITENNE BETALINGSKENM. 000000042188659 5314606715") == true)
        // 3236.28 - 321.44 = 2914.84 against a closing balance of 876.84.
        #expect(file.statements[0].balanceMismatch?.minorUnits == -203_800)
    }

    @Test func triodosSubfieldsMarkedWithAGreaterThanSign() throws {
        let entry = try Self.read("WoLpH-mt940/triodos.sta").statements[0].entries[0]
        #expect(entry.remittance.unstructured == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010")
        #expect(entry.transactionCode == "N000")
    }

    @Test func asnReferenceThatIsTheCounterpartyIBAN() throws {
        let file = try Self.read("WoLpH-mt940/0708271685_09022020_164516.940.txt")
        #expect(file.statements.count == 31)
        let entry = file.statements[0].entries[0]
        #expect(entry.transactionCode == "NOVB")
        #expect(entry.entryReference == "NL47INGB9999999999")
        #expect(entry.counterparty?.iban == "NL47INGB9999999999")
        #expect(entry.remittance.unstructured == "NL47INGB9999999999 hr gjlm paulissen Betaling sieraden")
        #expect(file.statements.allSatisfy { $0.balanceMismatch == nil })
    }

    @Test func mt942InterimReportTakesItsCurrencyFromTheFloorLimit() throws {
        let file = try Self.read("WoLpH-mt940/mt942.sta")
        let statement = file.statements[0]
        #expect(statement.currency.code == "PLN")
        #expect(statement.openingBalance == nil)
        #expect(statement.entries.map(\.amount.minorUnits) == [1, 1, 1])
        #expect(statement.entries.map(\.bankReference) == ["MB170119012058", "MB170119012085", "MB170119012121"])
    }
}
