import Events
import Foundation
import HTTPTypes
import HummingbirdTesting
import Invoicing
import NIOCore
import ServiceKit
import Testing

/// What schemathesis found the server doing against its OpenAPI document, fixed on the
/// server's side: each test sends what the document refuses and expects a 4xx problem that
/// names the field, with nothing stored.
@Suite("HTTP: the server refuses what the OpenAPI document refuses")
struct ConformanceTests {
    /// Sends `json`, expects a problem with `status`, `code` and (when given) `field`, and
    /// that no customer or invoice was added by it.
    private func expectRefused(
        _ uri: String, method: HTTPRequest.Method = .post, json: String, status: HTTPResponse.Status, code: String,
        field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            let invoice = try await api.issueInvoice(Fixtures.invoice())
            let before = (try await harness.count("customer"), try await harness.count("invoice"), try await harness.count("credit_note"))
            let target = uri.replacingOccurrences(of: "{customer}", with: customer.id).replacingOccurrences(of: "{invoice}", with: invoice.id)
            let response = try await api.send(method, target, json: json)
            #expect(response.status == status, "\(String(buffer: response.body))", sourceLocation: sourceLocation)
            let problem = try response.problem()
            #expect(problem.code == code, sourceLocation: sourceLocation)
            if let field {
                #expect(problem.errors?.first?.field == field, sourceLocation: sourceLocation)
            }
            let after = (try await harness.count("customer"), try await harness.count("invoice"), try await harness.count("credit_note"))
            #expect(after == before, sourceLocation: sourceLocation)
            let stored = try await harness.database.customer(id: customer.id)
            #expect(stored == customer, "the customer changed", sourceLocation: sourceLocation)
        }
    }

    // MARK: Query parameters

    @Test("a present but empty asOf, risk, status or limit is 400 invalidParameter naming it")
    func emptyFormattedParameters() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let customer = try await api.registerCustomer()
            for (uri, parameter) in [
                ("/v1/outstanding?asOf=", "asOf"), ("/v1/customers/\(customer.id)/outstanding?asOf=", "asOf"),
                ("/v1/customers?risk=", "risk"), ("/v1/invoices?status=", "status"), ("/v1/customers?limit=", "limit"),
            ] {
                let response = try await api.send(.get, uri)
                #expect(response.status == .badRequest, "\(uri)")
                let problem = try response.problem()
                #expect(problem.code == "invalidParameter", "\(uri)")
                #expect(problem.errors?.first?.field == parameter, "\(uri)")
            }
        }
    }

    @Test("free-text parameters and the cursor may be empty: ?q=&cursor= is the first page")
    func emptyFreeTextParameters() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            try await api.registerCustomer()
            let response = try await api.send(.get, "/v1/customers?q=&segment=&tag=&cursor=")
            #expect(response.status == .ok)
            #expect(try response.decode(Page<Customer>.self).items.count == 1)
        }
    }

    @Test("risk takes exactly the documented names", arguments: ["High", "HIGH", " high"])
    func riskIsExact(value: String) async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            let response = try await api.send(.get, "/v1/customers?risk=\(encoded)")
            #expect(response.status == .badRequest)
            #expect(try response.problem().errors?.first?.field == "risk")
        }
    }

    @Test("a cursor that is not unpadded base64url is 400, though it would decode", arguments: ["AB==", "a+b/", "A", "Zm9v!"])
    func cursorForm(cursor: String) async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let encoded = cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor
            let response = try await api.send(.get, "/v1/invoices?cursor=\(encoded)")
            #expect(response.status == .badRequest)
            #expect(try response.problem().errors?.first?.field == "cursor")
        }
    }

    // MARK: Bodies

    @Test("an explicit null for an optional field is 400 malformedBody naming it", arguments: [
        ("/v1/customers", Fixtures.customer(number: "C-002", extra: #""registrationId": null"#), "registrationId"),
        ("/v1/customers", Fixtures.customer(number: "C-002").replacingOccurrences(of: #""isDunningRecipient": true"#, with: #""isDunningRecipient": null"#),
         "contacts[0].isDunningRecipient"),
        ("/v1/invoices", #"{"number": "INV-9", "customerNumber": "C-001", "issueDate": "2026-03-01", "currency": "EUR", "total": {"minorUnits": 100, "currency": "EUR"}, "orderReference": null}"#,
         "orderReference"),
        ("/v1/invoices/{invoice}/cancel", #"{"reason": null}"#, "reason"),
        ("/v1/invoices/{invoice}/dispute", #"{"reason": null}"#, "reason"),
    ])
    func nullIsNotAbsent(uri: String, json: String, field: String) async throws {
        try await expectRefused(uri, json: json, status: .badRequest, code: "malformedBody", field: field)
    }

    @Test("codes are exact in JSON: no surrounding spaces, time zones from the IANA list", arguments: [
        (#""country": " FR""#, "invalidCountry", "country"),
        (#""timeZone": "Europe/Paris ""#, "invalidTimeZone", "timeZone"),
        (#""timeZone": "Etc/GMT-1""#, "invalidTimeZone", "timeZone"),
        (#""paymentTerms": " net:30""#, "invalidPaymentTerms", "paymentTerms"),
        (#""vatId": "ﬀﬀ""#, "invalidField", "vatId"),
    ])
    func exactCodes(json: String, code: String, field: String) async throws {
        let body = field == "country"
            ? Fixtures.customer(number: "C-002").replacingOccurrences(of: #""country": "FR""#, with: json)
            : Fixtures.customer(number: "C-002", extra: json)
        try await expectRefused("/v1/customers", json: body, status: .unprocessableContent, code: code, field: field)
    }

    @Test("an e-mail with surrounding spaces is 422 invalidEmail on the contact")
    func emailWithSpaces() async throws {
        let json = Fixtures.customer(number: "C-002").replacingOccurrences(of: #""claire@acme.fr""#, with: #"" claire@acme.fr""#)
        try await expectRefused("/v1/customers", json: json, status: .unprocessableContent, code: "invalidEmail", field: "contacts[0].email")
    }

    // MARK: Limits

    @Test("a customer with 51 contacts is 422 limitExceeded on contacts, on POST and PUT")
    func tooManyContacts() async throws {
        let contacts = (1...51).map { #"{"name": "Contact \#($0)", "email": "c\#($0)@acme.fr", "role": "operational"}"# }
        let json = Fixtures.customer(number: "C-002").replacingOccurrences(
            of: #"[{"name": "Claire Martin", "email": "claire@acme.fr", "role": "accounting", "isDunningRecipient": true}]"#,
            with: "[" + contacts.joined(separator: ", ") + "]")
        try await expectRefused("/v1/customers", json: json, status: .unprocessableContent, code: "limitExceeded", field: "contacts")
        try await expectRefused("/v1/customers/{customer}", method: .put, json: json.replacingOccurrences(of: "C-002", with: "C-001"),
                                status: .unprocessableContent, code: "limitExceeded", field: "contacts")
    }

    @Test("a problem for a limit says which limit")
    func limitProblemSaysWhich() async throws {
        let harness = try APIHarness()
        try await harness.run { api in
            let json = Fixtures.customer(number: "C-002", tags: (1...51).map { "t\($0)" })
            let response = try await api.send(.post, "/v1/customers", json: json)
            #expect(response.status == .unprocessableContent)
            let problem = try response.problem()
            #expect(problem.code == "limitExceeded")
            #expect(problem.errors?.first?.field == "tags")
            #expect(problem.detail == "51 tags are given; the limit is 50")
        }
    }

    @Test("texts carried by invoice events are capped", arguments: [
        ("/v1/invoices/{invoice}/dispute", "reason", 1001),
        ("/v1/invoices/{invoice}/write-off", "reason", 1001),
        ("/v1/invoices/{invoice}/cancel", "reason", 1001),
        ("/v1/invoices/{invoice}/factor", "factorName", 201),
    ])
    func invoiceTextLimits(uri: String, field: String, length: Int) async throws {
        let json = #"{"\#(field)": "\#(String(repeating: "r", count: length))"}"#
        try await expectRefused(uri, json: json, status: .unprocessableContent, code: "limitExceeded", field: field)
    }

    @Test("an order reference over 100 characters is 422 limitExceeded")
    func orderReferenceLimit() async throws {
        let json = Fixtures.invoice(number: "INV-002").replacingOccurrences(
            of: "}}", with: #"}, "orderReference": "\#(String(repeating: "o", count: 101))"}"#)
        try await expectRefused("/v1/invoices", json: json, status: .unprocessableContent, code: "limitExceeded", field: "orderReference")
    }

    @Test("a credit-note number follows the rules of numbers", arguments: [
        ("", "missingField"), ("CN\t1", "invalidField"), (String(repeating: "9", count: 65), "limitExceeded"),
    ])
    func creditNoteNumber(number: String, code: String) async throws {
        let json = #"{"number": "\#(number.replacingOccurrences(of: "\t", with: "\\t"))", "amount": {"minorUnits": 100, "currency": "EUR"}, "reason": "goodwill"}"#
        try await expectRefused("/v1/invoices/{invoice}/credit-notes", json: json, status: .unprocessableContent, code: code, field: "number")
    }
}
