import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import ServiceKit
import Testing

/// Issue 7 over HTTP: credit items, applying credit, credit notes as documents.
@Suite("HTTP: customer credit and credit notes")
struct CreditRoutesTests {
    struct NoteAndInvoice: Decodable {
        let creditNote: CreditNote
        let invoice: Invoice
    }

    /// Allocates `cents` of a payment to `invoice`.
    private static func allocate(_ harness: APIHarness, _ invoice: Invoice, cents: Int64, id: String) async throws {
        let envelope = try Envelope(
            PaymentAllocated(
                customerId: invoice.customerId, paymentId: "pay-\(id)", allocationId: id, invoiceId: invoice.id, invoiceNumber: invoice.number,
                amount: Money(minorUnits: cents, currency: invoice.currency), valueDate: try CalendarDate(iso8601: "2026-03-10")),
            source: "/relance/payment-matching", time: APIHarness.now)
        _ = try await harness.database.applyPaymentEvent(envelope)
    }

    /// Gives the customer of `invoice` `cents` of credit by overpaying it.
    private static func overpay(_ harness: APIHarness, _ invoice: Invoice, by cents: Int64, id: String) async throws {
        try await allocate(harness, invoice, cents: invoice.balance.minorUnits + cents, id: id)
    }

    @Test("credit items are listed with cursor pagination and the customer shows their open total")
    func creditItems() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            for index in 1...3 {
                let invoice = try await api.issueInvoice(Fixtures.invoice(number: "INV-\(index)", total: 10_000))
                try await Self.overpay(harness, invoice, by: Int64(index) * 100, id: "a\(index)")
            }
            let first = try await api.send(.get, "/v1/customers/\(customer.id)/credit-items?limit=2")
            #expect(first.status == .ok)
            let page = try first.decode(Page<CreditItem>.self)
            #expect(page.items.map(\.openAmount.minorUnits) == [100, 200])
            let cursor = try #require(page.nextCursor)
            let second = try await api.send(.get, "/v1/customers/\(customer.id)/credit-items?limit=2&cursor=\(cursor)").decode(Page<CreditItem>.self)
            #expect(second.items.map(\.source) == [.overpayment] && second.nextCursor == nil)
            let shown = try await api.send(.get, "/v1/customers/\(customer.id)").decode(Customer.self)
            #expect(shown.credit == [Money(minorUnits: 600, currency: .eur)])
            #expect(try await api.send(.get, "/v1/customers/nobody/credit-items").status == .notFound)
        }
    }

    @Test("apply-credit applies as much as possible with an empty body, and refuses with problems")
    func applyCredit() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            let paid = try await api.issueInvoice(Fixtures.invoice(number: "INV-1", total: 10_000))
            try await Self.overpay(harness, paid, by: 5_000, id: "a1")
            let target = try await api.issueInvoice(Fixtures.invoice(number: "INV-2", total: 20_000))

            let tooMuch = try await api.send(.post, "/v1/invoices/\(target.id)/apply-credit", json: #"{"amount": {"minorUnits": 6000, "currency": "EUR"}}"#)
            #expect(tooMuch.status == .conflict)
            #expect(try tooMuch.problem().code == "invalidState")
            let otherCurrency = try await api.send(.post, "/v1/invoices/\(target.id)/apply-credit", json: #"{"amount": {"minorUnits": 100, "currency": "USD"}}"#)
            #expect(otherCurrency.status == .unprocessableContent)
            let unknownItem = try await api.send(.post, "/v1/invoices/\(target.id)/apply-credit", json: #"{"creditItemId": "nope"}"#)
            #expect(unknownItem.status == .unprocessableContent)
            #expect(try unknownItem.problem().code == "invalidField")

            let partial = try await api.send(.post, "/v1/invoices/\(target.id)/apply-credit", json: #"{"amount": {"minorUnits": 1000, "currency": "EUR"}}"#)
            #expect(partial.status == .ok)
            #expect(try partial.decode(CreditApplicationResult.self).invoice.balance.minorUnits == 19_000)
            let rest = try await api.send(.post, "/v1/invoices/\(target.id)/apply-credit")
            #expect(rest.status == .ok)
            let result = try rest.decode(CreditApplicationResult.self)
            #expect(result.applied.minorUnits == 4_000 && result.invoice.balance.minorUnits == 15_000)
            #expect(result.invoice.status == .partiallyPaid && result.applications.count == 1)
            let none = try await api.send(.post, "/v1/invoices/\(target.id)/apply-credit", json: "{}")
            #expect(none.status == .conflict)
            #expect(try await api.send(.post, "/v1/invoices/nope/apply-credit").status == .notFound)
        }
    }

    @Test("a credit note beyond the balance answers 201 with the part that became credit")
    func creditNoteBeyondTheBalance() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            _ = try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice(total: 10_000))
            try await Self.allocate(harness, invoice, cents: 7_000, id: "a1")
            let response = try await api.send(
                .post, "/v1/invoices/\(invoice.id)/credit-notes",
                json: #"{"number": "CN-1", "amount": {"minorUnits": 6000, "currency": "EUR"}, "netAmount": {"minorUnits": 5000, "currency": "EUR"}, "vatAmount": {"minorUnits": 1000, "currency": "EUR"}, "reason": "returned"}"#)
            #expect(response.status == .created)
            let issued = try response.decode(NoteAndInvoice.self)
            #expect(issued.creditNote.appliedToInvoice.minorUnits == 3_000 && issued.creditNote.addedToCredit.minorUnits == 3_000)
            #expect(issued.creditNote.netAmount?.minorUnits == 5_000 && issued.creditNote.vatAmount?.minorUnits == 1_000)
            #expect(issued.invoice.status == .paid && issued.invoice.balance.isZero && issued.invoice.creditedAmount.minorUnits == 3_000)
            let beyondTotal = try await api.send(
                .post, "/v1/invoices/\(invoice.id)/credit-notes",
                json: #"{"number": "CN-3", "amount": {"minorUnits": 4001, "currency": "EUR"}, "reason": "x"}"#)
            #expect(beyondTotal.status == .conflict)
            let badSplit = try await api.send(
                .post, "/v1/invoices/\(invoice.id)/credit-notes",
                json: #"{"number": "CN-2", "amount": {"minorUnits": 100, "currency": "EUR"}, "netAmount": {"minorUnits": 90, "currency": "EUR"}, "vatAmount": {"minorUnits": 20, "currency": "EUR"}, "reason": "x"}"#)
            #expect(badSplit.status == .unprocessableContent)
            #expect(try badSplit.problem().code == "totalsMismatch")
            let fetched = try await api.send(.get, "/v1/credit-notes/\(issued.creditNote.id)")
            #expect(try fetched.decode(CreditNote.self) == issued.creditNote)
        }
    }

    @Test("a standalone credit note answers 201 with Location, and is listed and fetched")
    func standalone() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            let response = try await api.send(
                .post, "/v1/credit-notes",
                json: #"{"customerId": "\#(customer.id)", "number": "CN-9", "amount": {"minorUnits": 5000, "currency": "EUR"}, "reason": "gesture", "issueDate": "2026-03-14"}"#)
            #expect(response.status == .created)
            let note = try response.decode(CreditNote.self)
            #expect(response.headers[.location] == "/v1/credit-notes/\(note.id)")
            #expect(note.invoiceId == nil && note.addedToCredit.minorUnits == 5_000 && note.creditItemId != nil)
            #expect(note.issueDate.description == "2026-03-14")
            let list = try await api.send(.get, "/v1/credit-notes?customerId=\(customer.id)").decode(Page<CreditNote>.self)
            #expect(list.items == [note])
            #expect(try await api.send(.get, "/v1/credit-notes?invoiceId=other").decode(Page<CreditNote>.self).items.isEmpty)
            #expect(try await api.send(.get, "/v1/credit-notes/nope").status == .notFound)
            let unknown = try await api.send(
                .post, "/v1/credit-notes",
                json: #"{"customerId": "nobody", "number": "CN-10", "amount": {"minorUnits": 5000, "currency": "EUR"}, "reason": "x"}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(try unknown.problem().code == "notFound")
            let duplicate = try await api.send(
                .post, "/v1/credit-notes",
                json: #"{"customerId": "\#(customer.id)", "number": "CN-9", "amount": {"minorUnits": 100, "currency": "EUR"}, "reason": "x"}"#)
            #expect(duplicate.status == .conflict)
            let shown = try await api.send(.get, "/v1/customers/\(customer.id)").decode(Customer.self)
            #expect(shown.credit == [Money(minorUnits: 5_000, currency: .eur)])
        }
    }

    @Test("autoApplyCredit is accepted, shown, defaults to false, and applies credit to a new invoice")
    func autoApplyOption() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let plain = try await api.registerCustomer()
            #expect(plain.details.autoApplyCredit == false)
            let customer = try await api.registerCustomer(Fixtures.customer(number: "C-002", extra: #""autoApplyCredit": true"#))
            #expect(customer.details.autoApplyCredit)
            let paid = try await api.issueInvoice(Fixtures.invoice(number: "INV-1", customer: "C-002", total: 10_000))
            try await Self.overpay(harness, paid, by: 3_000, id: "a1")
            let next = try await api.issueInvoice(Fixtures.invoice(number: "INV-2", customer: "C-002", total: 10_000))
            #expect(next.balance.minorUnits == 7_000)
            let refused = try await api.send(.post, "/v1/customers", json: Fixtures.customer(number: "C-003", extra: #""autoApplyCredit": "yes""#))
            #expect(refused.status == .badRequest || refused.status == .unprocessableContent)
        }
    }
}
