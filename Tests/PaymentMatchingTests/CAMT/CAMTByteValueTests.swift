import Events
import Foundation
import Money
@testable import PaymentMatching
import Testing

/// The camt reader reads amounts, dates, directions and references from the text's bytes; these
/// check that it reads what the `String` path read, however the XML spells the text.
@Suite struct CAMTByteValueTests {
    private static let entry = """
        <Ntry><NtryRef>R1</NtryRef><Amt Ccy="EUR">1234.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2025-03-04</Dt></BookgDt><ValDt><Dt>2025-03-05</Dt></ValDt><AcctSvcrRef>B1</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>E2E-1</EndToEndId></Refs>
        <RltdPties><Dbtr><Nm>Atlas &amp; Fils</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct></RltdPties>
        <RmtInf><Ustrd>Facture FA-1 &lt;urgent&gt;</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
        """

    @Test func textSpelledWithCDATAReferencesPrefixesAndSpacesReadsTheSame() throws {
        let plain = try CAMTFixtures.read(CAMTFixtures.camt053(Self.entry))
        let spelled = Self.entry
            .replacingOccurrences(of: "<Amt Ccy=\"EUR\">1234.50</Amt>", with: "<Amt  Ccy = 'EUR' >\n 1234<![CDATA[.5]]>0 </Amt >")
            .replacingOccurrences(of: "<CdtDbtInd>CRDT</CdtDbtInd>", with: "<CdtDbtInd> crdt </CdtDbtInd>")
            .replacingOccurrences(of: "<Dt>2025-03-04</Dt>", with: "<DtTm>2025-03-04T23:30:00+01:00</DtTm>")
            .replacingOccurrences(of: "<Dt>2025-03-05</Dt>", with: "<Dt>&#50;025-03-05</Dt>")
            .replacingOccurrences(of: "<Sts>BOOK</Sts>", with: "<Sts><![CDATA[Book]]></Sts>")
            .replacingOccurrences(of: "<Nm>Atlas &amp; Fils</Nm>", with: "<Nm><![CDATA[Atlas & Fils]]></Nm>")
        let prefixed = CAMTFixtures.camt053(spelled)
            .replacingOccurrences(of: "<(/?)([A-Za-z])", with: "<$1c:$2", options: .regularExpression)
            .replacingOccurrences(of: "xmlns=", with: "xmlns:c=")
            .replacingOccurrences(of: "<c:![CDATA[", with: "<![CDATA[")
        #expect(try CAMTFixtures.read(CAMTFixtures.camt053(spelled)) == plain)
        #expect(try CAMTFixtures.read(prefixed) == plain)
        let read = try #require(plain.statements.first?.entries.first)
        #expect(read.amount == Money(minorUnits: 123_450, currency: .eur))
        #expect(read.counterparty?.name == "Atlas & Fils")
        #expect(read.remittance.unstructured == "Facture FA-1 <urgent>")
    }

    @Test func amountsAreReadFromTheirBytes() throws {
        let read: [(String, Int64?)] = [
            ("1234.50", 123_450), (" 7 ", 700), ("+3.1", 310), ("0.000", 0), ("18.150", 1_815), ("-2.00", -200), (".5", 50), ("5.", 500),
            ("92233720368547758.07", 9_223_372_036_854_775_807),
            ("18.155", nil), ("1.2.3", nil), ("", nil), ("12a", nil), ("1,00", nil), ("\u{A0}1.00", nil), ("1\u{0660}.00", nil),
            ("92233720368547758.08", nil),
        ]
        for (input, expected) in read {
            let minorUnits = try? CAMTAmount.minorUnits(bytes: Array(input.utf8)[...], currency: .eur, location: "here")
            #expect(minorUnits == expected, "\(input)")
        }
        #expect(try CAMTAmount.minorUnits(bytes: Array("2700".utf8)[...], currency: .jpy, location: "") == 2_700)
        let tooPrecise = try #require(throws: StatementError.self) {
            try CAMTAmount.minorUnits(bytes: Array("18.155".utf8)[...], currency: .eur, location: "Ntry[1]/Amt")
        }
        #expect(tooPrecise.code == .invalidAmount)
        #expect(tooPrecise.reason.contains("'18.155' has 3 decimals"))
        #expect(tooPrecise.location == "Ntry[1]/Amt")
    }

    @Test func notProvidedEndToEndIDsAreDroppedInAnyCaseOrSpacing() throws {
        for (id, kept) in [("NOTPROVIDED", false), (" not provided ", false), ("Not\tProvided", false), ("NOTPROVIDEDX", true),
                           ("NOTPROVIDE", true), ("E2E-1", true), ("NOTPR\u{D6}VIDED", true)] {
            let text = Self.entry.replacingOccurrences(of: "E2E-1", with: id)
            let entry = try #require(try CAMTFixtures.read(CAMTFixtures.camt053(text)).statements.first?.entries.first)
            #expect((entry.endToEndId != nil) == kept, "\(id)")
        }
    }

    @Test func statusesAreComparedWithoutCase() throws {
        for (status, booked) in [("BOOK", true), ("book", true), ("Book", true), ("PDNG", false), ("BOOKED", false), ("B\u{D6}OK", false)] {
            let text = Self.entry.replacingOccurrences(of: "<Sts>BOOK</Sts>", with: "<Sts>\(status)</Sts>")
            let entries = try CAMTFixtures.read(CAMTFixtures.camt053(text)).statements.first?.entries ?? []
            #expect(entries.count == (booked ? 1 : 0), "\(status)")
        }
    }

    @Test func entryLocationsNameTheirOwnStatement() throws {
        let statement = "<Stmt><Id>S</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\(Self.entry)\(Self.entry)</Stmt>"
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>\(statement)\(statement)</BkToCstmrStmt></Document>
            """
        let file = try CAMTFixtures.read(text)
        #expect(file.statements.flatMap(\.entries).map(\.location) == [
            "BkToCstmrStmt/Stmt[1]/Ntry[1]", "BkToCstmrStmt/Stmt[1]/Ntry[2]", "BkToCstmrStmt/Stmt[2]/Ntry[1]", "BkToCstmrStmt/Stmt[2]/Ntry[2]",
        ])
    }

    @Test func transactionCodesJoinTheDomainFamilyAndSubFamily() throws {
        let codes = "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
        let text = Self.entry.replacingOccurrences(of: "<NtryDtls>", with: codes + "<NtryDtls>")
        let entry = try #require(try CAMTFixtures.read(CAMTFixtures.camt053(text)).statements.first?.entries.first)
        #expect(entry.transactionCode == "PMNT/RCDT/ESCT")
        let noSub = text.replacingOccurrences(of: "<SubFmlyCd>ESCT</SubFmlyCd>", with: "")
        #expect(try CAMTFixtures.read(CAMTFixtures.camt053(noSub)).statements.first?.entries.first?.transactionCode == "PMNT/RCDT")
    }
}
