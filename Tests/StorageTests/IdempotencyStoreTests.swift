import Events
import Foundation
import GRDB
import Logging
import Storage
import Testing

/// The claim protocol under ServiceKit's `IdempotencyMiddleware`, which an in-process client
/// cannot race: one of two concurrent requests runs, a dead claim is taken over, server errors
/// are forgotten; and keys are purged after the idempotency retention.
@Suite("Storage: idempotency keys")
struct IdempotencyStoreTests {
    private static let start = Date(timeIntervalSince1970: 1_780_000_000)
    private let response = IdempotencyStore.StoredResponse(requestHash: "h1", status: 201, contentType: "application/json", body: Data("{}".utf8))

    private func store() throws -> DatabaseQueue {
        try DatabaseOpener.inMemory(migrator: DatabaseMigrator())
    }

    private func claim(key: String = "k", scope: String = "s", hash: String = "h1", at offset: TimeInterval = 0, _ db: DatabaseQueue) async throws -> IdempotencyStore.Claim {
        try await IdempotencyStore.claim(key, scope: scope, requestHash: hash, abandonedAfter: .seconds(60), now: Self.start.addingTimeInterval(offset), in: db)
    }

    @Test("a second claim while the first runs is in progress; once completed it gets the stored response")
    func concurrentClaims() async throws {
        let db = try store()
        #expect(try await claim(scope: "POST /v1/invoices", db) == .claimed)
        #expect(try await claim(scope: "POST /v1/invoices", db) == .inProgress(requestHash: "h1"))
        try await IdempotencyStore.complete("k", scope: "POST /v1/invoices", with: response, in: db)
        #expect(try await claim(scope: "POST /v1/invoices", db) == .completed(response))
        #expect(try await claim(scope: "POST /v1/customers", db) == .claimed)
    }

    @Test("a claim never completed is taken over once abandoned")
    func abandonedClaim() async throws {
        let db = try store()
        #expect(try await claim(db) == .claimed)
        #expect(try await claim(at: 30, db) == .inProgress(requestHash: "h1"))
        #expect(try await claim(hash: "h2", at: 61, db) == .claimed)
    }

    @Test("a released claim lets the retry run again, and a completed one is never released")
    func release() async throws {
        let db = try store()
        _ = try await claim(db)
        try await IdempotencyStore.release("k", scope: "s", in: db)
        #expect(try await claim(db) == .claimed)
        try await IdempotencyStore.complete("k", scope: "s", with: response, in: db)
        try await IdempotencyStore.release("k", scope: "s", in: db)
        #expect(try await claim(db) == .completed(response))
    }

    @Test("keys older than idempotency.retention are purged in chunks; younger ones are still replayed")
    func retention() async throws {
        let db = try store()
        for number in 0..<25 {
            _ = try await claim(key: "old-\(number)", db)
            try await IdempotencyStore.complete("old-\(number)", scope: "s", with: response, in: db)
        }
        _ = try await claim(key: "young", at: 2 * 3_600, db)
        try await IdempotencyStore.complete("young", scope: "s", with: response, in: db)

        let maintenance = StoreMaintenance(
            writer: db, configuration: .init(idempotencyRetention: .seconds(3_600), chunkSize: 10), logger: Logger(label: "storage-tests"),
            now: { Self.start.addingTimeInterval(2 * 3_600 + 1) })
        let report = try await maintenance.runOnce()

        #expect(report.idempotencyPurged == 25)
        #expect(try await db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM idempotency_key") } == 1)
        #expect(try await claim(key: "old-0", at: 2 * 3_600 + 1, db) == .claimed, "a purged key runs again")
        #expect(try await claim(key: "young", at: 2 * 3_600 + 1, db) == .completed(response))
    }

    @Test("the default idempotency retention is a day")
    func defaultRetention() {
        #expect(StoreMaintenance.Configuration().idempotencyRetention == .seconds(86_400))
    }

    @Test("a store whose table came from invoicing-v1 migrates, and a new store gets the table after the service's migrations")
    func migration() async throws {
        // Given a store whose service created the table itself, as invoicing-v1 did
        var service = DatabaseMigrator()
        service.registerMigration("service-v1") { db in
            try db.execute(sql: """
                CREATE TABLE idempotency_key (key TEXT NOT NULL, scope TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER NOT NULL,
                    content_type TEXT, body BLOB NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (key, scope)) WITHOUT ROWID;
                """)
        }
        let db = try DatabaseOpener.inMemory(migrator: service)
        #expect(try await claim(db) == .claimed)
        let applied = try await db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(applied.contains("relance-idempotency-v1") && applied.contains("service-v1"))
    }
}
