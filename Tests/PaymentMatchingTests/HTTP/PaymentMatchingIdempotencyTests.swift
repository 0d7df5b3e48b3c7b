import Events
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Money
import NIOCore
@testable import PaymentMatching
import ServiceKit
import Testing

/// `Idempotency-Key` on the decisions a person takes (and retries): the shared middleware
/// above payment matching's problem middleware, as production assembles the API.
@Suite("HTTP: payment-matching idempotency")
struct PaymentMatchingIdempotencyTests {
    typealias F = PaymentMatchingFixture
    static let apiKey = "test-key"
    static let allocation = #"{"lines":[{"invoiceId":"i2","amount":{"minorUnits":500,"currency":"EUR"}}],"decidedBy":"claire"}"#

    private func run(_ fixture: F, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let settings = try ServiceSettings(
            serviceName: "payment-matching", defaultPort: 0, reader: ConfigurationReader(values: ["api.keys": Self.apiKey]))
        let router = HTTPServer.makeRouter(settings: settings)
        PaymentMatchingAPI(database: fixture.database, logger: Logger(label: "test")).addRoutes(to: router)
        let app = HTTPServer.makeApplication(router: router, settings: settings, logger: Logger(label: "test"))
        try await app.test(.router) { client in try await test(client) }
    }

    private static func headers(_ contentType: String = "application/json", key: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(apiKey)", .contentType: contentType]
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return headers
    }

    private static let replayed = HTTPField.Name("Idempotent-Replayed")!

    /// A ledger with two open invoices of customer c1 and, uploaded, one payment of 5.00
    /// nobody can place (queued).
    private func queuedPayment(_ client: any TestClientProtocol) async throws -> String {
        let file = F.camt053([F.entry("5.00", reference: "B2", text: "?", payer: "Inconnu", payerIBAN: nil)])
        let upload = try await client.execute(uri: "/v1/statements", method: .post, headers: Self.headers("application/xml"), body: ByteBuffer(string: file))
        #expect(upload.status == .created)
        let queue = try await client.execute(uri: "/v1/payments?status=unmatched", method: .get, headers: Self.headers())
        let page = try EventJSON.decoder.decode(Page<ReceivedPayment>.self, from: Data(String(buffer: queue.body).utf8))
        return try #require(page.items.first?.id)
    }

    private func ledger() async throws -> F {
        let fixture = try F()
        try await fixture.register("c1", number: "C-0001", name: "Boulangerie Martin")
        try await fixture.issue("i1", number: "FA-2026-0001", customerId: "c1", cents: 120_00, reference: F.rf("20260001"))
        try await fixture.issue("i2", number: "FA-2026-0002", customerId: "c1", cents: 80_00, reference: F.rf("20260002"))
        return fixture
    }

    @Test("the same allocation POSTed twice with one key allocates once; the second answer is the replay")
    func allocationReplayed() async throws {
        let fixture = try await ledger()
        try await run(fixture) { client in
            let id = try await queuedPayment(client)
            let first = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(key: "alloc-1"), body: ByteBuffer(string: Self.allocation))
            let retry = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(key: "alloc-1"), body: ByteBuffer(string: Self.allocation))

            #expect(first.status == .ok && first.headers[Self.replayed] == nil)
            #expect(retry.status == .ok && retry.headers[Self.replayed] == "true")
            #expect(String(buffer: retry.body) == String(buffer: first.body))
            let payment = try #require(try await fixture.database.payment(id: id))
            #expect(payment.allocations.count == 1 && payment.status == .allocated)
        }
    }

    @Test("the same key with another body is 422 idempotencyKeyReused and allocates nothing more")
    func keyReused() async throws {
        let fixture = try await ledger()
        try await run(fixture) { client in
            let id = try await queuedPayment(client)
            let half = #"{"lines":[{"invoiceId":"i2","amount":{"minorUnits":200,"currency":"EUR"}}],"decidedBy":"claire"}"#
            let first = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(key: "alloc-1"), body: ByteBuffer(string: half))
            #expect(first.status == .ok)
            let other = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(key: "alloc-1"), body: ByteBuffer(string: Self.allocation))

            #expect(other.status == .unprocessableContent)
            let problem = try EventJSON.decoder.decode(Problem.self, from: Data(String(buffer: other.body).utf8))
            #expect(problem.code == "idempotencyKeyReused")
            let payment = try #require(try await fixture.database.payment(id: id))
            #expect(payment.allocations.map(\.amount.minorUnits) == [200] && payment.status == .partlyAllocated)
        }
    }

    @Test("without a key, a retried allocation is refused by the payment's state (409 invalidState)")
    func retryWithoutKey() async throws {
        let fixture = try await ledger()
        try await run(fixture) { client in
            let id = try await queuedPayment(client)
            let first = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(), body: ByteBuffer(string: Self.allocation))
            let retry = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(), body: ByteBuffer(string: Self.allocation))

            #expect(first.status == .ok)
            #expect(retry.status == .conflict && retry.headers[Self.replayed] == nil)
            let problem = try EventJSON.decoder.decode(Problem.self, from: Data(String(buffer: retry.body).utf8))
            #expect(problem.code == "invalidState")
            #expect(try await fixture.database.payment(id: id)?.allocations.count == 1)
        }
    }

    @Test("a refused decision is stored as its final problem and replayed; not-customer and undo are replayed too")
    func problemsAndOtherDecisions() async throws {
        let fixture = try await ledger()
        try await run(fixture) { client in
            let id = try await queuedPayment(client)
            let undo = #"{"decidedBy":"claire"}"#
            let refused = try await client.execute(uri: "/v1/payments/\(id)/undo", method: .post, headers: Self.headers(key: "undo-1"), body: ByteBuffer(string: undo))
            let refusedAgain = try await client.execute(uri: "/v1/payments/\(id)/undo", method: .post, headers: Self.headers(key: "undo-1"), body: ByteBuffer(string: undo))
            #expect(refused.status == .conflict && refusedAgain.status == .conflict && refusedAgain.headers[Self.replayed] == "true")
            #expect(refusedAgain.headers[.contentType] == refused.headers[.contentType])
            #expect(String(buffer: refusedAgain.body) == String(buffer: refused.body))

            let notCustomer = #"{"decidedBy":"claire"}"#
            let marked = try await client.execute(uri: "/v1/payments/\(id)/not-customer", method: .post, headers: Self.headers(key: "nc-1"), body: ByteBuffer(string: notCustomer))
            let markedAgain = try await client.execute(uri: "/v1/payments/\(id)/not-customer", method: .post, headers: Self.headers(key: "nc-1"), body: ByteBuffer(string: notCustomer))
            #expect(marked.status == .ok && markedAgain.status == .ok && markedAgain.headers[Self.replayed] == "true")
            #expect(try await fixture.database.payment(id: id)?.status == .notCustomer)
        }
    }

    @Test("a statement upload carrying a key is not replayed: it runs again and skips the payments it already has")
    func uploadNotReplayed() async throws {
        let fixture = try await ledger()
        let file = F.camt053([F.entry("5.00", reference: "B2", text: "?", payer: "Inconnu", payerIBAN: nil)])
        try await run(fixture) { client in
            let first = try await client.execute(uri: "/v1/statements", method: .post, headers: Self.headers("application/xml", key: "up-1"), body: ByteBuffer(string: file))
            let again = try await client.execute(uri: "/v1/statements", method: .post, headers: Self.headers("application/xml", key: "up-1"), body: ByteBuffer(string: file))
            #expect(first.status == .created && again.status == .created && again.headers[Self.replayed] == nil)
            let result = try EventJSON.decoder.decode(StatementImportResult.self, from: Data(String(buffer: again.body).utf8))
            #expect(result.summary.duplicatesSkipped == 1 && result.summary.paymentsCreated == 0)
        }
        #expect(try await fixture.database.imports(page: .init()).items.count == 2)
    }
}
