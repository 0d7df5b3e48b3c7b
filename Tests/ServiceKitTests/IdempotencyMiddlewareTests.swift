import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import ServiceKit
import Storage
import Synchronization
import Testing

/// The shared `Idempotency-Key` mechanism on its own, over a route counting its runs.
@Suite("HTTP: idempotency middleware")
struct IdempotencyMiddlewareTests {
    private static let key = HTTPField.Name("Idempotency-Key")!

    /// How many times the routes ran.
    final class Runs: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func increment() -> Int { count.withLock { $0 += 1; return $0 } }
    }

    /// A router whose `POST /things` and `POST /uploads` count their runs and answer 201.
    private func run(_ test: @escaping @Sendable (any TestClientProtocol, Runs) async throws -> Void) async throws {
        let store = try DatabaseOpener.inMemory(migrator: DatabaseMigrator())
        let runs = Runs()
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: IdempotencyMiddleware(writer: store, isStreamedUpload: { $0.uri.path == "/uploads" }))
        for path in ["things", "uploads"] {
            router.post(RouterPath(path)) { _, _ -> Response in
                let count = runs.increment()
                return Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"id":"t\#(count)"}"#)))
            }
        }
        try await Application(router: router).test(.router) { client in try await test(client, runs) }
    }

    @Test("a retry with the key is replayed with the first answer and its Location; the route ran once")
    func replay() async throws {
        try await run { client, runs in
            let first = try await client.execute(uri: "/things", method: .post, headers: [Self.key: "k1"], body: ByteBuffer(string: "{}"))
            let retry = try await client.execute(uri: "/things", method: .post, headers: [Self.key: "k1"], body: ByteBuffer(string: "{}"))
            #expect(first.status == .created && retry.status == .created)
            #expect(String(buffer: retry.body) == String(buffer: first.body))
            #expect(retry.headers[IdempotencyMiddleware<BasicRequestContext>.replayedHeader!] == "true")
            #expect(retry.headers[.location] == "/things/t1")
            #expect(runs.value == 1)
        }
    }

    @Test("a streamed upload passes through although it carries a key")
    func streamedUpload() async throws {
        try await run { client, runs in
            for _ in 0..<2 {
                let response = try await client.execute(uri: "/uploads", method: .post, headers: [Self.key: "u1"], body: ByteBuffer(string: "a,b"))
                #expect(response.headers[IdempotencyMiddleware<BasicRequestContext>.replayedHeader!] == nil)
            }
            #expect(runs.value == 2)
        }
    }

    @Test("the request hash is stable FNV-1a 64")
    func hash() {
        #expect(FNV1a.hex(of: []) == "cbf29ce484222325")
        #expect(FNV1a.hex(of: [Array("a".utf8)]) == "af63dc4c8601ec8c")
        #expect(FNV1a.hex(of: [Array("foobar".utf8)]) == "85944171f73967e8")
        #expect(FNV1a.hex(of: [Array("foo".utf8), Array("bar".utf8)]) == FNV1a.hex(of: [Array("foobar".utf8)]))
    }

    @Test("idempotency.retention is read, defaults to 24h and must be positive")
    func retentionConfiguration() throws {
        #expect(try StoreMaintenance.Configuration(reader: ConfigurationReader(values: [:])).idempotencyRetention == .seconds(86_400))
        #expect(try StoreMaintenance.Configuration(reader: ConfigurationReader(values: ["idempotency.retention": "2h"])).idempotencyRetention == .seconds(7_200))
        #expect(throws: ConfigurationError.self) {
            try StoreMaintenance.Configuration(reader: ConfigurationReader(values: ["idempotency.retention": "0s"]))
        }
    }
}
