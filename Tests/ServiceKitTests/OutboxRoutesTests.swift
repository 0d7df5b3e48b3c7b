import Events
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@testable import Storage

/// The operator routes over parked outbox rows, on an in-memory store.
@Suite struct OutboxRoutesTests {
    struct Page: Decodable {
        struct Row: Decodable {
            let sequence: Int64
            let key: String
            let reason: String
            let blockedBy: Int64?
        }
        let total: Int
        let rows: [Row]
        let next: Int64?
    }

    struct Resolution: Decodable, Equatable {
        let requeued: Int
        let discarded: Int
    }

    /// Two rows of customer `c1`: the first refused for good (parked), the second held behind it.
    private func makeStore() throws -> DatabaseQueue {
        let database = try DatabaseOpener.inMemory(migrator: DatabaseMigrator())
        try database.write { db in
            for number in 1...2 {
                try Outbox.enqueue(
                    Envelope(type: "relance.test.happened.v1", source: "/relance/tests", time: Date(), key: "c1", data: Data("{\"n\":\(number)}".utf8)),
                    on: .invoices, in: db)
            }
            _ = try Outbox.park(sequence: 1, reason: "kafka delivery error: message too large (librdkafka 10)", blockedBy: nil, at: Date(), db)
            _ = try Outbox.park(sequence: 2, reason: "held behind 1", blockedBy: 1, at: Date(), db)
        }
        return database
    }

    private func makeApplication(_ database: DatabaseQueue) throws -> some ApplicationProtocol {
        let settings = try ServiceSettings(serviceName: "test", defaultPort: 0, reader: ConfigurationReader(values: ["api.keys": "k1"]))
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.addOutbox(to: router, writer: database, relay: nil)
        return Application(router: router)
    }

    private let authorised: HTTPFields = [.authorization: "Bearer k1"]

    @Test func parkedRowsAreListedToAnOperatorWithAKeyOnly() async throws {
        let database = try makeStore()
        try await makeApplication(database).test(.router) { client in
            try await client.execute(uri: "/ops/outbox/parked", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/ops/outbox/parked", method: .get, headers: authorised) { response in
                #expect(response.status == .ok)
                let page = try JSONDecoder().decode(Page.self, from: Data(String(buffer: response.body).utf8))
                #expect(page.total == 2)
                #expect(page.rows.map(\.sequence) == [1, 2])
                #expect(page.rows.map(\.blockedBy) == [nil, 1])
                #expect(page.rows[0].reason.contains("too large"))
                #expect(page.next == nil)
            }
            try await client.execute(uri: "/ops/outbox/parked?limit=1", method: .get, headers: authorised) { response in
                let page = try JSONDecoder().decode(Page.self, from: Data(String(buffer: response.body).utf8))
                #expect(page.rows.map(\.sequence) == [1])
                #expect(page.next == 1)
            }
            for bad in ["limit=0", "limit=1001", "after=x"] {
                try await client.execute(uri: "/ops/outbox/parked?\(bad)", method: .get, headers: authorised) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                }
            }
        }
    }

    @Test func retryRequeuesTheRefusedRowWithTheRowsHeldBehindIt() async throws {
        let database = try makeStore()
        try await makeApplication(database).test(.router) { client in
            try await client.execute(uri: "/ops/outbox/parked/2/retry", method: .post, headers: authorised) { response in
                #expect(response.status == .conflict, "a held row goes with the row it waits behind")
            }
            try await client.execute(uri: "/ops/outbox/parked/99/retry", method: .post, headers: authorised) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/ops/outbox/parked/x/retry", method: .post, headers: authorised) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/ops/outbox/parked/1/retry", method: .post, headers: authorised) { response in
                #expect(response.status == .ok)
                let resolution = try JSONDecoder().decode(Resolution.self, from: Data(String(buffer: response.body).utf8))
                #expect(resolution == Resolution(requeued: 2, discarded: 0))
            }
        }
        #expect(try await database.read { try Outbox.parkedCount($0) } == 0)
        #expect(try await database.read { try Outbox.pendingCount($0) } == 2)
    }

    @Test func discardDropsTheRefusedRowAndReleasesTheOthers() async throws {
        let database = try makeStore()
        try await makeApplication(database).test(.router) { client in
            try await client.execute(uri: "/ops/outbox/parked/1", method: .delete, headers: authorised) { response in
                #expect(response.status == .ok)
                let resolution = try JSONDecoder().decode(Resolution.self, from: Data(String(buffer: response.body).utf8))
                #expect(resolution == Resolution(requeued: 1, discarded: 1))
            }
        }
        #expect(try await database.read { try Outbox.pendingCount($0) } == 1)
    }
}
