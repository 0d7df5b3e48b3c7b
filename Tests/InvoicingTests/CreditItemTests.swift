import Events
import Foundation
import GRDB
import Invoicing
import Money
import ServiceKit
import Testing

/// Issue 7: customer credit as open items, applying it to invoices (by hand and
/// automatically), taking it back on a reversal, and credit notes beyond an invoice's balance.
@Suite struct CreditItemTests {
    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    private func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    /// A store on 2026-05-28 with customer C-001 (auto-application as given).
    private func store(autoApply: Bool = false) async throws -> InvoicingFixture {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-05-28")
        var draft = try InvoicingFixture.customer()
        draft.autoApplyCredit = autoApply
        _ = try await fixture.database.registerCustomer(draft)
        return fixture
    }

    private func issue(_ fixture: InvoicingFixture, _ number: String, cents: Int64, issued: String = "2026-05-01") async throws -> Invoice {
        try await fixture.database.issueInvoice(try InvoicingFixture.invoice(number, issued: issued, cents: cents))
    }

    /// Pays `invoice` `paid` and gives the customer `credit` more as an overpayment.
    @discardableResult
    private func overpay(_ fixture: InvoicingFixture, _ invoice: Invoice, by credit: Int64, id: String, on day: String = "2026-05-20") async throws -> Invoice {
        let current = try #require(try await fixture.database.invoice(id: invoice.id))
        _ = try await fixture.database.applyPaymentEvent(
            try InvoicingFixture.allocation(current, cents: current.balance.minorUnits + credit, id: id, on: day))
        return try #require(try await fixture.database.invoice(id: invoice.id))
    }

    private func creditItemsOf(_ fixture: InvoicingFixture, _ customerId: String) async throws -> [CreditItem] {
        try await fixture.database.creditItems(customerId: customerId, page: PageRequest(limit: 500)).items
    }

    // MARK: Items and their events

    @Test("an overpayment's excess becomes an open credit item, announced with customer.credit-changed")
    func overpaymentBecomesAnItem() async throws {
        let fixture = try await store()
        let invoice = try await issue(fixture, "F-1", cents: 100_00)
        try await overpay(fixture, invoice, by: 30_00, id: "a1")
        let items = try await creditItemsOf(fixture, invoice.customerId)
        #expect(items.count == 1)
        let item = try #require(items.first)
        #expect(item.source == .overpayment && item.reference == "pay-a1")
        #expect(item.amount == eur(30_00) && item.openAmount == eur(30_00) && item.appliedAmount == .zero(.eur))
        #expect(item.createdOn == (try day("2026-05-20")))
        #expect(try await fixture.database.customer(id: invoice.customerId)?.credit == [eur(30_00)])
        let changed = try fixture.outboxEvents(CustomerCreditChanged.self)
        #expect(changed == [CustomerCreditChanged(
            customerId: invoice.customerId, currency: .eur, creditItemId: item.id, change: eur(30_00), itemOpenAmount: eur(30_00),
            openCredit: eur(30_00), cause: .overpayment, paymentId: "pay-a1")])
    }

    // MARK: Applying credit

    @Test("applying credit takes as much as possible, oldest items first, counts payment credit as paid and settles with creditApplied")
    func applyOldestFirst() async throws {
        let fixture = try await store()
        let first = try await issue(fixture, "F-1", cents: 100_00)
        let second = try await issue(fixture, "F-2", cents: 100_00)
        try await overpay(fixture, first, by: 30_00, id: "a1", on: "2026-05-10")
        try await overpay(fixture, second, by: 50_00, id: "a2", on: "2026-05-12")
        let target = try await issue(fixture, "F-3", cents: 60_00)

        let result = try await fixture.database.applyCredit(invoiceId: target.id)
        #expect(result.applied == eur(60_00))
        #expect(result.applications.map(\.amount) == [eur(30_00), eur(30_00)])
        #expect(result.invoice.status == .paid && result.invoice.paidAmount == eur(60_00) && result.invoice.creditedAmount == .zero(.eur))
        #expect(result.invoice.paidOn == (try day("2026-05-28")))
        let items = try await creditItemsOf(fixture, target.customerId)
        #expect(items.map(\.openAmount) == [.zero(.eur), eur(20_00)])
        #expect(items.map(\.appliedAmount) == [eur(30_00), eur(30_00)])
        #expect(try await fixture.database.customer(id: target.customerId)?.credit == [eur(20_00)])

        let settled = try fixture.outboxEvents(InvoiceSettled.self).filter { $0.invoiceId == target.id }
        #expect(settled.map(\.cause) == [.creditApplied])
        let changes = try fixture.outboxEvents(InvoiceBalanceChanged.self).filter { $0.invoiceId == target.id }
        #expect(changes.map(\.cause) == ["allocation", "allocation"])
        #expect(changes.map(\.paymentId) == ["pay-a1", "pay-a2"])
        #expect(try fixture.outboxEvents(InvoicePaid.self).filter { $0.invoiceId == target.id }.count == 1)
        let applied = try fixture.outboxEvents(CustomerCreditChanged.self).filter { $0.cause == .appliedToInvoice }
        #expect(applied.map(\.change) == [eur(-30_00), eur(-30_00)])
        #expect(applied.map(\.openCredit) == [eur(50_00), eur(20_00)])
        #expect(applied.allSatisfy { $0.invoiceId == target.id && $0.invoiceNumber == "F-3" })
    }

    @Test("credit from a credit note counts as credited: a whole unpaid invoice covered by it is cancelled, not paid")
    func creditNoteCreditCountsAsCredited() async throws {
        let fixture = try await store()
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        _ = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
            customerId: customer.id, note: CreditNoteDraft(number: "AV-1", amount: eur(80_00), reason: "gesture")))
        let invoice = try await issue(fixture, "F-1", cents: 50_00)
        let result = try await fixture.database.applyCredit(invoiceId: invoice.id)
        #expect(result.invoice.creditedAmount == eur(50_00) && result.invoice.paidAmount == .zero(.eur))
        #expect(result.invoice.status == .cancelled)
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).map(\.cause) == ["creditNote"])
        #expect(try fixture.outboxEvents(InvoicePaid.self).isEmpty)
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(30_00)])
    }

    @Test("a given amount and a given credit item limit what is applied")
    func amountAndItem() async throws {
        let fixture = try await store()
        let first = try await issue(fixture, "F-1", cents: 100_00)
        let second = try await issue(fixture, "F-2", cents: 100_00)
        try await overpay(fixture, first, by: 30_00, id: "a1")
        try await overpay(fixture, second, by: 50_00, id: "a2")
        let target = try await issue(fixture, "F-3", cents: 200_00)
        let newer = try #require(try await creditItemsOf(fixture, target.customerId).last)

        let byItem = try await fixture.database.applyCredit(invoiceId: target.id, creditItemId: newer.id)
        #expect(byItem.applied == eur(50_00) && byItem.applications.map(\.creditItemId) == [newer.id])
        let byAmount = try await fixture.database.applyCredit(invoiceId: target.id, amount: eur(10_00))
        #expect(byAmount.applied == eur(10_00))
        #expect(byAmount.invoice.balance == eur(140_00) && byAmount.invoice.status == .partiallyPaid)
        #expect(try await fixture.database.customer(id: target.customerId)?.credit == [eur(20_00)])
    }

    @Test("applying credit is refused, changing nothing, for a closed invoice, no credit, too much, another currency or an unknown item")
    func refusals() async throws {
        let fixture = try await store()
        let paid = try await issue(fixture, "F-1", cents: 100_00)
        let target = try await issue(fixture, "F-2", cents: 100_00)
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.applyCredit(invoiceId: target.id) } // no credit yet
        try await overpay(fixture, paid, by: 30_00, id: "a1")
        let before = try fixture.outboxTypes().count
        func refused(_ code: InvoicingError.Code, _ body: () async throws -> Void) async {
            do {
                try await body()
                Issue.record("not refused")
            } catch let error as InvoicingError {
                #expect(error.code == code, "\(error)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        await refused(.invalidState) { _ = try await fixture.database.applyCredit(invoiceId: paid.id) }
        await refused(.invalidState) { _ = try await fixture.database.applyCredit(invoiceId: target.id, amount: eur(40_00)) }
        await refused(.invalidState) { _ = try await fixture.database.applyCredit(invoiceId: target.id, amount: eur(101_00)) }
        await refused(.currencyMismatch) { _ = try await fixture.database.applyCredit(invoiceId: target.id, amount: Money(minorUnits: 1_00, currency: .usd)) }
        await refused(.nonPositiveTotal) { _ = try await fixture.database.applyCredit(invoiceId: target.id, amount: .zero(.eur)) }
        await refused(.invalidField) { _ = try await fixture.database.applyCredit(invoiceId: target.id, creditItemId: "nope") }
        await refused(.notFound) { _ = try await fixture.database.applyCredit(invoiceId: "nope") }
        #expect(try fixture.outboxTypes().count == before)
        #expect(try await fixture.database.invoice(id: target.id) == target)
        #expect(try await fixture.database.customer(id: target.customerId)?.credit == [eur(30_00)])
    }

    // MARK: Automatic application

    @Test("with autoApplyCredit, credit goes to the oldest open invoices at once; disputed ones are left out")
    func automaticOnCredit() async throws {
        let fixture = try await store(autoApply: true)
        let old = try await issue(fixture, "F-1", cents: 40_00, issued: "2026-04-01")
        let disputed = try await issue(fixture, "F-0", cents: 40_00, issued: "2026-03-01")
        _ = try await fixture.database.openDispute(invoiceId: disputed.id, reason: "missing pallets")
        let newer = try await issue(fixture, "F-2", cents: 100_00, issued: "2026-05-01")
        let paid = try await issue(fixture, "F-3", cents: 10_00, issued: "2026-05-02")
        try await overpay(fixture, paid, by: 70_00, id: "a1")
        #expect(try await fixture.database.invoice(id: old.id)?.status == .paid)
        #expect(try await fixture.database.invoice(id: newer.id)?.balance == eur(70_00))
        #expect(try await fixture.database.invoice(id: disputed.id)?.balance == eur(40_00))
        #expect(try await fixture.database.customer(id: old.customerId)?.credit == [])
    }

    @Test("with autoApplyCredit, a new invoice takes the customer's credit; without it, credit waits")
    func automaticOnIssue() async throws {
        let waiting = try await store()
        try await overpay(waiting, try await issue(waiting, "F-1", cents: 10_00), by: 25_00, id: "a1")
        #expect(try await issue(waiting, "F-2", cents: 100_00).balance == eur(100_00))

        let automatic = try await store(autoApply: true)
        try await overpay(automatic, try await issue(automatic, "F-1", cents: 10_00), by: 25_00, id: "a1")
        let issued = try await issue(automatic, "F-2", cents: 100_00)
        #expect(issued.balance == eur(75_00) && issued.paidAmount == eur(25_00))
        #expect(try automatic.outboxTypes().suffix(3) == [
            InvoiceIssued.eventType, CustomerCreditChanged.eventType, InvoiceBalanceChanged.eventType,
        ])
    }

    @Test("turning autoApplyCredit on applies the credit held; customer.updated names the field")
    func turningItOn() async throws {
        let fixture = try await store()
        try await overpay(fixture, try await issue(fixture, "F-1", cents: 10_00), by: 25_00, id: "a1")
        let open = try await issue(fixture, "F-2", cents: 100_00)
        let customer = try #require(try await fixture.database.customer(id: open.customerId))
        var details = customer.details
        details.autoApplyCredit = true
        let updated = try await fixture.database.updateCustomer(id: customer.id, details)
        #expect(updated.details.autoApplyCredit && updated.credit.isEmpty)
        #expect(try await fixture.database.invoice(id: open.id)?.balance == eur(75_00))
        let event = try #require(try fixture.outboxEvents(CustomerUpdated.self).last)
        #expect(event.changedFields == ["autoApplyCredit"] && event.customer.autoApplyCredit == true)
    }

    // MARK: Reversals

    @Test("reversing an overpayment whose credit is still open takes the credit back, never below zero")
    func reversalTakesOpenCreditBack() async throws {
        let fixture = try await store()
        let invoice = try await issue(fixture, "F-1", cents: 100_00)
        try await overpay(fixture, invoice, by: 30_00, id: "a1")
        _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "a1"))
        #expect(try await fixture.database.customer(id: invoice.customerId)?.credit == [])
        let item = try #require(try await creditItemsOf(fixture, invoice.customerId).first)
        #expect(item.openAmount == .zero(.eur) && item.withdrawnAmount == eur(30_00))
        let last = try #require(try fixture.outboxEvents(CustomerCreditChanged.self).last)
        #expect(last.cause == .paymentReversed && last.change == eur(-30_00) && last.openCredit == .zero(.eur))
        #expect(try await fixture.database.invoice(id: invoice.id)?.balance == eur(100_00))
    }

    @Test("reversing an overpayment whose credit was applied re-opens those invoices, newest application first")
    func reversalReopensWhereCreditWent() async throws {
        let fixture = try await store()
        let source = try await issue(fixture, "F-1", cents: 100_00)
        try await overpay(fixture, source, by: 50_00, id: "a1")
        let older = try await issue(fixture, "F-2", cents: 100_00)
        let newer = try await issue(fixture, "F-3", cents: 25_00)
        _ = try await fixture.database.applyCredit(invoiceId: older.id, amount: eur(20_00))
        _ = try await fixture.database.applyCredit(invoiceId: newer.id)
        #expect(try await fixture.database.invoice(id: newer.id)?.status == .paid)
        let before = try fixture.outboxTypes().count

        _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "a1"))

        #expect(try await fixture.database.customer(id: source.customerId)?.credit == [])
        let item = try #require(try await creditItemsOf(fixture, source.customerId).first)
        #expect(item.openAmount == .zero(.eur) && item.appliedAmount == .zero(.eur) && item.withdrawnAmount == eur(50_00))
        let reopenedNewer = try #require(try await fixture.database.invoice(id: newer.id))
        #expect(reopenedNewer.status == .open && reopenedNewer.balance == eur(25_00) && reopenedNewer.paidOn == nil)
        let reopenedOlder = try #require(try await fixture.database.invoice(id: older.id))
        #expect(reopenedOlder.status == .open && reopenedOlder.balance == eur(100_00))
        #expect(try await fixture.database.invoice(id: source.id)?.balance == eur(100_00))
        let types = Array(try fixture.outboxTypes().dropFirst(before))
        #expect(types == [
            InvoiceBalanceChanged.eventType, InvoiceReopened.eventType, // the source invoice's own payment
            CustomerCreditChanged.eventType, // the 5.00 still open
            InvoiceBalanceChanged.eventType, InvoiceReopened.eventType, // F-3, applied last
            InvoiceBalanceChanged.eventType, // F-2, partly paid by the credit
        ])
        let reopened = try fixture.outboxEvents(InvoiceReopened.self)
        #expect(reopened.map(\.invoiceId) == [source.id, newer.id])
        #expect(reopened.allSatisfy { $0.cause == .reversal && $0.paymentId == "pay-a1" })
        let changes = try fixture.outboxEvents(InvoiceBalanceChanged.self).suffix(3)
        #expect(changes.map(\.invoiceId) == [source.id, newer.id, older.id] && changes.allSatisfy { $0.cause == "reversal" })
    }

    // MARK: Credit notes

    @Test("a credit note beyond the open balance settles the invoice and turns the rest into a credit item")
    func creditNoteBeyondTheBalance() async throws {
        let fixture = try await store()
        let invoice = try await issue(fixture, "F-1", cents: 120_00)
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00, id: "a1"))
        let (note, after) = try await fixture.database.issueCreditNote(invoiceId: invoice.id, CreditNoteDraft(
            number: "AV-1", amount: eur(50_00), netAmount: eur(41_67), vatAmount: eur(8_33), reason: "returned", issueDate: try day("2026-05-25")))
        #expect(note.appliedToInvoice == eur(20_00) && note.addedToCredit == eur(30_00) && note.creditItemId != nil)
        #expect(after.status == .paid && after.creditedAmount == eur(20_00) && after.balance.isZero)
        #expect(try await fixture.database.customer(id: invoice.customerId)?.credit == [eur(30_00)])
        let item = try #require(try await creditItemsOf(fixture, invoice.customerId).first)
        #expect(item.id == note.creditItemId && item.source == .creditNote && item.reference == note.id)
        let issued = try #require(try fixture.outboxEvents(CreditNoteIssued.self).first)
        #expect(issued == CreditNoteIssued(
            customerId: invoice.customerId, creditNoteId: note.id, number: "AV-1", invoiceId: invoice.id, invoiceNumber: "F-1",
            totalAmount: eur(50_00), netAmount: eur(41_67), vatAmount: eur(8_33), reason: "returned", issueDate: try day("2026-05-25"),
            appliedToInvoice: eur(20_00), addedToCredit: eur(30_00), creditItemId: note.creditItemId))
        #expect(try fixture.outboxEvents(InvoiceCredited.self).map(\.amount) == [eur(20_00)])
        #expect(try fixture.outboxEvents(CustomerCreditChanged.self).map(\.cause) == [.creditNote])
        #expect(try await fixture.database.creditNote(id: note.id) == note)
    }

    @Test("a credit note on a paid invoice goes wholly to credit; beyond the invoice's total or on a cancelled invoice it is refused")
    func creditNoteOnPaidAndRefusals() async throws {
        let fixture = try await store()
        let invoice = try await issue(fixture, "F-1", cents: 100_00)
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00, id: "a1"))
        let (note, after) = try await fixture.database.issueCreditNote(invoiceId: invoice.id, CreditNoteDraft(number: "AV-1", amount: eur(60_00), reason: "returned"))
        #expect(note.appliedToInvoice == .zero(.eur) && note.addedToCredit == eur(60_00))
        #expect(after.status == .paid && after.creditedAmount == .zero(.eur))
        #expect(try fixture.outboxEvents(InvoiceCredited.self).isEmpty)
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.issueCreditNote(invoiceId: invoice.id, CreditNoteDraft(number: "AV-2", amount: eur(40_01), reason: "too much"))
        }
        let cancelled = try await fixture.database.cancelInvoice(id: try await issue(fixture, "F-2", cents: 10_00).id, reason: nil)
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.issueCreditNote(invoiceId: cancelled.id, CreditNoteDraft(number: "AV-3", amount: eur(1_00), reason: "x"))
        }
        #expect(try await fixture.database.customer(id: invoice.customerId)?.credit == [eur(60_00)])
    }

    @Test("a standalone credit note becomes a credit item; its net/VAT split must add up")
    func standaloneCreditNote() async throws {
        let fixture = try await store()
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        let note = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
            customerId: customer.id, note: CreditNoteDraft(number: " AV-9 ", amount: eur(12_00), netAmount: eur(10_00), vatAmount: eur(2_00), reason: "gesture")))
        #expect(try note.number == "AV-9" && note.invoiceId == nil && note.addedToCredit == eur(12_00) && note.issueDate == (try day("2026-05-28")))
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(12_00)])
        #expect(try await fixture.database.creditNotes(matching: .init(customerId: customer.id), page: PageRequest()).items == [note])
        #expect(try fixture.outboxTypes().suffix(2) == [CreditNoteIssued.eventType, CustomerCreditChanged.eventType])
        let splits: [(Money, Money?, InvoicingError.Code)] = [
            (eur(10_00), eur(1_00), .totalsMismatch), (eur(12_00), nil, .missingField),
            (eur(13_00), eur(-1_00), .invalidField), (Money(minorUnits: 10_00, currency: .usd), eur(2_00), .currencyMismatch),
        ]
        for (net, vat, code) in splits {
            do {
                _ = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
                    customerId: customer.id, note: CreditNoteDraft(number: "AV-10", amount: eur(12_00), netAmount: net, vatAmount: vat, reason: "x")))
                Issue.record("net \(net), VAT \(vat.map(String.init(describing:)) ?? "none") accepted")
            } catch let error as InvoicingError {
                #expect(error.code == code, "\(error)")
            }
        }
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
                customerId: "nobody", note: CreditNoteDraft(number: "AV-11", amount: eur(1_00), reason: "x")))
        }
    }

    // MARK: Migration and listing

    @Test("migration invoicing-v5-credit-items turns the per-currency credit into items and keeps credit notes")
    func migration() async throws {
        let queue = try DatabaseQueue()
        try InvoicingDatabase.migrator.migrate(queue, upTo: "invoicing-v4-history-by-customer")
        let details = try EventJSON.encode(try InvoicingFixture.customer())
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO customer (id, number, legal_name, strategic, tags, time_zone, currency, payment_terms, details, created_at, updated_at)
                VALUES ('c1', 'C-001', 'Boulangerie', 0, '||', 'Europe/Paris', 'EUR', 'net:30', ?, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z');
                INSERT INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, payment_reference, open_minor,
                    paid_minor, credited_minor, status, paid_on, paid_announced, created_at)
                VALUES ('i1', 'F-1', 'c1', '2025-01-01', '2025-01-31', 'EUR', 10000, 'RF18F1', 0, 9000, 1000, 'paid', '2025-01-20', 1, '2025-01-01T00:00:00.000Z');
                INSERT INTO allocation (allocation_id, payment_id, invoice_id, customer_id, currency, applied_minor, excess_minor, value_date, reversed)
                VALUES ('a1', 'p1', 'i1', 'c1', 'EUR', 9000, 2500, '2025-01-20', 0),
                       ('a2', 'p2', 'i1', 'c1', 'EUR', 0, 700, '2025-01-21', 1);
                INSERT INTO customer_credit (customer_id, currency, amount_minor) VALUES ('c1', 'EUR', 3000), ('c1', 'USD', 0);
                INSERT INTO credit_note (id, number, invoice_id, amount_minor, reason, issue_date) VALUES ('n1', 'AV-1', 'i1', 1000, 'damaged', '2025-01-15');
                """, arguments: [details])
        }
        let database = try InvoicingDatabase(queue)
        let items = try await database.creditItems(customerId: "c1", page: PageRequest()).items
        #expect(items.map(\.reference) == ["p1", nil])
        #expect(items.map(\.openAmount) == [eur(25_00), eur(5_00)])
        #expect(items.first?.createdOn == (try day("2025-01-20")))
        #expect(try await database.customer(id: "c1")?.credit == [eur(30_00)])
        let note = try #require(try await database.creditNote(id: "n1"))
        #expect(note.customerId == "c1" && note.invoiceId == "i1" && note.appliedToInvoice == eur(10_00) && note.addedToCredit == .zero(.eur))
    }

    @Test("credit items page by cursor, oldest first")
    func pagination() async throws {
        let fixture = try await store()
        for index in 1...3 {
            try await overpay(fixture, try await issue(fixture, "F-\(index)", cents: 10_00), by: Int64(index) * 1_00, id: "a\(index)")
        }
        let customerId = try #require(try await fixture.database.customer(number: "C-001")).id
        let first = try await fixture.database.creditItems(customerId: customerId, page: PageRequest(limit: 2))
        #expect(first.items.map(\.amount) == [eur(1_00), eur(2_00)])
        let second = try await fixture.database.creditItems(customerId: customerId, page: PageRequest(cursor: first.nextCursor, limit: 2))
        #expect(second.items.map(\.amount) == [eur(3_00)] && second.nextCursor == nil)
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.creditItems(customerId: "nobody", page: PageRequest()) }
    }
}
