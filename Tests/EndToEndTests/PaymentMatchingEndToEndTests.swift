import AsyncHTTPClient
import Events
import Foundation
import Logging
import Messaging
import NIOCore
import NIOHTTP1
import RelanceTestSupport
import Testing

/// Runs the real `invoicing` and `payment-matching` executables against the real broker: a
/// bank statement paying two invoices is uploaded, the invoices are paid in invoicing, and
/// uploading it again changes nothing.
@Suite(.timeLimit(.minutes(3)))
struct PaymentMatchingEndToEndTests {
    @Test func aStatementPaysInvoicesOnceThroughTheTopics() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let capture = try EventCapture(test: "aStatementPaysInvoicesOnceThroughTheTopics")
        let invoicing = try ServiceProcess("invoicing", broker: broker, prefix: configuration.topics.prefix)
        defer { invoicing.stop() }
        let matching = try ServiceProcess("payment-matching", broker: broker, prefix: configuration.topics.prefix)
        defer { matching.stop() }
        try await invoicing.waitUntilReady()
        try await matching.waitUntilReady()

        // Given a customer with two invoices in invoicing
        let customer = try await invoicing.post("/v1/customers", [
            "customerNumber": "PM-1", "legalName": "Quincaillerie Bernard", "country": "FR", "language": "fr",
            "timeZone": "Europe/Paris", "defaultCurrency": "EUR", "paymentTerms": "net:30",
            "contacts": [["name": "Compta", "email": "compta@quincaillerie.test", "role": "accounting"]],
        ])
        let customerId = try #require(customer["id"] as? String)
        var invoices: [(id: String, reference: String)] = []
        for (number, cents) in [("PM-F-1", 150_00), ("PM-F-2", 89_90)] {
            let invoice = try await invoicing.post("/v1/invoices", [
                "number": number, "customerNumber": "PM-1", "issueDate": "2026-05-01", "currency": "EUR",
                "total": ["minorUnits": cents, "currency": "EUR"],
            ])
            invoices.append((try #require(invoice["id"] as? String), try #require(invoice["paymentReference"] as? String)))
        }

        // When payment matching has seen them through the invoices topic
        let projected = await eventually(timeout: .seconds(30)) {
            let page = try? await matching.get("/v1/invoices?customerId=\(customerId)&open=true")
            return (page?["items"] as? [[String: Any]])?.count == 2
        }
        #expect(projected)

        // And a camt.053 pays the first by its RF reference and the second by its number in the text
        let statement = Self.camt053([
            Self.entry("150.00", reference: "E2E-B1", remittance: "<Strd><CdtrRefInf><Ref>\(invoices[0].reference)</Ref></CdtrRefInf></Strd>"),
            Self.entry("89.90", reference: "E2E-B2", remittance: "<Ustrd>Facture PM-F-2 merci</Ustrd>"),
        ])
        let upload = try await matching.request(
            "/v1/statements?fileName=e2e.xml", method: .POST, body: Data(statement.utf8), contentType: "application/xml")
        #expect(upload.status == 201)
        let summary = try #require((try JSONSerialization.jsonObject(with: upload.body) as? [String: Any])?["summary"] as? [String: Any])
        #expect(summary["paymentsCreated"] as? Int == 2)
        #expect(summary["matched"] as? Int == 2)

        // Then invoicing shows both invoices paid
        for invoice in invoices {
            let paid = await eventually(timeout: .seconds(30)) {
                (try? await invoicing.get("/v1/invoices/\(invoice.id)"))?["status"] as? String == "paid"
            }
            #expect(paid, "invoice \(invoice.id) paid")
        }

        // And uploading the statement again adds nothing
        let again = try await matching.request("/v1/statements", method: .POST, body: Data(statement.utf8), contentType: "application/xml")
        let againSummary = (try JSONSerialization.jsonObject(with: again.body) as? [String: Any])?["summary"] as? [String: Any]
        #expect(againSummary?["duplicatesSkipped"] as? Int == 2)
        #expect(againSummary?["paymentsCreated"] as? Int == 0)
        let payments = try await readTopic(configuration.topics.name(of: .payments), configuration: configuration, atLeast: 6)
        try capture.write(payments)
        let types = payments.compactMap { $0.header(CloudEvents.typeHeader) }
        #expect(types.filter { $0 == PaymentAllocated.eventType }.count == 2)
        #expect(types.filter { $0 == PaymentReceived.eventType }.count == 2)
        #expect(types.filter { $0 == StatementImported.eventType }.count == 2)
        #expect(payments.filter { $0.header(CloudEvents.typeHeader) == PaymentAllocated.eventType }.allSatisfy { $0.keyString == customerId })

        // And both stop cleanly on SIGTERM
        #expect(await matching.terminate() == 0)
        #expect(await invoicing.terminate() == 0)
    }

    static func camt053(_ entries: [String]) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>E2E</MsgId><CreDtTm>2026-06-02T06:00:00</CreDtTm></GrpHdr>
            <Stmt><Id>E2E-S1</Id><Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
            \(entries.joined(separator: "\n"))
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """
    }

    static func entry(_ amount: String, reference: String, remittance: String) -> String {
        """
        <Ntry><Amt Ccy="EUR">\(amount)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>2026-06-01</Dt></BookgDt><ValDt><Dt>2026-06-01</Dt></ValDt><AcctSvcrRef>\(reference)</AcctSvcrRef>
        <NtryDtls><TxDtls><RltdPties><Dbtr><Nm>QUINCAILLERIE BERNARD</Nm></Dbtr></RltdPties><RmtInf>\(remittance)</RmtInf></TxDtls></NtryDtls></Ntry>
        """
    }
}
