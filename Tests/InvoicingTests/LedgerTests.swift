import Events
import Foundation
import GRDB
import Invoicing
import Money
import Testing

/// Issue 7: the balance identity, settlement and re-opening, cancellation and small
/// write-offs, through the store's public operations.
@Suite struct LedgerTests {
    private func issued(_ cents: Int64 = 120_00) async throws -> (InvoicingFixture, Invoice) {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-05-28")
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        return (fixture, try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: cents)))
    }

    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    private func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    /// total = paid + credited + written off + voided + open, read from the row itself.
    private func identityHolds(_ fixture: InvoicingFixture, _ invoice: Invoice) throws -> Bool {
        try fixture.queue.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT total_minor = paid_minor + credited_minor + written_off_minor + voided_minor + open_minor FROM invoice WHERE id = ?
                """, arguments: [invoice.id]) ?? false
        }
    }

    // MARK: Bug 1

    @Test("a credit note covering the rest of a partly paid invoice makes it paid, dated by the last payment, and announces it")
    func creditNoteSettlingAPartlyPaidInvoiceAnnouncesIt() async throws {
        // Given an invoice of 120 with 50 paid (value date 2026-05-20)
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 50_00, on: "2026-05-20"))

        // When a credit note dated 2026-06-02 covers the remaining 70
        let (_, credited) = try await fixture.database.issueCreditNote(
            invoiceId: invoice.id, CreditNoteDraft(number: "AV-1", amount: eur(70_00), reason: "damaged", issueDate: try day("2026-06-02")))

        // Then it is paid, paid on the last payment's value date, and settled by the credit note
        #expect(credited.status == .paid)
        #expect(credited.balance.isZero)
        #expect(credited.paidOn == (try day("2026-05-20")))
        let paid = try fixture.outboxEvents(InvoicePaid.self)
        #expect(paid.map(\.paidOn) == [try day("2026-05-20")])
        let settled = try fixture.outboxEvents(InvoiceSettled.self)
        #expect(settled.count == 1)
        #expect(settled.first?.cause == .creditNote)
        #expect(settled.first?.settledOn == (try day("2026-06-02")))
        #expect(settled.first?.status == .paid)
        #expect(settled.first?.paidAmount == eur(50_00))
        #expect(settled.first?.creditedAmount == eur(70_00))
        #expect(settled.first?.creditNoteId != nil)
        #expect(try fixture.outboxTypes().suffix(4) == [
            InvoiceCredited.eventType, InvoiceBalanceChanged.eventType, InvoiceSettled.eventType, InvoicePaid.eventType,
        ])
    }

    @Test("a credit note covering a whole unpaid invoice cancels it and settles it without invoice.paid")
    func fullCreditNoteCancelsAnUnpaidInvoice() async throws {
        let (fixture, invoice) = try await issued()
        let (_, credited) = try await fixture.database.issueCreditNote(
            invoiceId: invoice.id, CreditNoteDraft(number: "AV-1", amount: eur(120_00), reason: "wrong customer"))
        #expect(credited.status == .cancelled)
        #expect(credited.paidOn == nil)
        #expect(try fixture.outboxEvents(InvoicePaid.self).isEmpty)
        #expect(try fixture.outboxEvents(InvoiceSettled.self).map(\.status) == [.cancelled])
    }

    // MARK: Bug 2

    @Test("reversing a payment on a written-off invoice re-opens it with the reversed amount; the write-off stands")
    func reversalOnAWrittenOffInvoiceReopensIt() async throws {
        // Given 40 paid on an invoice of 120, the remaining 80 written off
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 40_00, id: "alloc-1"))
        let writtenOff = try await fixture.database.writeOff(invoiceId: invoice.id, reason: "insolvent")
        #expect(writtenOff.status == .writtenOff)

        // When the payment of 40 is reversed
        #expect(try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "alloc-1")) == .applied)

        // Then the 40 are owed again: nothing disappeared
        let reopened = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(reopened.status == .open)
        #expect(reopened.balance == eur(40_00))
        #expect(reopened.paidAmount.isZero)
        #expect(reopened.writtenOffAmount == eur(80_00))
        #expect(try identityHolds(fixture, invoice))
        let event = try #require(try fixture.outboxEvents(InvoiceReopened.self).first)
        #expect(event.cause == .reversal)
        #expect(event.previousStatus == .writtenOff)
        #expect(event.status == .open)
        #expect(event.balance == eur(40_00))
        #expect(event.reopenedOn == (try day("2026-05-28")))
        #expect(event.paymentId == "pay-alloc-1")
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).last?.balance == eur(40_00))
    }

    @Test("the database refuses a row breaking the balance identity or the status rules")
    func databaseEnforcesTheIdentity() async throws {
        let (fixture, invoice) = try await issued()
        let breakers = [
            "UPDATE invoice SET paid_minor = paid_minor + 1 WHERE id = ?",               // money from nowhere
            "UPDATE invoice SET open_minor = 0 WHERE id = ?",                            // money disappears
            "UPDATE invoice SET open_minor = 0, written_off_minor = total_minor, status = 'paid' WHERE id = ?", // paid without money
            "UPDATE invoice SET open_minor = 0, voided_minor = total_minor WHERE id = ?", // closed but still 'open'
        ]
        for sql in breakers {
            #expect(throws: DatabaseError.self, "\(sql)") {
                try fixture.queue.write { db in try db.execute(sql: sql, arguments: [invoice.id]) }
            }
        }
        #expect(try await fixture.database.invoice(id: invoice.id) == invoice)
    }

    // MARK: Bug 3

    @Test("invoice.paid is published once; invoice.settled on every settlement and invoice.reopened in between")
    func settledOnEverySettlementPaidOnce() async throws {
        // Given an invoice paid in full
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 120_00, id: "alloc-1", on: "2026-05-20"))

        // When the payment is reversed, then paid again
        _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "alloc-1"))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 120_00, id: "alloc-2", on: "2026-06-03"))

        // Then invoice.paid was published once, invoice.settled twice, invoice.reopened once
        #expect(try fixture.outboxEvents(InvoicePaid.self).map(\.paidOn) == [try day("2026-05-20")])
        let settled = try fixture.outboxEvents(InvoiceSettled.self)
        #expect(settled.map(\.cause) == [.payment, .payment])
        #expect(settled.map(\.settledOn) == [try day("2026-05-20"), try day("2026-06-03")])
        #expect(settled.map(\.paymentId) == ["pay-alloc-1", "pay-alloc-2"])
        let reopened = try fixture.outboxEvents(InvoiceReopened.self)
        #expect(reopened.map(\.balance) == [eur(120_00)])
        #expect(reopened.map(\.previousStatus) == [.paid])
        #expect(try fixture.outboxTypes().filter { $0.hasPrefix("relance.invoice.") && $0 != InvoiceIssued.eventType } == [
            InvoiceBalanceChanged.eventType, InvoiceSettled.eventType, InvoicePaid.eventType,
            InvoiceBalanceChanged.eventType, InvoiceReopened.eventType,
            InvoiceBalanceChanged.eventType, InvoiceSettled.eventType,
        ])
        let final = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(final.status == .paid)
        #expect(final.paidOn == (try day("2026-06-03")))
    }

    @Test("a write-off settles the invoice with cause writeOff")
    func writeOffSettles() async throws {
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.writeOff(invoiceId: invoice.id, reason: "insolvent")
        let settled = try #require(try fixture.outboxEvents(InvoiceSettled.self).first)
        #expect(settled.cause == .writeOff)
        #expect(settled.status == .writtenOff)
        #expect(settled.writtenOffAmount == eur(120_00))
        #expect(settled.settledOn == (try day("2026-05-28")))
    }

    // MARK: Issue 7, point 13: cancellation

    @Test("cancelling voids an untouched invoice and settles it with cause cancellation")
    func cancellingVoidsAnUntouchedInvoice() async throws {
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.openDispute(invoiceId: invoice.id, reason: "never ordered")
        let cancelled = try await fixture.database.cancelInvoice(id: invoice.id, reason: "issued to the wrong customer")
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.balance.isZero)
        #expect(try identityHolds(fixture, invoice))
        let settled = try #require(try fixture.outboxEvents(InvoiceSettled.self).first)
        #expect(settled.cause == .cancellation)
        #expect(settled.voidedAmount == eur(120_00))
        #expect(settled.status == .cancelled)
        #expect(try fixture.outboxTypes().suffix(2) == [InvoiceCancelled.eventType, InvoiceSettled.eventType])
    }

    @Test("cancelling is refused once anything was credited, paid or written off: a credit note is needed", arguments: ["credited", "paid", "reopened"])
    func cancellingNeedsACreditNoteOnceMoneyMoved(history: String) async throws {
        let (fixture, invoice) = try await issued()
        switch history {
        case "credited":
            _ = try await fixture.database.issueCreditNote(invoiceId: invoice.id, CreditNoteDraft(number: "AV-1", amount: eur(20_00), reason: "discount"))
        case "paid":
            _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 10_00))
        default: // written off, then re-opened by a reversal: open again with a write-off on it
            _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 10_00, id: "alloc-1"))
            _ = try await fixture.database.writeOff(invoiceId: invoice.id, reason: "insolvent")
            _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "alloc-1"))
        }
        let before = try fixture.outboxTypes()
        let error = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.cancelInvoice(id: invoice.id, reason: "mistake")
        }
        #expect(error?.code == .invalidState)
        #expect(error?.reason.contains("credit note") == true, "\(error?.reason ?? "")")
        #expect(try fixture.outboxTypes() == before)
        #expect(try await fixture.database.invoice(id: invoice.id)?.status.isOpen == true)
    }

    // MARK: Small write-offs

    @Test("a remainder within tolerance is written off and the partly paid invoice becomes paid")
    func smallRemainderWithinToleranceIsWrittenOff() async throws {
        // Given 119.50 received on 120 (the payer's bank kept 0.50)
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 119_50, on: "2026-05-21"))

        // When the remainder is written off within a tolerance of 1.00
        let paid = try await fixture.database.writeOffRemainder(invoiceId: invoice.id, tolerance: eur(1_00), reason: "bank fees")

        // Then the invoice is paid, 0.50 written off
        #expect(paid.status == .paid)
        #expect(paid.writtenOffAmount == eur(50))
        #expect(paid.paidOn == (try day("2026-05-21")))
        #expect(try fixture.outboxEvents(InvoiceWrittenOff.self).map(\.amount) == [eur(50)])
        #expect(try fixture.outboxEvents(InvoiceSettled.self).map(\.cause) == [.writeOff])
        #expect(try fixture.outboxEvents(InvoicePaid.self).count == 1)
    }

    @Test("a remainder above the tolerance, or in another currency, is refused and nothing changes")
    func remainderAboveToleranceIsRefused() async throws {
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00))
        let before = try fixture.outboxTypes()
        let above = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.writeOffRemainder(invoiceId: invoice.id, tolerance: eur(19_99), reason: "bank fees")
        }
        #expect(above?.code == .invalidState)
        let dollars = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.writeOffRemainder(invoiceId: invoice.id, tolerance: Money(minorUnits: 50_00, currency: .usd), reason: "fees")
        }
        #expect(dollars?.code == .currencyMismatch)
        #expect(try fixture.outboxTypes() == before)
        #expect(try await fixture.database.invoice(id: invoice.id)?.status == .partiallyPaid)
    }
}

/// Migration `invoicing-v2-ledger` on a database written by the code before issue 7.
@Suite struct LedgerMigrationTests {
    /// A database at `invoicing-v1` with one customer.
    private func legacyDatabase() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try InvoicingDatabase.migrator.migrate(queue, upTo: "invoicing-v1")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO customer (id, number, legal_name, strategic, tags, time_zone, currency, payment_terms, details, created_at, updated_at)
                VALUES ('c-1', 'C-001', 'Boulangerie', 0, '||', 'Europe/Paris', 'EUR', 'net:30', x'7B7D', '2026-05-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z')
                """)
        }
        return queue
    }

    private func insertInvoice(
        _ db: Database, _ number: String, total: Int64, open: Int64, paid: Int64 = 0, credited: Int64 = 0, writtenOff: Int64 = 0,
        status: String, paidOn: String? = nil, cancelledOn: String? = nil
    ) throws {
        try db.execute(sql: """
            INSERT INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, payment_reference,
                open_minor, paid_minor, credited_minor, written_off_minor, status, paid_on, cancelled_on, created_at)
            VALUES (?, ?, 'c-1', '2026-05-01', '2026-05-31', 'EUR', ?, 'RF18539007547034', ?, ?, ?, ?, ?, ?, ?, '2026-05-01T00:00:00.000Z')
            """, arguments: ["id-\(number)", number, total, open, paid, credited, writtenOff, status, paidOn, cancelledOn])
    }

    private func row(_ queue: DatabaseQueue, _ number: String) throws -> Row {
        try #require(try queue.read { try Row.fetchOne($0, sql: "SELECT * FROM invoice WHERE number = ?", arguments: [number]) })
    }

    @Test("the ledger migration repairs the rows issue 7 left behind, then the identity is a constraint")
    func repairsRowsLeftByIssue7() throws {
        // Given rows written by the old code
        let queue = try legacyDatabase()
        try queue.write { db in
            // 40 paid, 80 written off, then the 40 reversed: the old code lost them.
            try insertInvoice(db, "F-LOST", total: 120_00, open: 0, writtenOff: 80_00, status: "writtenOff")
            // 50 paid, then a credit note of 70: paid without paid_on.
            try insertInvoice(db, "F-NODATE", total: 120_00, open: 0, paid: 50_00, credited: 70_00, status: "paid")
            try db.execute(sql: """
                INSERT INTO allocation (allocation_id, payment_id, invoice_id, customer_id, currency, applied_minor, excess_minor, value_date)
                VALUES ('a-1', 'p-1', 'id-F-NODATE', 'c-1', 'EUR', 5000, 0, '2026-05-20')
                """)
            // Credited 20, then cancelled: 100 voided.
            try insertInvoice(db, "F-VOID", total: 120_00, open: 0, credited: 20_00, status: "cancelled", cancelledOn: "2026-05-02")
            // Paid normally.
            try insertInvoice(db, "F-PAID", total: 80_00, open: 0, paid: 80_00, status: "paid", paidOn: "2026-05-10")
            // Written off after a partial payment, dated by a later excess allocation.
            try insertInvoice(db, "F-DATED", total: 90_00, open: 0, paid: 30_00, writtenOff: 60_00, status: "writtenOff", paidOn: "2026-05-12")
            try insertInvoice(db, "F-OPEN", total: 100_00, open: 100_00, status: "open")
        }

        // When the store opens it
        _ = try InvoicingDatabase(queue)

        // Then the rows are repaired
        let lost = try row(queue, "F-LOST")
        #expect(lost["status"] as String == "open")
        #expect(lost["open_minor"] as Int64 == 40_00)
        #expect(lost["written_off_minor"] as Int64 == 80_00)
        let undated = try row(queue, "F-NODATE")
        #expect(undated["paid_on"] as String? == "2026-05-20")
        #expect(undated["paid_announced"] as Bool == false)
        let void = try row(queue, "F-VOID")
        #expect(void["voided_minor"] as Int64 == 100_00)
        #expect(try row(queue, "F-PAID")["paid_announced"] as Bool == true)
        #expect(try row(queue, "F-DATED")["paid_on"] as String? == nil)
        #expect(try row(queue, "F-OPEN")["open_minor"] as Int64 == 100_00)
        // ... and the rules are constraints from now on
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE invoice SET open_minor = 0 WHERE number = 'F-OPEN'") }
        }
        let indexes = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoice' AND sql IS NOT NULL ORDER BY name") }
        // (later migrations: invoice_payment_reference from v3, invoice_history_by_customer
        // replacing invoice_customer in v4, invoice_order from v7)
        #expect(indexes == ["invoice_history_by_customer", "invoice_open_by_customer", "invoice_order", "invoice_paid_on", "invoice_payment_reference"])
        let foreignKeyProblems = try queue.read { try Row.fetchAll($0, sql: "PRAGMA foreign_key_check") }
        #expect(foreignKeyProblems.isEmpty)
    }

    @Test("the ledger migration stops, naming the invoices, on rows it cannot repair")
    func stopsOnRowsItCannotRepair() throws {
        let queue = try legacyDatabase()
        try queue.write { db in
            try insertInvoice(db, "F-ODD", total: 120_00, open: 0, paid: 10_00, status: "paid", paidOn: "2026-05-10")
        }
        let error = #expect(throws: InvoiceLedgerError.self) { _ = try InvoicingDatabase(queue) }
        #expect(error?.reason.contains("F-ODD") == true)
    }
}
