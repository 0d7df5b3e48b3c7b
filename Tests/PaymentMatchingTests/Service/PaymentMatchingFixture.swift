import Events
import Foundation
import GRDB
import Money
@testable import PaymentMatching

/// An in-memory payment-matching store fed with ledger events, and bank files written from
/// literals.
struct PaymentMatchingFixture {
    let queue: DatabaseQueue
    let database: PaymentMatchingDatabase

    init(policy: MatchingPolicy = MatchingPolicy()) throws {
        queue = try DatabaseQueue()
        database = try PaymentMatchingDatabase(queue, policy: policy)
    }

    // MARK: Ledger events

    @discardableResult
    func register(_ customerId: String, number: String, name: String, version: Int? = 1) async throws -> LedgerEventEffect {
        let snapshot = CustomerSnapshot(
            customerId: customerId, customerNumber: number, legalName: name, country: "FR", language: "fr", timeZone: "Europe/Paris",
            defaultCurrency: .eur, paymentTerms: "net30", creditLimit: nil, segment: nil, riskCategory: nil, strategic: false, tags: [],
            contacts: [])
        return try await database.applyLedgerEvent(Envelope(
            CustomerRegistered(customer: snapshot, customerVersion: version), source: "/relance/invoicing", time: Date()))
    }

    @discardableResult
    func issue(
        _ invoiceId: String, number: String, customerId: String, cents: Int64, currency: Currency = .eur, due: String = "2026-06-30",
        reference: String = "RF18539007547034", eventId: String = UUID().uuidString
    ) async throws -> LedgerEventEffect {
        let issued = InvoiceIssued(
            customerId: customerId, customerNumber: "N-\(customerId)", invoiceId: invoiceId, number: number, paymentReference: reference,
            issueDate: try CalendarDate(iso8601: "2026-05-01"), dueDate: try CalendarDate(iso8601: due),
            totalAmount: Money(minorUnits: cents, currency: currency), netAmount: nil, vatAmount: nil, orderReference: nil)
        return try await database.applyLedgerEvent(Envelope(issued, source: "/relance/invoicing", time: Date(), id: eventId))
    }

    @discardableResult
    func balance(_ invoiceId: String, customerId: String, number: String, from previous: Int64, to cents: Int64,
                 cause: String, paymentId: String?) async throws -> LedgerEventEffect {
        let event = InvoiceBalanceChanged(
            customerId: customerId, invoiceId: invoiceId, number: number, previousBalance: Money(minorUnits: previous, currency: .eur),
            balance: Money(minorUnits: cents, currency: .eur), status: cents == 0 ? .paid : .partiallyPaid, cause: cause, paymentId: paymentId)
        return try await database.applyLedgerEvent(Envelope(event, source: "/relance/invoicing", time: Date()))
    }

    // MARK: Reading the store

    func outboxTypes() throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "SELECT type FROM relance_outbox ORDER BY sequence") }
    }

    func outboxEvents<Event: DomainEvent>(_: Event.Type) throws -> [Event] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM relance_outbox WHERE type = ? ORDER BY sequence", arguments: [Event.eventType])
        }.map { try EventJSON.decoder.decode(Event.self, from: $0) }
    }

    func allocatable(_ invoiceId: String) throws -> Int64 {
        try queue.read { try PaymentMatchingDatabase.allocatable(invoiceId: invoiceId, $0) }
    }

    // MARK: Files

    /// Imports `text` as a file.
    func importText(_ text: String, format: StatementFormat? = nil, fileName: String = "statement.xml") async throws -> StatementImportResult {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pm-\(UUID().uuidString)")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await database.importStatement(StatementUpload(file: url, fileName: fileName, format: format))
    }

    /// A camt.053 statement of `FR7630006000011234567890189` with the entries given.
    static func camt053(_ entries: [String], opening: String? = nil, closing: String? = nil) -> String {
        func balance(_ code: String, _ amount: String?) -> String {
            guard let amount else { return "" }
            return "<Bal><Tp><CdOrPrtry><Cd>\(code)</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">\(amount)</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-06-01</Dt></Dt></Bal>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-06-02T06:00:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>S-2026-06-01</Id>
                  <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
                  \(balance("OPBD", opening))\(balance("CLBD", closing))
                  \(entries.joined(separator: "\n"))
                </Stmt>
              </BkToCstmrStmt>
            </Document>
            """
    }

    /// One booked entry.
    static func entry(
        _ amount: String, _ direction: String = "CRDT", reference: String? = nil, text: String? = nil, structured: String? = nil,
        payer: String? = "Boulangerie Martin", payerIBAN: String? = "FR1420041010050500013M02606", endToEnd: String? = nil, reversal: Bool = false
    ) -> String {
        var details = ""
        if let endToEnd { details += "<Refs><EndToEndId>\(endToEnd)</EndToEndId></Refs>" }
        if payer != nil || payerIBAN != nil {
            details += "<RltdPties><Dbtr>\(payer.map { "<Nm>\($0)</Nm>" } ?? "")</Dbtr>"
            details += payerIBAN.map { "<DbtrAcct><Id><IBAN>\($0)</IBAN></Id></DbtrAcct>" } ?? ""
            details += "</RltdPties>"
        }
        if text != nil || structured != nil {
            details += "<RmtInf>\(text.map { "<Ustrd>\($0)</Ustrd>" } ?? "")"
            details += structured.map { "<Strd><CdtrRefInf><Ref>\($0)</Ref></CdtrRefInf></Strd>" } ?? ""
            details += "</RmtInf>"
        }
        return """
            <Ntry><Amt Ccy="EUR">\(amount)</Amt><CdtDbtInd>\(direction)</CdtDbtInd>\(reversal ? "<RvslInd>true</RvslInd>" : "")<Sts>BOOK</Sts>
            <BookgDt><Dt>2026-06-01</Dt></BookgDt><ValDt><Dt>2026-06-01</Dt></ValDt>\(reference.map { "<AcctSvcrRef>\($0)</AcctSvcrRef>" } ?? "")
            <NtryDtls><TxDtls>\(details)</TxDtls></NtryDtls></Ntry>
            """
    }

    /// A valid ISO 11649 creditor reference for `base` (letters and digits).
    static func rf(_ base: String) -> String {
        var digits = ""
        for character in (base + "RF00").uppercased() {
            if let value = character.wholeNumberValue { digits += String(value) } else if let ascii = character.asciiValue { digits += String(Int(ascii) - 55) }
        }
        var remainder = 0
        for character in digits { remainder = (remainder * 10 + (character.wholeNumberValue ?? 0)) % 97 }
        let check = 98 - remainder
        return "RF" + (check < 10 ? "0" : "") + String(check) + base.uppercased()
    }
}
