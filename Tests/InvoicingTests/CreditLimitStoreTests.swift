import Events
import Foundation
import GRDB
import Invoicing
import Money
import ServiceKit
import Testing

@Suite("Credit limit: exceeded and cleared events from the store")
struct CreditLimitStoreTests {
    /// A customer with a 200.00 limit, flagged over it by two invoices of 120.00.
    private func overTheLimit() async throws -> (InvoicingFixture, Customer) {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer(limit: 200_00))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2"))
        #expect(try fixture.outboxEvents(CustomerCreditLimitExceeded.self).count == 1)
        return (fixture, customer)
    }

    @Test("raising the limit above the exposure clears the flag, reason underLimit, with the new limit")
    func raisedLimit() async throws {
        let (fixture, customer) = try await overTheLimit()
        var details = customer.details
        details.creditLimit = Money(minorUnits: 500_00, currency: .eur)

        let updated = try await fixture.database.updateCustomer(id: customer.id, details)

        #expect(!updated.creditLimitExceeded)
        let cleared = try fixture.outboxEvents(CustomerCreditLimitCleared.self)
        #expect(cleared == [CustomerCreditLimitCleared(
            customerId: customer.id, customerNumber: "C-001", creditLimit: Money(minorUnits: 500_00, currency: .eur),
            exposure: Money(minorUnits: 240_00, currency: .eur), reason: .underLimit)])
    }

    @Test("a standalone credit note that brings the exposure under the limit clears the flag")
    func standaloneCreditNote() async throws {
        let (fixture, customer) = try await overTheLimit() // 240.00 open, limit 200.00
        _ = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
            customerId: customer.id,
            note: CreditNoteDraft(number: "AV-1", amount: Money(minorUnits: 50_00, currency: .eur), reason: "commercial gesture")))

        #expect(try await fixture.database.customer(id: customer.id)?.creditLimitExceeded == false)
        let cleared = try fixture.outboxEvents(CustomerCreditLimitCleared.self)
        #expect(cleared.map(\.exposure) == [Money(minorUnits: 190_00, currency: .eur)])
    }

    @Test("removing the limit clears the flag, reason limitRemoved, without a limit")
    func removedLimit() async throws {
        let (fixture, customer) = try await overTheLimit()
        var details = customer.details
        details.creditLimit = nil

        let updated = try await fixture.database.updateCustomer(id: customer.id, details)

        #expect(!updated.creditLimitExceeded)
        let cleared = try fixture.outboxEvents(CustomerCreditLimitCleared.self)
        #expect(cleared.map(\.reason) == [.limitRemoved])
        #expect(cleared.first?.creditLimit == nil)
        #expect(cleared.first?.exposure == Money(minorUnits: 240_00, currency: .eur))
    }

    @Test("exceeded and cleared alternate: over, under, over again gives exceeded, cleared, exceeded")
    func alternate() async throws {
        let (fixture, _) = try await overTheLimit()
        let page = try await fixture.database.invoices(matching: .init(), page: PageRequest())
        let first = try #require(page.items.first)
        _ = try await fixture.database.cancelInvoice(id: first.id, reason: "issued twice") // 120.00 left: under
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-3")) // 240.00: over again
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-4")) // still over: nothing new

        let types = try fixture.outboxTypes().filter { $0.hasPrefix("relance.customer.credit-limit") }
        #expect(types == [CustomerCreditLimitExceeded.eventType, CustomerCreditLimitCleared.eventType, CustomerCreditLimitExceeded.eventType])
        #expect(try fixture.outboxEvents(CustomerCreditLimitExceeded.self).last?.openBalance == Money(minorUnits: 240_00, currency: .eur))
    }

    @Test("the outstanding report shows the exposure net of credit, and other currencies apart")
    func reportedExposure() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer(limit: 200_00))
        let overpaid = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(overpaid, cents: 170_00)) // 50.00 credit
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2"))
        _ = try await fixture.database.issueInvoice(InvoiceDraft(
            number: "US-1", customerNumber: "C-001", issueDate: try CalendarDate(iso8601: "2026-05-01"), currency: .usd,
            total: Money(minorUnits: 80_00, currency: .usd)))

        let report = try await fixture.database.outstanding(customerId: customer.id, asOf: try CalendarDate(iso8601: "2026-05-28"))

        #expect(report.creditExposure == Money(minorUnits: 70_00, currency: .eur)) // 120.00 open − 50.00 credit
        #expect(report.creditLimitUsagePercent == 35)
        #expect(report.exposureOutsideLimit == [Money(minorUnits: 80_00, currency: .usd)])
        #expect(report.creditLimitExceeded == false)
    }
}
