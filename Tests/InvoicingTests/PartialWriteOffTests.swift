import Events
import Foundation
import Invoicing
import Money
import Testing

/// Writing off part of a balance within the configured tolerance (issue 7).
@Suite struct PartialWriteOffTests {
    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    private func paidInPart(_ fixture: InvoicingFixture, paid: Int64) async throws -> Invoice {
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 120_00))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: paid))
        return try #require(try await fixture.database.invoice(id: invoice.id))
    }

    @Test("a partial write-off within the tolerance leaves the rest open and says so in the event")
    func partLeavesRestOpen() async throws {
        let fixture = try InvoicingFixture()
        let invoice = try await paidInPart(fixture, paid: 100_00)
        let after = try await fixture.database.writeOffPart(invoiceId: invoice.id, amount: eur(3_50), tolerance: eur(5_00), category: .bankFees, reason: "fees")
        #expect(after.status == .partiallyPaid)
        #expect(after.balance == eur(16_50) && after.writtenOffAmount == eur(3_50))
        let event = try #require(try fixture.outboxEvents(InvoiceWrittenOff.self).last)
        #expect(event.amount == eur(3_50) && event.category == "bankFees" && event.remainingBalance == eur(16_50))
        #expect(try fixture.outboxEvents(InvoiceSettled.self).isEmpty)
    }

    @Test("writing off the whole rest within the tolerance settles the invoice as paid when money was received")
    func wholeRestSettlesPaid() async throws {
        let fixture = try InvoicingFixture()
        let invoice = try await paidInPart(fixture, paid: 118_00)
        let after = try await fixture.database.writeOffPart(invoiceId: invoice.id, amount: eur(2_00), tolerance: eur(5_00), category: .rounding, reason: "rounding")
        #expect(after.status == .paid && after.balance.isZero && after.paidOn != nil)
        #expect(try fixture.outboxEvents(InvoiceSettled.self).map(\.cause) == [.writeOff])
        #expect(try fixture.outboxEvents(InvoicePaid.self).count == 1)
    }

    @Test("above the tolerance or the balance: refused, nothing changed")
    func aboveToleranceRefused() async throws {
        let fixture = try InvoicingFixture()
        let invoice = try await paidInPart(fixture, paid: 118_00)
        let events = try fixture.outboxTypes().count
        await #expect(throws: InvoicingError.self) {
            do {
                _ = try await fixture.database.writeOffPart(invoiceId: invoice.id, amount: eur(5_01), tolerance: eur(5_00), category: .bankFees, reason: "fees")
            } catch let error as InvoicingError {
                #expect(error.code == .writeOffAboveTolerance && error.field == "amount")
                throw error
            }
        }
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.writeOffPart(invoiceId: invoice.id, amount: eur(2_01), tolerance: eur(5_00), category: .bankFees, reason: "fees")
        }
        #expect(try fixture.outboxTypes().count == events)
        #expect(try await fixture.database.invoice(id: invoice.id) == invoice)
    }
}
