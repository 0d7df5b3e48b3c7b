import Events
import Foundation
import Invoicing
import Messaging
import Money
import Testing

/// Issue 8: `payment.allocated` may carry a `writeOff`, what the payer short-paid within the
/// payee's tolerance (bank fees); invoicing writes it off after the allocation, never more
/// than is open, as a write-off by hand would.
@Suite struct AllocationWriteOffTests {
    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    /// A customer and one invoice of 120.00 EUR.
    private func issued() async throws -> (InvoicingFixture, Invoice) {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-05-28")
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        return (fixture, try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 120_00)))
    }

    @Test("a short payment with its bank fees as writeOff settles the invoice as paid, the fees written off")
    func shortPaymentSettlesPaid() async throws {
        // Given an invoice of 120.00
        let (fixture, invoice) = try await issued()

        // When 119.65 arrives with 0.35 of bank fees to write off
        let effect = try await fixture.database.applyPaymentEvent(
            try InvoicingFixture.allocation(invoice, cents: 119_65, on: "2026-05-20", writeOff: eur(35)))

        // Then the invoice is paid, 0.35 written off, and the events say so in order
        #expect(effect == .applied)
        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.status == .paid && after.balance.isZero)
        #expect(after.paidAmount == eur(119_65) && after.writtenOffAmount == eur(35))
        #expect(after.paidOn?.description == "2026-05-20")
        let writtenOff = try fixture.outboxEvents(InvoiceWrittenOff.self)
        #expect(writtenOff.count == 1)
        #expect(writtenOff.first?.amount == eur(35) && writtenOff.first?.remainingBalance == .zero(.eur))
        #expect(writtenOff.first?.category == "bankFees" && writtenOff.first?.reason == "bank fees (short payment)")
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).map(\.cause) == ["allocation", "writeOff"])
        let settled = try fixture.outboxEvents(InvoiceSettled.self)
        #expect(settled.map(\.cause) == [.writeOff] && settled.first?.status == .paid)
        #expect(settled.first?.settledOn.description == "2026-05-20")
        #expect(try fixture.outboxEvents(InvoicePaid.self).count == 1)
        let types = try fixture.outboxTypes()
        let order = [InvoiceWrittenOff.eventType, InvoiceSettled.eventType, InvoicePaid.eventType].compactMap { types.lastIndex(of: $0) }
        #expect(order == order.sorted() && order.count == 3)
    }

    @Test("a writeOff above what is still open writes off only the open balance")
    func writeOffCappedAtOpenBalance() async throws {
        // Given an invoice with 100.00 already paid: 20.00 open
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00))

        // When 19.00 arrives claiming 5.00 of fees, 4.00 more than the 1.00 left
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 19_00, writeOff: eur(5_00)))

        // Then only 1.00 is written off
        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.status == .paid && after.balance.isZero)
        #expect(after.paidAmount == eur(119_00) && after.writtenOffAmount == eur(1_00))
        #expect(try fixture.outboxEvents(InvoiceWrittenOff.self).map(\.amount) == [eur(1_00)])
    }

    @Test("a writeOff below the rest leaves the invoice partly paid, the rest still owed")
    func partialWriteOffLeavesRestOpen() async throws {
        let (fixture, invoice) = try await issued()

        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00, writeOff: eur(3_50)))

        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.status == .partiallyPaid && after.balance == eur(16_50) && after.writtenOffAmount == eur(3_50))
        let event = try #require(try fixture.outboxEvents(InvoiceWrittenOff.self).first)
        #expect(event.amount == eur(3_50) && event.remainingBalance == eur(16_50))
        #expect(try fixture.outboxEvents(InvoiceSettled.self).isEmpty)
    }

    @Test("nothing is written off when the allocation leaves nothing open: an overpayment, or a paid invoice")
    func nothingOpenNothingWrittenOff() async throws {
        // Given an invoice overpaid by 10.00 with a writeOff claimed anyway
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 130_00, writeOff: eur(2_00)))
        // And a second allocation with a writeOff on the now paid invoice
        let paid = try #require(try await fixture.database.invoice(id: invoice.id))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(paid, cents: 5_00, writeOff: eur(1_00)))

        // Then nothing was written off; the excesses became credit
        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.status == .paid && after.writtenOffAmount.isZero && after.paidAmount == eur(120_00))
        #expect(try fixture.outboxEvents(InvoiceWrittenOff.self).isEmpty)
        #expect(try fixture.outboxEvents(InvoiceSettled.self).map(\.cause) == [.payment])
    }

    @Test("a redelivered allocation, or the same allocation under another event id, writes off once")
    func redeliveryWritesOffOnce() async throws {
        let (fixture, invoice) = try await issued()
        let allocation = try InvoicingFixture.allocation(invoice, cents: 100_00, id: "alloc-1", writeOff: eur(3_50))

        #expect(try await fixture.database.applyPaymentEvent(allocation) == .applied)
        let events = try fixture.outboxTypes()
        #expect(try await fixture.database.applyPaymentEvent(allocation) == .duplicate)
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00, id: "alloc-1", writeOff: eur(3_50)))

        #expect(try fixture.outboxTypes() == events)
        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.writtenOffAmount == eur(3_50) && after.balance == eur(16_50))
    }

    @Test("a writeOff in another currency, zero or negative is a poison record: nothing of the allocation is applied", arguments: [
        Money(minorUnits: 35, currency: .usd), Money(minorUnits: 0, currency: .eur), Money(minorUnits: -35, currency: .eur),
    ])
    func badWriteOffIsPoison(writeOff: Money) async throws {
        let (fixture, invoice) = try await issued()
        let events = try fixture.outboxTypes()

        await #expect(throws: InvalidRecord.self) {
            _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 119_65, writeOff: writeOff))
        }

        #expect(try fixture.outboxTypes() == events)
        #expect(try await fixture.database.invoice(id: invoice.id) == invoice)
    }

    @Test("reversing an allocation whose fees were written off re-opens what it paid and the fees, in one balance move")
    func reversalTakesTheWriteOffBack() async throws {
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 119_65, id: "alloc-1", writeOff: eur(35)))

        _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "alloc-1"))

        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.status == .open && after.balance == eur(120_00) && after.writtenOffAmount == eur(0) && after.paidAmount == eur(0))
        #expect(try fixture.outboxEvents(InvoiceReopened.self).map(\.balance) == [eur(120_00)])
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).last?.cause == "reversal")
    }

    @Test("reversing one of two allocations takes back only its own fees")
    func reversalTakesBackOnlyItsOwnFees() async throws {
        let (fixture, invoice) = try await issued()
        // 50.00 with 0.20 of fees written off, then 69.50 with 0.30: settled, 0.50 written off.
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 50_00, id: "alloc-1", writeOff: eur(20)))
        let second = try #require(try await fixture.database.invoice(id: invoice.id))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(second, cents: 69_50, id: "alloc-2", writeOff: eur(30)))
        #expect(try await fixture.database.invoice(id: invoice.id)?.writtenOffAmount == eur(50))

        _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: "alloc-2"))

        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.status == .partiallyPaid && after.balance == eur(69_80) && after.writtenOffAmount == eur(20) && after.paidAmount == eur(50_00))
    }
}
