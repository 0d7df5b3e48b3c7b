import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import Money
import NIOCore
import ServiceKit
import Testing

/// Every refused request answers a clear 4xx problem and leaves the store as it was.
@Suite("HTTP: bad input is refused and stores nothing")
struct ValidationTests {
    /// What a refusal must look like.
    struct Refusal {
        var status: HTTPResponse.Status
        var code: String
        var field: String?
    }

    /// Registers customer C-001, sends the body, checks the problem and that no customer or
    /// invoice was added.
    private func expectRefused(
        _ uri: String, _ json: String, _ refusal: Refusal, method: HTTPRequest.Method = .post,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let before = (try await harness.count("customer"), try await harness.count("invoice"))
            let response = try await api.send(method, uri, json: json)
            #expect(response.status == refusal.status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
            let problem = try response.problem()
            #expect(problem.statusCode == refusal.status.code, sourceLocation: sourceLocation)
            #expect(problem.code == refusal.code, sourceLocation: sourceLocation)
            if let field = refusal.field {
                #expect(problem.errors?.first?.field == field, sourceLocation: sourceLocation)
            }
            #expect(problem.detail?.isEmpty == false, sourceLocation: sourceLocation)
            let after = (try await harness.count("customer"), try await harness.count("invoice"))
            #expect(after == before, sourceLocation: sourceLocation)
            let listed = try await api.send(.get, "/v1/invoices").decode(Page<Invoice>.self)
            #expect(listed.items.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test("an unknown currency is 422 unknownCurrency, naming the field")
    func unknownCurrency() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoice(currency: "ABC"),
                                Refusal(status: .unprocessableContent, code: "unknownCurrency", field: "currency"))
    }

    @Test("a quantity with more than three decimals is 422 tooManyDecimals")
    func quantityTooManyDecimals() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoiceWithLine(quantity: "1.2345"),
                                Refusal(status: .unprocessableContent, code: "tooManyDecimals", field: "lines[0].quantity"))
    }

    @Test("an amount with decimals in its minor units is 400 malformedBody")
    func amountWithFractionalMinorUnits() async throws {
        // Foundation's decoder reports a number that does not fit Int64 without its path.
        let json = #"{"number": "INV-001", "customerNumber": "C-001", "issueDate": "2026-03-01", "currency": "EUR", "total": {"minorUnits": 1200.505, "currency": "EUR"}}"#
        try await expectRefused("/v1/invoices", json, Refusal(status: .badRequest, code: "malformedBody"))
    }

    @Test("a zero total is 422 nonPositiveTotal")
    func zeroTotal() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoice(total: 0),
                                Refusal(status: .unprocessableContent, code: "nonPositiveTotal", field: "total"))
    }

    @Test("a negative total is 422 nonPositiveTotal")
    func negativeTotal() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoice(total: -5_000),
                                Refusal(status: .unprocessableContent, code: "nonPositiveTotal", field: "total"))
    }

    @Test("a due date before the issue date is 422 dueBeforeIssue")
    func dueBeforeIssue() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoice(issueDate: "2026-03-10", dueDate: "2026-03-01"),
                                Refusal(status: .unprocessableContent, code: "dueBeforeIssue", field: "dueDate"))
    }

    @Test("an invoice for an unknown customer number is 422 notFound on customerNumber")
    func unknownCustomer() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoice(customer: "C-404"),
                                Refusal(status: .unprocessableContent, code: "notFound", field: "customerNumber"))
    }

    @Test("lines whose total disagrees with the given total are 422 totalsMismatch")
    func totalsMismatch() async throws {
        try await expectRefused("/v1/invoices", Fixtures.invoiceWithLine(total: 100_000),
                                Refusal(status: .unprocessableContent, code: "totalsMismatch", field: "total"))
    }

    @Test("a malformed JSON body is 400 malformedBody")
    func malformedJSON() async throws {
        try await expectRefused("/v1/invoices", #"{"number": "INV-001", "customerNumber": "#,
                                Refusal(status: .badRequest, code: "malformedBody", field: "body"))
    }

    @Test("a missing required field is 400 naming it")
    func missingField() async throws {
        try await expectRefused("/v1/invoices", #"{"number": "INV-001", "customerNumber": "C-001", "currency": "EUR"}"#,
                                Refusal(status: .badRequest, code: "malformedBody", field: "issueDate"))
    }

    @Test("an invalid e-mail is 422 invalidEmail on the contact's field")
    func invalidEmail() async throws {
        let json = Fixtures.customer(number: "C-002").replacingOccurrences(of: "claire@acme.fr", with: "claire@@acme")
        try await expectRefused("/v1/customers", json,
                                Refusal(status: .unprocessableContent, code: "invalidEmail", field: "contacts[0].email"))
    }

    @Test("an invalid phone is 422 invalidPhone on the contact's field")
    func invalidPhone() async throws {
        let json = #"{"customerNumber": "C-002", "legalName": "Beta", "country": "FR", "defaultCurrency": "EUR", "contacts": [{"name": "Paul", "phone": "06 12 34 56 78", "role": "accounting"}]}"#
        try await expectRefused("/v1/customers", json,
                                Refusal(status: .unprocessableContent, code: "invalidPhone", field: "contacts[0].phone"))
    }

    @Test("an invalid time zone is 422 invalidTimeZone")
    func invalidTimeZone() async throws {
        try await expectRefused("/v1/customers", Fixtures.customer(number: "C-002", extra: #""timeZone": "CET""#),
                                Refusal(status: .unprocessableContent, code: "invalidTimeZone", field: "timeZone"))
    }

    @Test("a duplicate customer number is 409 duplicateNumber")
    func duplicateCustomerNumber() async throws {
        try await expectRefused("/v1/customers", Fixtures.customer(number: "C-001", name: "Someone else"),
                                Refusal(status: .conflict, code: "duplicateNumber"))
    }

    @Test("a duplicate invoice number is 409 duplicateNumber and keeps the first invoice")
    func duplicateInvoiceNumber() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let first = try await api.issueInvoice(Fixtures.invoice(number: "INV-001", total: 1_000))
            let response = try await api.send(.post, "/v1/invoices", json: Fixtures.invoice(number: "INV-001", total: 9_999))
            #expect(response.status == .conflict)
            #expect(try response.problem().code == "duplicateNumber")
            let listed = try await api.send(.get, "/v1/invoices").decode(Page<Invoice>.self)
            #expect(listed.items == [first])
        }
    }

    @Test("a JSON body over 1 MiB is 413 and stores nothing")
    func oversizeBody() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let huge = Fixtures.customer(number: "C-BIG", name: String(repeating: "x", count: 1_100_000))
            for key in [nil, "big-1"] {
                let response = try await api.send(.post, "/v1/customers", json: huge, idempotencyKey: key)
                #expect(response.status == .contentTooLarge)
                #expect(try response.problem().statusCode == 413)
            }
        }
        #expect(try await harness.count("customer") == 0)
        #expect(try await harness.count("idempotency_key") == 0)
    }
}
