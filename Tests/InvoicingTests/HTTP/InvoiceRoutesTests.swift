import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

@Suite("HTTP: invoices and their lifecycle")
struct InvoiceRoutesTests {
    /// The `{creditNote, invoice}` answer to a credit note.
    struct CreditNoteIssued: Decodable {
        let creditNote: CreditNote
        let invoice: Invoice
    }

    @Test("issuing an invoice answers 201 with its Location, its balance and RF reference")
    func issueInvoice() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            let response = try await api.send(.post, "/v1/invoices", json: Fixtures.invoiceWithLine())
            #expect(response.status == .created)
            let invoice = try response.decode(Invoice.self)
            #expect(invoice.customerId == customer.id)
            #expect(invoice.totalAmount.minorUnits == 120_000)
            #expect(invoice.netAmount?.minorUnits == 100_000)
            #expect(invoice.balance.minorUnits == 120_000)
            #expect(invoice.status == .open)
            #expect(invoice.dueDate.description == "2026-03-31") // net 30 from 2026-03-01
            #expect(invoice.paymentReference.hasPrefix("RF"))
            #expect(response.headers[.location] == "/v1/invoices/\(invoice.id)")

            let fetched = try await api.send(.get, "/v1/invoices/\(invoice.id)")
            #expect(fetched.status == .ok)
            #expect(try fetched.decode(Invoice.self) == invoice)
        }
        #expect(try await harness.count("invoice") == 1)
    }

    @Test("listing invoices filters by customer and status")
    func listFilters() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let first = try await api.registerCustomer(Fixtures.customer(number: "C-001"))
            let second = try await api.registerCustomer(Fixtures.customer(number: "C-002"))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-001", customer: "C-001"))
            let cancelled = try await api.issueInvoice(Fixtures.invoice(number: "INV-002", customer: "C-001"))
            try await api.issueInvoice(Fixtures.invoice(number: "INV-003", customer: "C-002"))
            #expect(try await api.send(.post, "/v1/invoices/\(cancelled.id)/cancel").status == .ok)

            func numbers(_ query: String) async throws -> [String] {
                let response = try await api.send(.get, "/v1/invoices\(query)")
                #expect(response.status == .ok)
                return try response.decode(Page<Invoice>.self).items.map(\.number)
            }
            #expect(try await numbers("") == ["INV-001", "INV-002", "INV-003"])
            #expect(try await numbers("?customerId=\(first.id)") == ["INV-001", "INV-002"])
            #expect(try await numbers("?customerId=\(second.id)") == ["INV-003"])
            #expect(try await numbers("?status=open") == ["INV-001", "INV-003"])
            #expect(try await numbers("?status=cancelled&customerId=\(first.id)") == ["INV-002"])
        }
    }

    @Test("cancelling an invoice closes it; cancelling it again is a 409 conflict")
    func cancel() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let response = try await api.send(.post, "/v1/invoices/\(invoice.id)/cancel", json: #"{"reason": "issued twice"}"#)
            #expect(response.status == .ok)
            let cancelled = try response.decode(Invoice.self)
            #expect(cancelled.status == .cancelled)
            #expect(cancelled.balance.isZero)

            let again = try await api.send(.post, "/v1/invoices/\(invoice.id)/cancel")
            #expect(again.status == .conflict)
            #expect(try again.problem().code == "invalidState")
        }
    }

    @Test("a credit note answers 201 with the note and the invoice's reduced balance")
    func creditNote() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice(total: 120_000))
            let response = try await api.send(
                .post, "/v1/invoices/\(invoice.id)/credit-notes",
                json: #"{"number": "CN-001", "amount": {"minorUnits": 20000, "currency": "EUR"}, "reason": "damaged goods"}"#)
            #expect(response.status == .created)
            let issued = try response.decode(CreditNoteIssued.self)
            #expect(issued.creditNote.number == "CN-001")
            #expect(issued.creditNote.invoiceId == invoice.id)
            #expect(issued.creditNote.issueDate.description == "2026-03-15")
            #expect(issued.invoice.balance.minorUnits == 100_000)
            #expect(issued.invoice.creditedAmount.minorUnits == 20_000)

            let tooMuch = try await api.send(
                .post, "/v1/invoices/\(invoice.id)/credit-notes",
                json: #"{"number": "CN-002", "amount": {"minorUnits": 200000, "currency": "EUR"}, "reason": "too much"}"#)
            #expect(tooMuch.status == .conflict)
            #expect(try tooMuch.problem().code == "invalidState")
        }
        #expect(try await harness.count("credit_note") == 1)
    }

    @Test("a dispute is opened with a reason and resolved")
    func dispute() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let opened = try await api.send(.post, "/v1/invoices/\(invoice.id)/dispute", json: #"{"reason": "not delivered"}"#)
            #expect(opened.status == .ok)
            let disputed = try opened.decode(Invoice.self)
            #expect(disputed.disputed)
            #expect(disputed.disputeReason == "not delivered")

            let twice = try await api.send(.post, "/v1/invoices/\(invoice.id)/dispute", json: #"{"reason": "again"}"#)
            #expect(twice.status == .conflict)

            let resolved = try await api.send(.post, "/v1/invoices/\(invoice.id)/dispute/resolve", json: #"{"resolution": "delivered on 2026-03-10"}"#)
            #expect(resolved.status == .ok)
            #expect(try resolved.decode(Invoice.self).disputed == false)
        }
    }

    @Test("a blank dispute reason or resolution is a 422 missingField")
    func blankReason() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let dispute = try await api.send(.post, "/v1/invoices/\(invoice.id)/dispute", json: #"{"reason": "  "}"#)
            #expect(dispute.status == .unprocessableContent)
            let problem = try dispute.problem()
            #expect(problem.code == "missingField")
            #expect(problem.errors?.first?.field == "reason")

            let writeOff = try await api.send(.post, "/v1/invoices/\(invoice.id)/write-off", json: "{}")
            #expect(writeOff.status == .unprocessableContent)
            #expect(try writeOff.problem().errors?.first?.field == "reason")

            let fetched = try await api.send(.get, "/v1/invoices/\(invoice.id)").decode(Invoice.self)
            #expect(fetched.status == .open)
            #expect(!fetched.disputed)
        }
    }

    @Test("an invoice is assigned to a factor once")
    func factor() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let assigned = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor", json: #"{"factorName": "BNP Factor"}"#)
            #expect(assigned.status == .ok)
            #expect(try assigned.decode(Invoice.self).factorName == "BNP Factor")
            let again = try await api.send(.post, "/v1/invoices/\(invoice.id)/factor", json: #"{"factorName": "Other"}"#)
            #expect(again.status == .conflict)
            #expect(try again.problem().code == "invalidState")
        }
    }

    @Test("the credit insurer is set and cleared with PUT")
    func creditInsurance() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let set = try await api.send(.put, "/v1/invoices/\(invoice.id)/credit-insurance", json: #"{"insurer": "Allianz Trade"}"#)
            #expect(set.status == .ok)
            #expect(try set.decode(Invoice.self).creditInsurer == "Allianz Trade")
            let cleared = try await api.send(.put, "/v1/invoices/\(invoice.id)/credit-insurance", json: #"{"insurer": null}"#)
            #expect(cleared.status == .ok)
            #expect(try cleared.decode(Invoice.self).creditInsurer == nil)
        }
    }

    @Test("writing off closes the invoice with a zero balance")
    func writeOff() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice(total: 120_000))
            let response = try await api.send(.post, "/v1/invoices/\(invoice.id)/write-off", json: #"{"reason": "customer liquidated"}"#)
            #expect(response.status == .ok)
            let written = try response.decode(Invoice.self)
            #expect(written.status == .writtenOff)
            #expect(written.balance.isZero)
            #expect(written.writtenOffAmount.minorUnits == 120_000)
        }
    }

    @Test("a partial write-off within the configured tolerance leaves the rest open; above it is 422 writeOffAboveTolerance")
    func partialWriteOff() async throws {
        var configuration = InvoicingAPI.Configuration()
        configuration.writeOffTolerance = 10_00
        let harness = try APIHarness(configuration: configuration)
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice(total: 120_000))
            let uri = "/v1/invoices/\(invoice.id)/write-off"
            let part = try await api.send(.post, uri, json: #"{"reason": "bank fees", "amount": {"minorUnits": 750, "currency": "EUR"}, "category": "bankFees"}"#)
            #expect(part.status == .ok)
            let written = try part.decode(Invoice.self)
            #expect(written.status == .open && written.balance.minorUnits == 119_250 && written.writtenOffAmount.minorUnits == 750)

            let above = try await api.send(.post, uri, json: #"{"reason": "bank fees", "amount": {"minorUnits": 1001, "currency": "EUR"}}"#)
            #expect(above.status == .unprocessableContent)
            let problem = try above.problem()
            #expect(problem.code == "writeOffAboveTolerance" && problem.errors?.first?.field == "amount")

            let category = try await api.send(.post, uri, json: #"{"reason": "x", "amount": {"minorUnits": 1, "currency": "EUR"}, "category": "gift"}"#)
            #expect(category.status == .badRequest || category.status == .unprocessableContent)
            #expect(try await api.send(.get, "/v1/invoices/\(invoice.id)").decode(Invoice.self).balance.minorUnits == 119_250)
        }
    }

    @Test("an unknown invoice id is 404 notFound on every invoice route")
    func unknownInvoice() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let id = "no-such-invoice"
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/invoices/\(id)", nil),
                (.post, "/v1/invoices/\(id)/cancel", nil),
                (.post, "/v1/invoices/\(id)/credit-notes", #"{"number": "CN-1", "amount": {"minorUnits": 100, "currency": "EUR"}, "reason": "r"}"#),
                (.post, "/v1/invoices/\(id)/dispute", #"{"reason": "r"}"#),
                (.post, "/v1/invoices/\(id)/dispute/resolve", #"{"resolution": "r"}"#),
                (.post, "/v1/invoices/\(id)/factor", #"{"factorName": "F"}"#),
                (.put, "/v1/invoices/\(id)/credit-insurance", #"{"insurer": "I"}"#),
                (.post, "/v1/invoices/\(id)/write-off", #"{"reason": "r"}"#),
            ]
            for (method, uri, body) in requests {
                let response = try await api.send(method, uri, json: body)
                #expect(response.status == .notFound, "\(method) \(uri)")
                #expect(try response.problem().code == "notFound", "\(method) \(uri)")
            }
        }
        #expect(try await harness.count("credit_note") == 0)
    }
}
