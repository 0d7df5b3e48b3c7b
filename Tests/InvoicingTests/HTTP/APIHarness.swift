import Events
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Invoicing
import Logging
import Money
import NIOCore
import ServiceKit
import Testing

/// The invoicing API as production assembles it (Relance router with problem+json and API-key
/// middleware, then ``InvoicingAPI``, in `HTTPServer`'s application answering 405), over an in-memory store whose clock is fixed at
/// 2026-03-15 10:00 UTC.
struct APIHarness {
    static let apiKey = "test-key"
    static let now = Date(timeIntervalSince1970: 1_773_568_800) // 2026-03-15T10:00:00Z

    let database: InvoicingDatabase
    let configuration: InvoicingAPI.Configuration

    init(configuration: InvoicingAPI.Configuration = .init()) throws {
        database = try InvoicingDatabase(try DatabaseQueue(), now: { APIHarness.now })
        self.configuration = configuration
    }

    /// Runs `test` against the application with the router test client.
    func run<Value: Sendable>(_ test: @escaping @Sendable (APIClient) async throws -> Value) async throws -> Value {
        let settings = try ServiceSettings(
            serviceName: "invoicing", defaultPort: 0, reader: ConfigurationReader(values: ["api.keys": Self.apiKey]))
        let router = HTTPServer.makeRouter(settings: settings)
        InvoicingAPI(database: database, logger: Logger(label: "test"), configuration: configuration).addRoutes(to: router)
        let app = HTTPServer.makeApplication(router: router, settings: settings, logger: Logger(label: "test"))
        return try await app.test(.router) { client in try await test(APIClient(client: client)) }
    }

    /// Rows in a table, read straight from the store.
    func count(_ table: String) async throws -> Int {
        try await database.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }
}

/// The test client with the API key and JSON bodies filled in.
struct APIClient: Sendable {
    let client: any TestClientProtocol

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// Sends a request; `json` goes as `application/json`, with the API key unless `authorised` is false.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, idempotencyKey: String? = nil,
        authorised: Bool = true, headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        var headers = extra
        if authorised { headers[.authorization] = "Bearer \(APIHarness.apiKey)" }
        if let idempotencyKey { headers[Self.idempotencyKey] = idempotencyKey }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Sends a CSV upload.
    func upload(_ uri: String, csv: String, contentType: String = "text/csv; charset=utf-8") async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post,
            headers: [.authorization: "Bearer \(APIHarness.apiKey)", .contentType: contentType],
            body: ByteBuffer(string: csv))
    }

    /// Registers a customer and returns it.
    @discardableResult
    func registerCustomer(_ json: String = Fixtures.customer()) async throws -> Customer {
        let response = try await send(.post, "/v1/customers", json: json)
        #expect(response.status == .created, "registering failed: \(String(buffer: response.body))")
        return try response.decode(Customer.self)
    }

    /// Issues an invoice and returns it.
    @discardableResult
    func issueInvoice(_ json: String) async throws -> Invoice {
        let response = try await send(.post, "/v1/invoices", json: json)
        #expect(response.status == .created, "issuing failed: \(String(buffer: response.body))")
        return try response.decode(Invoice.self)
    }
}

extension TestResponse {
    /// The body decoded with Relance's JSON conventions.
    func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
        try EventJSON.decoder.decode(type, from: Data(String(buffer: body).utf8))
    }

    /// The problem in the body, after checking the media type.
    func problem() throws -> Problem {
        #expect(headers[.contentType] == "application/problem+json")
        return try decode(Problem.self)
    }
}

/// JSON bodies for the tests.
enum Fixtures {
    /// A French customer with one e-mail contact.
    static func customer(number: String = "C-001", name: String = "Acme SAS", segment: String? = nil,
                         risk: String? = nil, tags: [String] = [], extra: String = "") -> String {
        var fields = [
            #""customerNumber": "\#(number)""#, #""legalName": "\#(name)""#, #""country": "FR""#, #""defaultCurrency": "EUR""#,
            #""contacts": [{"name": "Claire Martin", "email": "claire@acme.fr", "role": "accounting", "isDunningRecipient": true}]"#,
        ]
        if let segment { fields.append(#""segment": "\#(segment)""#) }
        if let risk { fields.append(#""riskCategory": "\#(risk)""#) }
        if !tags.isEmpty { fields.append(#""tags": [\#(tags.map { "\"\($0)\"" }.joined(separator: ", "))]"#) }
        if !extra.isEmpty { fields.append(extra) }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    /// An invoice of `total` cents (gross) in EUR, issued 2026-03-01, due 2026-03-31.
    static func invoice(number: String = "INV-001", customer: String = "C-001", total: Int64 = 120_000,
                        issueDate: String = "2026-03-01", dueDate: String? = "2026-03-31", currency: String = "EUR") -> String {
        let due = dueDate.map { #", "dueDate": "\#($0)""# } ?? ""
        return #"{"number": "\#(number)", "customerNumber": "\#(customer)", "issueDate": "\#(issueDate)"\#(due), "currency": "\#(currency)", "total": {"minorUnits": \#(total), "currency": "\#(currency)"}}"#
    }

    /// An invoice with one line of 1000.00 EUR net at 20 % VAT (1200.00 gross) and the given total.
    static func invoiceWithLine(number: String = "INV-L01", quantity: String = "1", total: Int64? = nil) -> String {
        let totalField = total.map { #", "total": {"minorUnits": \#($0), "currency": "EUR"}"# } ?? ""
        return #"{"number": "\#(number)", "customerNumber": "C-001", "issueDate": "2026-03-01", "currency": "EUR", "lines": [{"description": "Audit", "quantity": \#(quantity), "unitPrice": {"minorUnits": 100000, "currency": "EUR"}, "vatRateBasisPoints": 2000}]\#(totalField)}"#
    }
}
