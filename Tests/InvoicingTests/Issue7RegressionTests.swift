import Events
import Foundation
import GRDB
import Invoicing
import Money
import Testing

// Regression tests for issue 7, bugs 6 to 10, through the store's public API as it was before
// the fix (each failed then). The new figures and types have their own tests next to them.

@Suite("Issue 7: payment behaviour counts open overdue items (bug 6)")
struct BehaviourRegressionTests {
    private func customer(_ fixture: InvoicingFixture) async throws -> Customer {
        try await fixture.database.registerCustomer(try InvoicingFixture.customer())
    }

    @Test("a customer who never pays scores its days delinquent, not 0 days late")
    func neverPayingCustomerIsLate() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await customer(fixture)
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", issued: "2026-01-01", due: "2026-01-31"))

        let report = try await fixture.database.outstanding(customerId: customer.id, asOf: try CalendarDate(iso8601: "2026-03-02"))

        #expect(report.paymentBehaviour.averageDaysLate == 30) // 31 Jan -> 2 Mar 2026
        #expect(report.paymentBehaviour.shareLate == 1)
    }

    @Test("days late are weighted by amount over paid invoices and overdue open items")
    func amountWeightedOverPaidAndOverdue() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await customer(fixture)
        // 100.00 paid 10 days late; 300.00 open, 30 days overdue on the report day.
        let paid = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-P", issued: "2026-01-01", due: "2026-01-31", cents: 100_00))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(paid, cents: 100_00, on: "2026-02-10"))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-O", issued: "2026-01-16", due: "2026-02-15", cents: 300_00))

        let report = try await fixture.database.outstanding(customerId: customer.id, asOf: try CalendarDate(iso8601: "2026-03-17"))

        // (100 × 10 + 300 × 30) / 400 = 25 days.
        #expect(report.paymentBehaviour.averageDaysLate == 25)
        #expect(report.paymentBehaviour.paidInvoices == 1)
        #expect(report.paymentBehaviour.paidLate == 1)
    }
}

@Suite("Issue 7: DSO on net sales (bug 7)")
struct NetSalesRegressionTests {
    @Test("a partial credit note reduces the month's sales")
    func partialCreditNote() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-FEB", issued: "2026-02-10", due: "2026-05-31", cents: 800_00))
        let march = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-MAR", issued: "2026-03-05", due: "2026-05-31", cents: 1_000_00))
        _ = try await fixture.database.issueCreditNote(invoiceId: march.id, CreditNoteDraft(
            number: "AV-1", amount: Money(minorUnits: 400_00, currency: .eur), reason: "returned goods"))

        let report = try await fixture.database.portfolioOutstanding(asOf: try CalendarDate(iso8601: "2026-03-31"))

        // Receivables 1 400. March net sales 600 (not 1 000): 31 days, 800 left; February's 800: 28 days.
        #expect(report.daysSalesOutstanding?.first?.days == 59)
    }

    @Test("a fully credited invoice is zero net sales in its month, not a month that vanishes")
    func fullCreditNote() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        // Open for years: more receivables than the 24 months of sales explain.
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-OLD", issued: "2023-12-01", due: "2023-12-31", cents: 500_00))
        let january = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-JAN", issued: "2026-01-15", due: "2026-02-14", cents: 900_00))
        _ = try await fixture.database.issueCreditNote(invoiceId: january.id, CreditNoteDraft(
            number: "AV-1", amount: Money(minorUnits: 900_00, currency: .eur), reason: "issued in error"))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-MAR", issued: "2026-03-05", due: "2026-04-04", cents: 1_000_00))

        let report = try await fixture.database.portfolioOutstanding(asOf: try CalendarDate(iso8601: "2026-03-31"))

        // Receivables 1 500: March's 1 000 (31 days), February nothing (28), January zero net
        // sales (31): the history reaches January, 500 stay unexplained.
        #expect(report.daysSalesOutstanding?.first?.days == 90)
    }
}

@Suite("Issue 7: credit limit on exposure, with a clearing event (bug 8)")
struct CreditLimitRegressionTests {
    static let cleared = "relance.customer.credit-limit-cleared.v1"

    @Test("going back under the limit clears the flag and publishes customer.credit-limit-cleared once")
    func backUnderPublishesCleared() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer(limit: 200_00))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        let second = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2"))
        #expect(try await fixture.database.customer(number: "C-001")?.creditLimitExceeded == true)

        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(second, cents: 120_00))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(second, cents: 0_01)) // excess: still under

        #expect(try await fixture.database.customer(number: "C-001")?.creditLimitExceeded == false)
        let types = try fixture.outboxTypes().filter { $0.hasPrefix("relance.customer.credit-limit") }
        #expect(types == [CustomerCreditLimitExceeded.eventType, Self.cleared])
    }

    @Test("unapplied customer credit in the limit's currency reduces the exposure")
    func unappliedCreditCounts() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer(limit: 200_00))
        let overpaid = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(overpaid, cents: 170_00)) // 50.00 credit
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2"))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-3"))

        // Open 240.00 − credit 50.00 = 190.00, under the 200.00 limit.
        #expect(try await fixture.database.customer(number: "C-001")?.creditLimitExceeded == false)
        #expect(try fixture.outboxEvents(CustomerCreditLimitExceeded.self).isEmpty)
    }

    @Test("invoices in another currency never count against the limit")
    func otherCurrenciesDoNotCount() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer(limit: 200_00))
        _ = try await fixture.database.issueInvoice(InvoiceDraft(
            number: "US-1", customerNumber: "C-001", issueDate: try CalendarDate(iso8601: "2026-05-01"), currency: .usd,
            total: Money(minorUnits: 5_000_00, currency: .usd)))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))

        #expect(try await fixture.database.customer(number: "C-001")?.creditLimitExceeded == false)
        #expect(try fixture.outboxEvents(CustomerCreditLimitExceeded.self).isEmpty)
    }
}

@Suite("Issue 7: portfolio today in the business time zone (bug 9)")
struct BusinessDayRegressionTests {
    @Test("half an hour after midnight in Paris, the portfolio's today is the new day while UTC is still on the old one")
    func portfolioTodayAfterParisMidnight() async throws {
        let fixture = try InvoicingFixture()
        try fixture.setInstant("2026-03-31T22:30:00Z") // 00:30 on 1 April in Paris (CEST)

        let report = try await fixture.database.portfolioOutstanding()

        #expect(report.asOf.description == "2026-04-01")
    }

    @Test("in winter too: 23:30 UTC on 31 January is 1 February in Paris")
    func portfolioTodayInWinter() async throws {
        let fixture = try InvoicingFixture()
        try fixture.setInstant("2026-01-31T23:30:00Z") // 00:30 CET

        #expect(try await fixture.database.portfolioOutstanding().asOf.description == "2026-02-01")
    }

    @Test("a customer's today stays in its own time zone")
    func customerKeepsItsZone() async throws {
        let fixture = try InvoicingFixture()
        var draft = try InvoicingFixture.customer("C-NY")
        draft.timeZone = try TimeZoneIdentifier("America/New_York")
        let newYork = try await fixture.database.registerCustomer(draft)
        let paris = try await fixture.database.registerCustomer(try InvoicingFixture.customer("C-PA"))
        try fixture.setInstant("2026-03-31T22:30:00Z") // 18:30 in New York, 00:30 in Paris

        #expect(try await fixture.database.outstanding(customerId: newYork.id).asOf.description == "2026-03-31")
        #expect(try await fixture.database.outstanding(customerId: paris.id).asOf.description == "2026-04-01")
    }
}

@Suite("Issue 7: a total off the lines by per-line VAT rounding is accepted (bug 10)")
struct RoundingToleranceRegressionTests {
    typealias F = DomainFixture

    /// Three lines of 10.03 at 20 %: VAT per rate 30.09 × 20 % = 6.018 → 6.02 (gross 36.11);
    /// VAT per line 2.006 → 2.01, three times 6.03 (gross 36.12), as an ERP prints it.
    static func draft(total cents: Int64) throws -> InvoiceDraft {
        InvoiceDraft(
            number: "ERP-1", customerNumber: "C-001", issueDate: try F.day("2026-05-01"), currency: .eur,
            lines: [try F.line("1", "10.03"), try F.line("1", "10.03"), try F.line("1", "10.03")],
            total: F.eur(cents))
    }

    @Test("the ERP's total, one cent above the lines, is issued and stored as given")
    func perLineRoundingAccepted() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())

        let invoice = try await fixture.database.issueInvoice(try Self.draft(total: 36_12))

        #expect(invoice.totalAmount == F.eur(36_12))
        #expect(invoice.balance == F.eur(36_12))
        #expect(invoice.netAmount == F.eur(30_09))
        #expect(invoice.vatAmount == F.eur(6_03))
        #expect(try fixture.outboxEvents(InvoiceIssued.self).first?.totalAmount == F.eur(36_12))
    }

    @Test("beyond one minor unit per line the total is still refused as totalsMismatch")
    func beyondToleranceRefused() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())

        let error = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.issueInvoice(try Self.draft(total: 36_15)) // 4 cents off, 3 lines
        }

        #expect(error?.code == .totalsMismatch)
        #expect(error?.field == "total")
        #expect(error?.reason.contains("36.11") == true)
    }
}
