import Events
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Invoicing
import Money
import ServiceKit
import Testing

@Suite("HTTP: instalment plans, due-date changes, warnings and contact consents")
struct ScheduleRoutesTests {
    @Test("issuing beyond the legal cap answers 201 with a warning, and GET shows it")
    func warningOnIssueAndGet() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let response = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(issueDate: "2026-03-01", dueDate: "2026-06-30"))
            #expect(response.status == .created)
            let body = String(buffer: response.body)
            #expect(body.contains(#""code":"paymentTermsExceedLegalMaximum""#), "\(body)")
            let invoice = try response.decode(Invoice.self)
            #expect(invoice.warnings.first?.message.contains("2026-06-30") == true)
            let read = try await api.send(.get, "/v1/invoices/\(invoice.id)").decode(Invoice.self)
            #expect(read.warnings == invoice.warnings)
            let within = try await api.issueInvoice(Fixtures.invoice(number: "INV-002", issueDate: "2026-03-01", dueDate: "2026-04-30"))
            #expect(within.warnings.isEmpty)
        }
    }

    @Test("instalment terms give the plan at issue; PUT schedule replaces it; the JSON shows open per instalment")
    func schedule() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer(Fixtures.customer(extra: #""paymentTerms": "instalments:30=40/60=60""#))
            let invoice = try await api.issueInvoice(Fixtures.invoice(total: 1_000_00, dueDate: nil))
            #expect(invoice.paymentTerms == "instalments:30=40/60=60")
            #expect(invoice.schedule.map(\.amount.minorUnits) == [400_00, 600_00])
            #expect(invoice.dueDate.description == "2026-04-30")

            let put = try await api.send(.put, "/v1/invoices/\(invoice.id)/schedule", json: """
                {"instalments": [{"dueDate": "2026-03-15", "amount": {"minorUnits": 50000, "currency": "EUR"}},
                                 {"dueDate": "2026-04-15", "amount": {"minorUnits": 50000, "currency": "EUR"}}]}
                """)
            #expect(put.status == .ok, "\(String(buffer: put.body))")
            let updated = try put.decode(Invoice.self)
            #expect(updated.schedule.map(\.dueDate.description) == ["2026-03-15", "2026-04-15"])
            #expect(updated.dueDate.description == "2026-04-15")

            let wrongSum = try await api.send(.put, "/v1/invoices/\(invoice.id)/schedule", json: """
                {"instalments": [{"dueDate": "2026-03-15", "amount": {"minorUnits": 1, "currency": "EUR"}}]}
                """)
            #expect(wrongSum.status == .unprocessableContent)
            #expect(try wrongSum.problem().code == "totalsMismatch")
            #expect(try await api.send(.put, "/v1/invoices/unknown/schedule", json: #"{"instalments": []}"#).status != .ok)
            let types = try await harness.database.reader.read { db in
                try String.fetchAll(db, sql: "SELECT type FROM relance_outbox WHERE type = ?", arguments: [InvoiceScheduleSet.eventType])
            }
            #expect(types.count == 2)
        }
    }

    @Test("POST due-date moves the due date with a reason; blank reason is 422, same date 409")
    func dueDate() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let response = try await api.send(.post, "/v1/invoices/\(invoice.id)/due-date", json: #"{"dueDate": "2026-04-15", "reason": "delay granted"}"#)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let moved = try response.decode(Invoice.self)
            #expect(moved.dueDate.description == "2026-04-15")
            #expect(moved.dueDateChanges.first?.previousDueDate.description == "2026-03-31")
            #expect(moved.dueDateChanges.first?.reason == "delay granted")
            let blank = try await api.send(.post, "/v1/invoices/\(invoice.id)/due-date", json: #"{"dueDate": "2026-04-20", "reason": " "}"#)
            #expect(blank.status == .unprocessableContent)
            let same = try await api.send(.post, "/v1/invoices/\(invoice.id)/due-date", json: #"{"dueDate": "2026-04-15", "reason": "again"}"#)
            #expect(same.status == .conflict)
            let before = try await api.send(.post, "/v1/invoices/\(invoice.id)/due-date", json: #"{"dueDate": "2026-02-01", "reason": "x"}"#)
            #expect(before.status == .unprocessableContent)
        }
    }

    @Test("a document URL given at issue is shown; a bad one is 422")
    func documentURL() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let json = #"{"number": "INV-9", "customerNumber": "C-001", "issueDate": "2026-03-01", "currency": "EUR", "total": {"minorUnits": 100, "currency": "EUR"}, "documentUrl": "https://files.example.com/INV-9.pdf"}"#
            #expect(try await api.issueInvoice(json).documentUrl == "https://files.example.com/INV-9.pdf")
            let bad = try await api.send(.post, "/v1/invoices", json: json.replacingOccurrences(of: "https://files", with: "ftp://files").replacingOccurrences(of: "INV-9", with: "INV-10"))
            #expect(bad.status == .unprocessableContent)
            #expect(try bad.problem().errors?.first?.field == "documentUrl")
        }
    }

    @Test("contacts take consents, cc and a BCP 47 language; the customer takes a contractual late-payment rate")
    func contacts() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer(#"""
                {"customerNumber": "C-001", "legalName": "Acme", "country": "FR", "defaultCurrency": "EUR", "language": "fr-CA",
                 "lateInterestRateBasisPoints": 1200,
                 "contacts": [{"name": "Claire", "email": "claire@acme.fr", "role": "accounting", "language": "en_gb",
                               "consents": [{"channel": "email", "optedIn": true, "recordedOn": "2026-01-05"}],
                               "cc": ["boss@acme.fr"]}]}
                """#)
            #expect(customer.details.language.tag == "fr-CA")
            #expect(customer.details.lateInterestRateBasisPoints == 1200)
            #expect(customer.details.contacts[0].language?.tag == "en-GB")
            #expect(customer.details.contacts[0].consents.map(\.channel) == ["email"])
            #expect(customer.details.contacts[0].cc.map(\.address) == ["boss@acme.fr"])
            let badRate = try await api.send(.post, "/v1/customers", json: Fixtures.customer(number: "C-002", extra: #""lateInterestRateBasisPoints": 10001"#))
            #expect(badRate.status == .unprocessableContent)
            let badLanguage = try await api.send(.post, "/v1/customers", json: Fixtures.customer(number: "C-003", extra: #""language": "french!""#))
            #expect(badLanguage.status == .unprocessableContent)
        }
    }
}
