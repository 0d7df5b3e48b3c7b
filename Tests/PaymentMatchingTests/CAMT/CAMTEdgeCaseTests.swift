import Events
import Foundation
import Money
import PaymentMatching
import Testing

/// Hand-written camt documents for what the corpus does not show.
@Suite struct CAMTEdgeCaseTests {
    private func eur(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: .eur) }

    @Test func intradayReportReadsAsCamt052AndSkipsPendingEntries() throws {
        let text = """
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08">
              <BkToCstmrAcctRpt>
                <GrpHdr><MsgId>R1</MsgId></GrpHdr>
                <Rpt>
                  <Id>RPT-7</Id>
                  <Acct><Id><IBAN>DE89 3704 0044 0532 0130 00</IBAN></Id></Acct>
                  <Ntry><Amt Ccy="EUR">12.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
                    <BookgDt><DtTm>2025-03-04T09:15:00+01:00</DtTm></BookgDt></Ntry>
                  <Ntry><Amt Ccy="EUR">99.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts></Ntry>
                  <Ntry><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></Ntry>
                </Rpt>
              </BkToCstmrAcctRpt>
            </Document>
            """
        let file = try CAMTFixtures.read(text)
        #expect(file.format == .camt052)
        let report = try #require(file.statements.first)
        #expect(report.id == "RPT-7")
        #expect(report.account.iban == "DE89370400440532013000")
        #expect(report.currency == .eur) // from the first entry: no Acct/Ccy, no balance
        #expect(report.entries.map(\.amount) == [eur(1_250), eur(300)])
        #expect(report.entries.map(\.location) == ["BkToCstmrAcctRpt/Rpt[1]/Ntry[1]", "BkToCstmrAcctRpt/Rpt[1]/Ntry[3]"])
        #expect(report.entries[0].bookingDate == (try CalendarDate(iso8601: "2025-03-04")))
        #expect(try CAMTFixtures.read(text, format: .camt052).format == .camt052)
    }

    @Test func aGivenFormatThatIsNotTheDocumentsIsRefused() throws {
        let text = CAMTFixtures.camt053(CAMTFixtures.entry("1.00"))
        let error = try #require(try CAMTFixtures.error(text, format: .camt054))
        #expect(error.code == .unknownFormat)
        #expect(error.reason.contains("camt.053"))
        #expect(try CAMTFixtures.error(text, format: .mt940)?.code == .unknownFormat)
    }

    @Test func entryWithoutOptionalPartsReads() throws {
        let file = try CAMTFixtures.read(CAMTFixtures.camt053("<Ntry><Amt Ccy=\"EUR\">5</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>"))
        let statement = try #require(file.statements.first)
        #expect(statement.openingBalance == nil)
        #expect(statement.closingBalance == nil)
        let entry = try #require(statement.entries.first)
        #expect(entry == StatementEntry(amount: eur(500), creditDebit: .credit, location: "BkToCstmrStmt/Stmt[1]/Ntry[1]"))
    }

    @Test func missingAmountOrDirectionIsMalformedAtTheEntry() throws {
        let noAmount = try #require(try CAMTFixtures.error(CAMTFixtures.camt053("<Ntry><CdtDbtInd>CRDT</CdtDbtInd></Ntry>")))
        #expect(noAmount.code == .malformed)
        #expect(noAmount.location == "BkToCstmrStmt/Stmt[1]/Ntry[1]")
        let noDirection = try #require(try CAMTFixtures.error(CAMTFixtures.camt053("<Ntry><Amt Ccy=\"EUR\">1</Amt></Ntry>")))
        #expect(noDirection.code == .malformed)
        #expect(noDirection.reason.contains("CdtDbtInd"))
        let badDirection = try #require(try CAMTFixtures.error(CAMTFixtures.camt053(CAMTFixtures.entry("1", "CREDIT"))))
        #expect(badDirection.code == .malformed)
    }

    @Test func amountsWithTooManyNonZeroDecimalsAreInvalid() throws {
        let error = try #require(try CAMTFixtures.error(CAMTFixtures.camt053(CAMTFixtures.entry("8.855"))))
        #expect(error.code == .invalidAmount)
        #expect(error.reason.contains("EUR has 2"))
        #expect(error.location?.contains("Stmt[1]/Ntry[1]/Amt") == true, "\(error)")
        let zeros = try CAMTFixtures.read(CAMTFixtures.camt053(CAMTFixtures.entry("8.85000")))
        #expect(zeros.statements.first?.entries.first?.amount == eur(885))
    }

    @Test func currencyDigitsDecideTheMinorUnits() throws {
        let body = """
            <Ntry><Amt Ccy="JPY">2700</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>
            <Ntry><Amt Ccy="KWD">1.234</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>
            <Ntry><Amt Ccy="EUR">.5</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>
            """
        let entries = try #require(try CAMTFixtures.read(CAMTFixtures.camt053(body)).statements.first?.entries)
        #expect(entries.map(\.amount.minorUnits) == [2_700, 1_234, 50])
        #expect(try CAMTFixtures.error(CAMTFixtures.camt053("<Ntry><Amt Ccy=\"JPY\">2700.5</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>"))?.code == .invalidAmount)
    }

    @Test func unknownCurrencyIsInvalid() throws {
        let error = try #require(try CAMTFixtures.error(CAMTFixtures.camt053("<Ntry><Amt Ccy=\"EUE\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>")))
        #expect(error.code == .invalidAmount)
        #expect(error.reason.contains("EUE"))
    }

    @Test func negativeZeroOrNonNumericEntryAmountsAreMalformed() throws {
        for amount in ["-5.00", "0", "0.00", "1,00", "abc", ""] {
            let error = try #require(try CAMTFixtures.error(CAMTFixtures.camt053(CAMTFixtures.entry(amount))), "\(amount)")
            #expect(error.code == .malformed, "\(amount): \(error)")
        }
        let tooLarge = try #require(try CAMTFixtures.error(CAMTFixtures.camt053(CAMTFixtures.entry("99999999999999999999"))))
        #expect(tooLarge.code == .invalidAmount)
    }

    @Test func amountWithoutCurrencyTakesTheAccountCurrency() throws {
        let file = try CAMTFixtures.read(CAMTFixtures.camt053("<Ntry><Amt>7.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry>"))
        #expect(file.statements.first?.entries.first?.amount == eur(700))
    }

    @Test func debitBalanceIsNegativeAndPreviousClosingServesAsOpening() throws {
        let body = """
            <Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2025-03-01</Dt></Dt></Bal>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-03-02</Dt></Dt></Bal>
            \(CAMTFixtures.entry("15.00"))
            """
        let statement = try #require(try CAMTFixtures.read(CAMTFixtures.camt053(body)).statements.first)
        #expect(statement.openingBalance == eur(-1_000))
        #expect(statement.closingBalance == eur(500))
    }

    @Test func reversedCreditNamesTheOriginalPayer() throws {
        // A returned incoming payment is booked DBIT with RvslInd: the payer stays the debtor.
        let body = CAMTFixtures.entry("25.00", "DBIT", extra: """
            <RvslInd>true</RvslInd><NtryDtls><TxDtls><Refs><EndToEndId>E2E-9</EndToEndId></Refs>
            <RltdPties><Dbtr><Nm>Dupont SARL</Nm></Dbtr><DbtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></DbtrAcct>
            <Cdtr><Nm>Us</Nm></Cdtr></RltdPties></TxDtls></NtryDtls>
            """)
        let entry = try #require(try CAMTFixtures.read(CAMTFixtures.camt053(body)).statements.first?.entries.first)
        #expect(entry.reversal)
        #expect(entry.creditDebit == .debit)
        #expect(entry.endToEndId == "E2E-9")
        #expect(entry.counterparty == Counterparty(name: "Dupont SARL", iban: "FR1420041010050500013M02606"))
    }

    @Test func prefixedNamespacesEntitiesCDATAAndCommentsRead() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- exported by the bank -->
            <ns2:Document xmlns:ns2="urn:iso:std:iso:20022:tech:xsd:camt.053.001.06">
              <ns2:BkToCstmrStmt>
                <ns2:Stmt>
                  <ns2:Id>S&amp;1</ns2:Id>
                  <ns2:Acct><ns2:Id><ns2:Othr><ns2:Id>12345</ns2:Id></ns2:Othr></ns2:Id><ns2:Ccy>EUR</ns2:Ccy></ns2:Acct>
                  <ns2:Ntry>
                    <ns2:Amt Ccy='EUR'>10.00</ns2:Amt><ns2:CdtDbtInd>CRDT</ns2:CdtDbtInd>
                    <?bank-tool keep?>
                    <ns2:NtryDtls><ns2:TxDtls>
                      <ns2:RmtInf><ns2:Ustrd><![CDATA[Invoice <F-2025-001>]]> &#233;t&#xE9; &lt;ok&gt;</ns2:Ustrd><ns2:Ustrd>second</ns2:Ustrd></ns2:RmtInf>
                      <ns2:RltdPties><ns2:Dbtr><ns2:Nm>L&apos;Atelier &quot;Bleu&quot;</ns2:Nm></ns2:Dbtr></ns2:RltdPties>
                    </ns2:TxDtls></ns2:NtryDtls>
                  </ns2:Ntry>
                </ns2:Stmt>
              </ns2:BkToCstmrStmt>
            </ns2:Document>
            """
        let file = try CAMTFixtures.read(text)
        let statement = try #require(file.statements.first)
        #expect(statement.id == "S&1")
        #expect(statement.account.other == "12345")
        let entry = try #require(statement.entries.first)
        #expect(entry.remittance.unstructured == "Invoice <F-2025-001> été <ok> second")
        #expect(entry.counterparty?.name == "L'Atelier \"Bleu\"")
    }

    @Test func latin1DeclaredFileReadsItsAccents() throws {
        var data = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n".utf8)
        data.append(Data(CAMTFixtures.camt053(CAMTFixtures.entry("1.00", extra: "<NtryDtls><TxDtls><RmtInf><Ustrd>Facture n\u{00B0} 12 r\u{00E9}gl\u{00E9}e</Ustrd></RmtInf></TxDtls></NtryDtls>"))
            .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", with: "").data(using: .isoLatin1) ?? Data()))
        let url = try CAMTFixtures.file(data)
        defer { try? FileManager.default.removeItem(at: url) }
        let entry = try #require(try CAMTReader().read(url).statements.first?.entries.first)
        #expect(entry.remittance.unstructured == "Facture n\u{00B0} 12 r\u{00E9}gl\u{00E9}e")
    }

    @Test func entriesAndTheClosingBalanceReachTheVisitorInOrder() throws {
        struct Recorder: StatementVisitor {
            var calls: [String] = []
            mutating func beginStatement(_ statement: BankStatement) throws(StatementError) {
                calls.append("begin \(statement.id ?? "") \(statement.closingBalance?.minorUnits ?? -1)")
            }
            mutating func visit(_ entry: StatementEntry) throws(StatementError) { calls.append("entry \(entry.amount.minorUnits)") }
            mutating func endStatement(closingBalance: Money?) throws(StatementError) { calls.append("end \(closingBalance?.minorUnits ?? -1)") }
        }
        let body = """
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">3.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal>
            \(CAMTFixtures.entry("1.00"))\(CAMTFixtures.entry("2.00"))
            """
        let url = try CAMTFixtures.file(CAMTFixtures.camt053(body))
        defer { try? FileManager.default.removeItem(at: url) }
        var recorder = Recorder()
        try CAMTReader().read(url, into: &recorder)
        #expect(recorder.calls == ["begin S1 300", "entry 100", "entry 200", "end 300"])
    }

    @Test func detectionFromTheFirstBytes() {
        func detect(_ text: String) -> StatementFormat? { CAMTReader.looksLikeCAMT(prefix: Array(text.utf8)) }
        #expect(detect("<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr>") == .camt053)
        #expect(detect("\u{FEFF}<Document><BkToCstmrAcctRpt>") == .camt052)
        #expect(detect("<x:Document xmlns:x=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\">\n  <x:BkToCstmrDbtCdtNtfctn>") == .camt054)
        // Cut before the message element: the namespace decides.
        #expect(detect("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.04\"") == .camt054)
        // A DOCTYPE still reaches the camt reader, which refuses it.
        #expect(detect("<?xml version=\"1.0\"?><!DOCTYPE Document [<!ENTITY a \"b\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">") == .camt053)
        #expect(detect("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.03\"><CstmrCdtTrfInitn>") == nil)
        #expect(detect(":20:STMT\n:25:NL77ABNA0574908765") == nil)
        #expect(detect("<html><body>") == nil)
        #expect(detect("") == nil)
    }
}
