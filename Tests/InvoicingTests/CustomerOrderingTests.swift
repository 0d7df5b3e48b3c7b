import Events
import Foundation
import Invoicing
import Money
import Testing

/// A consumer reading the customers and invoices topics can see an invoice before the
/// customer event it needs (issue 7): `invoice.issued` carries the customer's version and a
/// snapshot, customer events their version.
@Suite struct CustomerOrderingTests {
    /// A consumer's view of customers, following docs/events/README.md ("Ordering across
    /// topics"): keep the highest version seen; an invoice's snapshot counts as that version;
    /// a customer event with a lower version is stale.
    struct CustomerView {
        var version = 0
        var legalName: String?
        var riskCategory: String?

        mutating func apply(_ event: InvoiceIssued) {
            guard let version = event.customerVersion, let snapshot = event.customer, version > self.version else { return }
            (self.version, legalName, riskCategory) = (version, snapshot.legalName, snapshot.riskCategory)
        }

        mutating func apply(_ snapshot: CustomerSnapshot, version: Int?) {
            guard let version, version > self.version else { return } // stale
            (self.version, legalName, riskCategory) = (version, snapshot.legalName, snapshot.riskCategory)
        }
    }

    @Test("the customer version grows with every change and invoice.issued carries it with the snapshot")
    func versionInEvents() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        #expect(customer.version == 1)
        var draft = customer.details
        draft.legalName = "Boulangerie Martin SARL"
        let updated = try await fixture.database.updateCustomer(id: customer.id, draft)
        #expect(updated.version == 2)
        #expect(try await fixture.database.updateCustomer(id: customer.id, draft).version == 2) // nothing changed
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))

        #expect(try fixture.outboxEvents(CustomerRegistered.self).map(\.customerVersion) == [1])
        #expect(try fixture.outboxEvents(CustomerUpdated.self).map(\.customerVersion) == [2])
        let issued = try #require(try fixture.outboxEvents(InvoiceIssued.self).first)
        #expect(issued.customerVersion == 2)
        #expect(issued.customer == InvoiceCustomerSnapshot(
            customerNumber: "C-001", legalName: "Boulangerie Martin SARL", timeZone: "Europe/Paris", language: "fr",
            segment: "retail", riskCategory: "medium", strategic: false))
    }

    @Test("a consumer that sees invoice.issued first uses its snapshot and ignores the older customer events arriving after it")
    func invoiceBeforeCustomer() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        var draft = customer.details
        draft.riskCategory = .high
        _ = try await fixture.database.updateCustomer(id: customer.id, draft)
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        draft.riskCategory = .critical
        _ = try await fixture.database.updateCustomer(id: customer.id, draft)

        // The invoices topic is read first, then the customers topic catches up.
        var view = CustomerView()
        for event in try fixture.outboxEvents(InvoiceIssued.self) { view.apply(event) }
        #expect(view.riskCategory == "high" && view.version == 2)
        for event in try fixture.outboxEvents(CustomerRegistered.self) { view.apply(event.customer, version: event.customerVersion) }
        #expect(view.riskCategory == "high", "customer.registered (version 1) is older than the invoice's snapshot")
        for event in try fixture.outboxEvents(CustomerUpdated.self) { view.apply(event.customer, version: event.customerVersion) }
        #expect(view.riskCategory == "critical" && view.version == 3)
    }
}
