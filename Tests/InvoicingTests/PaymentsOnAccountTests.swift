import Events
import Foundation
import GRDB
import Invoicing
import Messaging
import Money
import ServiceKit
import Testing

/// Issue 7/8: money received on account (`payment.received-on-account`) becomes customer
/// credit, `payment.reversed` carries the amount it reverses and names an allocation or a
/// payment on account.
@Suite struct PaymentsOnAccountTests {
    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    private func store(autoApply: Bool = false) async throws -> (InvoicingFixture, Customer) {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-05-28")
        var draft = try InvoicingFixture.customer()
        draft.autoApplyCredit = autoApply
        return (fixture, try await fixture.database.registerCustomer(draft))
    }

    private func onAccount(_ customer: Customer, _ cents: Int64, payment: String = "acct-1", eventId: String = UUID().uuidString) throws -> Envelope {
        try Envelope(
            PaymentReceivedOnAccount(customerId: customer.id, paymentId: payment, amount: eur(cents),
                                     valueDate: try CalendarDate(iso8601: "2026-05-15"), bankReference: "BANK-1"),
            source: "/relance/payment-matching", time: Date(), id: eventId)
    }

    private func reversal(_ customer: Customer, payment: String = "acct-1", cents: Int64, allocation: String? = nil, invoice: String? = nil) throws -> Envelope {
        try Envelope(
            PaymentReversed(customerId: customer.id, paymentId: payment, allocationId: allocation, invoiceId: invoice, amount: eur(cents), reason: "returned"),
            source: "/relance/payment-matching", time: Date(timeIntervalSince1970: 1_780_000_000))
    }

    private func items(_ fixture: InvoicingFixture, _ customer: Customer) async throws -> [CreditItem] {
        try await fixture.database.creditItems(customerId: customer.id, page: PageRequest(limit: 100)).items
    }

    @Test("a payment on account becomes an open paymentOnAccount credit item, announced once even when delivered twice")
    func onAccountBecomesCredit() async throws {
        let (fixture, customer) = try await store()
        #expect(try await fixture.database.applyPaymentEvent(try onAccount(customer, 250_00, eventId: "e-1")) == .applied)
        #expect(try await fixture.database.applyPaymentEvent(try onAccount(customer, 250_00, eventId: "e-1")) == .duplicate)
        // The same payment under another event id adds nothing either.
        #expect(try await fixture.database.applyPaymentEvent(try onAccount(customer, 250_00, eventId: "e-2")) == .applied)
        let all = try await items(fixture, customer)
        #expect(all.count == 1)
        let item = try #require(all.first)
        #expect(item.source == .paymentOnAccount && item.reference == "acct-1" && item.externalReference == nil)
        #expect(item.amount == eur(250_00) && item.openAmount == eur(250_00))
        #expect(item.createdOn == (try CalendarDate(iso8601: "2026-05-15")))
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(250_00)])
        #expect(try fixture.outboxEvents(CustomerCreditChanged.self) == [CustomerCreditChanged(
            customerId: customer.id, currency: .eur, creditItemId: item.id, change: eur(250_00), itemOpenAmount: eur(250_00),
            openCredit: eur(250_00), cause: .paymentOnAccount, paymentId: "acct-1")])
    }

    @Test("the same payment id on account with another amount is a poison record and changes nothing")
    func onAccountConflictIsPoison() async throws {
        let (fixture, customer) = try await store()
        _ = try await fixture.database.applyPaymentEvent(try onAccount(customer, 250_00))
        let before = try fixture.outboxTypes()
        await #expect(throws: InvalidRecord.self) { try await fixture.database.applyPaymentEvent(try onAccount(customer, 300_00)) }
        #expect(try fixture.outboxTypes() == before)
    }

    @Test("a payment on account is applied at once, oldest invoice first, for a customer with autoApplyCredit")
    func onAccountAutoApplied() async throws {
        let (fixture, customer) = try await store(autoApply: true)
        let old = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", issued: "2026-04-01", cents: 100_00))
        let recent = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2", issued: "2026-05-01", cents: 100_00))
        _ = try await fixture.database.applyPaymentEvent(try onAccount(customer, 150_00))
        #expect(try await fixture.database.invoice(id: old.id)?.status == .paid)
        let second = try #require(try await fixture.database.invoice(id: recent.id))
        #expect(second.status == .partiallyPaid && second.balance == eur(50_00))
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [])
        #expect(try fixture.outboxEvents(InvoiceSettled.self).map(\.cause) == [.creditApplied])
    }

    @Test("reversing a payment on account withdraws what is open and re-opens what was applied, newest application first")
    func onAccountReversal() async throws {
        let (fixture, customer) = try await store()
        let first = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 60_00))
        let second = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2", cents: 30_00))
        _ = try await fixture.database.applyPaymentEvent(try onAccount(customer, 100_00))
        _ = try await fixture.database.applyCredit(invoiceId: first.id)
        _ = try await fixture.database.applyCredit(invoiceId: second.id, amount: eur(20_00))
        // 60 + 20 applied, 20 open.
        #expect(try await fixture.database.applyPaymentEvent(try reversal(customer, cents: 100_00)) == .applied)
        let item = try #require(try await items(fixture, customer).first)
        #expect(item.openAmount == .zero(.eur) && item.appliedAmount == .zero(.eur) && item.withdrawnAmount == eur(100_00))
        #expect(try await fixture.database.invoice(id: first.id)?.balance == eur(60_00))
        #expect(try await fixture.database.invoice(id: second.id)?.balance == eur(30_00))
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [])
        let reversals = try fixture.outboxEvents(InvoiceBalanceChanged.self).filter { $0.cause == "reversal" }
        #expect(reversals.map(\.invoiceId) == [second.id, first.id])
        #expect(try fixture.outboxEvents(InvoiceReopened.self).map(\.invoiceId) == [first.id])
        let taken = try fixture.outboxEvents(CustomerCreditChanged.self).filter { $0.cause == .paymentReversed }
        #expect(taken.map(\.change) == [eur(-20_00)])
        // Reversing again changes nothing.
        let before = try fixture.outboxTypes()
        #expect(try await fixture.database.applyPaymentEvent(try reversal(customer, cents: 100_00)) == .applied)
        #expect(try fixture.outboxTypes() == before)
    }

    @Test("a reversal whose amount is not what it reverses is a poison record and changes nothing")
    func reversalAmountMismatchIsPoison() async throws {
        let (fixture, customer) = try await store()
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 100_00))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 130_00, id: "a1"))
        _ = try await fixture.database.applyPaymentEvent(try onAccount(customer, 50_00))
        let before = try fixture.outboxTypes()
        // The allocation was 130.00 (100.00 applied + 30.00 excess): 100.00 is not it.
        await #expect(throws: InvalidRecord.self) {
            try await fixture.database.applyPaymentEvent(try reversal(customer, payment: "pay-a1", cents: 100_00, allocation: "a1", invoice: invoice.id))
        }
        await #expect(throws: InvalidRecord.self) { try await fixture.database.applyPaymentEvent(try reversal(customer, cents: 49_99)) }
        // Another invoice, or half an identity, is refused too.
        await #expect(throws: InvalidRecord.self) {
            try await fixture.database.applyPaymentEvent(try reversal(customer, payment: "pay-a1", cents: 130_00, allocation: "a1", invoice: "other"))
        }
        await #expect(throws: InvalidRecord.self) {
            try await fixture.database.applyPaymentEvent(try reversal(customer, payment: "pay-a1", cents: 130_00, allocation: "a1"))
        }
        await #expect(throws: InvalidRecord.self) { try await fixture.database.applyPaymentEvent(try reversal(customer, payment: "unknown", cents: 50_00)) }
        #expect(try fixture.outboxTypes() == before)
        #expect(try await fixture.database.invoice(id: invoice.id)?.status == .paid)
        // The right amount reverses it.
        _ = try await fixture.database.applyPaymentEvent(try reversal(customer, payment: "pay-a1", cents: 130_00, allocation: "a1", invoice: invoice.id))
        #expect(try await fixture.database.invoice(id: invoice.id)?.balance == eur(100_00))
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(50_00)])
    }
}
