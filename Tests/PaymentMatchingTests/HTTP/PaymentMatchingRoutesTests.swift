import Events
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Money
import NIOCore
@testable import PaymentMatching
import ServiceKit
import Testing

/// The payment-matching API as production assembles it, over an in-memory store fed with
/// ledger events.
@Suite struct PaymentMatchingRoutesTests {
    typealias F = PaymentMatchingFixture
    static let apiKey = "test-key"

    private func run(
        _ fixture: F, configuration: PaymentMatchingAPI.Configuration = .init(),
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let settings = try ServiceSettings(
            serviceName: "payment-matching", defaultPort: 0, reader: ConfigurationReader(values: ["api.keys": Self.apiKey]))
        let router = HTTPServer.makeRouter(settings: settings)
        PaymentMatchingAPI(database: fixture.database, logger: Logger(label: "test"), configuration: configuration).addRoutes(to: router)
        let app = HTTPServer.makeApplication(router: router, settings: settings, logger: Logger(label: "test"))
        try await app.test(.router) { client in try await test(client) }
    }

    private static func headers(_ contentType: String = "application/json") -> HTTPFields {
        [.authorization: "Bearer \(apiKey)", .contentType: contentType]
    }

    private func ledger() async throws -> F {
        let fixture = try F()
        try await fixture.register("c1", number: "C-0001", name: "Boulangerie Martin")
        try await fixture.issue("i1", number: "FA-2026-0001", customerId: "c1", cents: 120_00, reference: F.rf("20260001"))
        try await fixture.issue("i2", number: "FA-2026-0002", customerId: "c1", cents: 80_00, reference: F.rf("20260002"))
        return fixture
    }

    @Test("upload → 201 with the summary and Location; the import and its payments can be read back")
    func uploadAndReadBack() async throws {
        let fixture = try await ledger()
        let file = F.camt053([
            F.entry("120.00", reference: "B1", structured: F.rf("20260001")),
            F.entry("5.00", reference: "B2", text: "?", payer: "Inconnu", payerIBAN: nil),
        ])
        try await run(fixture) { client in
            let upload = try await client.execute(
                uri: "/v1/statements?fileName=june.xml", method: .post, headers: Self.headers("application/xml"), body: ByteBuffer(string: file))
            #expect(upload.status == .created)
            let result = try EventJSON.decoder.decode(StatementImportResult.self, from: Data(String(buffer: upload.body).utf8))
            #expect(upload.headers[.location] == "/v1/imports/\(result.importId)")
            #expect(result.fileName == "june.xml" && result.summary.matched == 1 && result.summary.unmatched == 1)

            let read = try await client.execute(uri: "/v1/imports/\(result.importId)", method: .get, headers: Self.headers())
            #expect(read.status == .ok)
            #expect(try EventJSON.decoder.decode(StatementImportResult.self, from: Data(String(buffer: read.body).utf8)) == result)

            let queue = try await client.execute(uri: "/v1/payments?status=unmatched,partlyAllocated", method: .get, headers: Self.headers())
            let page = try EventJSON.decoder.decode(Page<ReceivedPayment>.self, from: Data(String(buffer: queue.body).utf8))
            #expect(page.items.map(\.amount.minorUnits) == [5_00])

            let id = try #require(page.items.first?.id)
            let allocate = try await client.execute(
                uri: "/v1/payments/\(id)/allocations", method: .post, headers: Self.headers(),
                body: ByteBuffer(string: #"{"lines":[{"invoiceId":"i2","amount":{"minorUnits":500,"currency":"EUR"}}],"decidedBy":"claire"}"#))
            #expect(allocate.status == .ok)
            let payment = try EventJSON.decoder.decode(ReceivedPayment.self, from: Data(String(buffer: allocate.body).utf8))
            #expect(payment.status == .allocated && payment.allocations.first?.decidedBy == "claire")

            let invoices = try await client.execute(uri: "/v1/invoices?customerId=c1&open=true", method: .get, headers: Self.headers())
            let open = try EventJSON.decoder.decode(Page<LedgerInvoice>.self, from: Data(String(buffer: invoices.body).utf8))
            #expect(open.items.map(\.allocatable.minorUnits) == [0, 75_00])
        }
    }

    @Test("a file that cannot be read is a 400 naming where; nothing is imported")
    func unreadableFile() async throws {
        let fixture = try await ledger()
        try await run(fixture) { client in
            let response = try await client.execute(
                uri: "/v1/statements", method: .post, headers: Self.headers("text/plain"), body: ByteBuffer(string: ":20:X\n:25:ACC\n:28C:1\n:60F:C260601EUR1,00\n:61:2606010601C12,345NTRFREF\n-\n"))
            #expect(response.status == .badRequest)
            let problem = try EventJSON.decoder.decode(Problem.self, from: Data(String(buffer: response.body).utf8))
            #expect(problem.code == "unreadableStatement" && problem.errors?.first?.field.contains("line") == true)
            let empty = try await client.execute(uri: "/v1/statements", method: .post, headers: Self.headers("text/plain"), body: ByteBuffer())
            #expect(empty.status == .badRequest)
            let format = try await client.execute(uri: "/v1/statements?format=pdf", method: .post, headers: Self.headers("text/plain"), body: ByteBuffer(string: "x"))
            #expect(format.status == .badRequest)
        }
        #expect(try await fixture.database.imports(page: .init()).items.isEmpty)
    }

    @Test("an upload over the limit is a 413")
    func tooLarge() async throws {
        let fixture = try await ledger()
        try await run(fixture, configuration: .init(maximumStatementSize: 100)) { client in
            let response = try await client.execute(
                uri: "/v1/statements", method: .post, headers: Self.headers("application/xml"), body: ByteBuffer(string: String(repeating: "x", count: 500)))
            #expect(response.status == .contentTooLarge)
        }
    }

    @Test("decisions answer problems: 404 for an unknown payment, 422 for a bad body, 400 for a bad status filter")
    func problems() async throws {
        let fixture = try await ledger()
        try await run(fixture) { client in
            let unknown = try await client.execute(uri: "/v1/payments/nope", method: .get, headers: Self.headers())
            #expect(unknown.status == .notFound)
            let body = try await client.execute(
                uri: "/v1/payments/nope/not-customer", method: .post, headers: Self.headers(), body: ByteBuffer(string: #"{"decidedBy":"  "}"#))
            #expect(body.status == .unprocessableContent)
            let missing = try await client.execute(
                uri: "/v1/payments/nope/undo", method: .post, headers: Self.headers(), body: ByteBuffer(string: #"{"decidedBy":"me"}"#))
            #expect(missing.status == .notFound)
            let status = try await client.execute(uri: "/v1/payments?status=paid", method: .get, headers: Self.headers())
            #expect(status.status == .badRequest)
            let unauthorised = try await client.execute(uri: "/v1/payments", method: .get, headers: [:])
            #expect(unauthorised.status == .unauthorized)
            let document = try await client.execute(uri: "/openapi.json", method: .get, headers: [:])
            #expect(document.status == .ok && String(buffer: document.body).contains("Relance payment-matching API"))
        }
    }
}
