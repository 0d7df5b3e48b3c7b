import Events
import Foundation
import GRDB
import Logging
import RelanceTestSupport
import Storage
import Synchronization
import Testing

private func sampleMigrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("sample-v1") { db in
        try db.execute(sql: "CREATE TABLE effect (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL)")
    }
    return migrator
}

private func envelope(_ number: Int, source: String = "/relance/payment-matching", id: String? = nil, time: Date = Date()) throws -> Envelope {
    try Envelope(SampleEvent(customerId: "c\(number % 5)", number: number), source: source, time: time, id: id ?? TimeOrderedID.make())
}

/// A clock tests move by hand.
private final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func advance(by interval: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(interval) } }
}

@Suite struct InboxDeduplicationTests {
    @Test func sameIdFromAnotherSourceIsAnotherEvent() async throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let fromMatching = try envelope(1, source: "/relance/payment-matching", id: "shared-id")
        let fromAgency = try envelope(1, source: "/acme/collection-agency", id: "shared-id")
        let effect: @Sendable (Database) throws -> Int = { db in
            try db.execute(sql: "INSERT INTO effect (note) VALUES ('applied')")
            return 1
        }
        #expect(try await Inbox.process(fromMatching, in: database, effect) == 1)
        #expect(try await Inbox.process(fromAgency, in: database, effect) == 1)
        #expect(try await Inbox.process(fromAgency, in: database, effect) == nil)
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM effect") } == 2)
    }

    @Test func idsRecordedBeforeSourcesWereKeptStillDeduplicate() async throws {
        // Given a store whose inbox was written by relance-inbox-v1 (event id only)
        let database = try DatabaseQueue()
        var v1 = DatabaseMigrator()
        v1.registerMigration("relance-outbox-v1") { db in
            try db.execute(sql: "CREATE TABLE relance_outbox (sequence INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE, topic TEXT NOT NULL, record_key TEXT NOT NULL, type TEXT NOT NULL, source TEXT NOT NULL, time TEXT NOT NULL, subject TEXT, content_type TEXT NOT NULL, data BLOB NOT NULL, published_at TEXT); CREATE INDEX relance_outbox_pending ON relance_outbox(sequence) WHERE published_at IS NULL;")
        }
        v1.registerMigration("relance-inbox-v1") { db in
            try db.execute(sql: "CREATE TABLE relance_inbox (event_id TEXT PRIMARY KEY, type TEXT NOT NULL, processed_at TEXT NOT NULL) WITHOUT ROWID")
        }
        try v1.migrate(database)
        let old = try envelope(1, id: "processed-under-v1")
        try await database.write { db in
            try db.execute(sql: "INSERT INTO relance_inbox VALUES (?, ?, ?)", arguments: [old.id, old.type, EventJSON.formatInstant(Date())])
        }

        // When the store is opened by this version
        try DatabaseOpener.migrate(database, with: sampleMigrator())

        // Then the event redelivered is still recognised, and new ones are recorded by source + id
        #expect(try await Inbox.process(old, in: database) { _ in "applied" } == nil)
        #expect(try await database.read { try Inbox.contains(source: old.source, id: old.id, $0) })
        let new = try envelope(2)
        #expect(try await Inbox.process(new, in: database) { _ in "applied" } == "applied")
        #expect(try await Inbox.process(new, in: database) { _ in "applied" } == nil)
    }
}

@Suite struct StoreMaintenanceTests {
    let logger = Logger(label: "storage-tests")

    private func fill(inboxOf database: any DatabaseWriter, count: Int) async throws {
        let envelopes = try (0..<count).map { try envelope($0) }
        try await database.write { db in
            for envelope in envelopes { _ = try Inbox.markProcessed(envelope, in: db) }
        }
    }

    @Test func inboxEntriesPastRetentionArePurgedInChunks() async throws {
        // Given 2,500 events processed now and a retention of 30 days
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try await fill(inboxOf: database, count: 2_500)
        let clock = TestClock()
        let maintenance = StoreMaintenance(writer: database, configuration: .init(chunkSize: 1_000), logger: logger, now: { clock.now })

        // When maintenance runs 29 days later, nothing goes
        clock.advance(by: 29 * 86_400)
        #expect(try await maintenance.runOnce().inboxPurged == 0)
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM relance_inbox") } == 2_500)

        // When it runs 31 days later, everything goes, 1,000 rows per transaction
        let late = try envelope(99_999)
        try await database.write { db in
            _ = try Inbox.markProcessed(late, in: db)
            try db.execute(sql: "UPDATE relance_inbox SET processed_at = ? WHERE event_id = ?",
                           arguments: [EventJSON.formatInstant(clock.now), late.id])
        }
        clock.advance(by: 2 * 86_400)
        let report = try await maintenance.runOnce()
        #expect(report.inboxPurged == 2_500)
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM relance_inbox") } == 1)
        // 3 chunks + the one that found nothing, for the inbox; one each for the outbox tables
        // and the idempotency keys
        #expect(report.transactions == 4 + 1 + 1 + 1)
    }

    @Test func inboxPurgeUsesTheProcessedAtIndex() throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let details = try database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT source, event_id FROM relance_inbox WHERE processed_at < '2026' ORDER BY processed_at LIMIT 1000")
                .map { $0["detail"] as String? ?? "" }
        }
        #expect(details.contains { $0.contains("relance_inbox_processed_at") }, "plan: \(details)")
    }

    @Test func publishedOutboxRowsArePrunedInChunksPendingOnesKept() async throws {
        // Given 2,500 rows published 2 days ago and 10 still pending
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let clock = TestClock()
        try await database.write { db in
            for number in 0..<2_510 {
                try Outbox.enqueue(SampleEvent(customerId: "c\(number % 5)", number: number), source: "/t", time: clock.now, in: db)
            }
            try db.execute(sql: "UPDATE relance_outbox SET published_at = ? WHERE sequence <= 2500",
                           arguments: [EventJSON.formatInstant(clock.now)])
        }
        let maintenance = StoreMaintenance(writer: database, configuration: .init(chunkSize: 1_000), logger: logger, now: { clock.now })
        #expect(try await maintenance.runOnce().outboxPruned == 0, "younger than the retention")

        // When maintenance runs 2 days later
        clock.advance(by: 2 * 86_400)
        let report = try await maintenance.runOnce()

        // Then the published rows are gone, in chunks, and the pending ones stay
        #expect(report.outboxPruned == 2_500)
        #expect(report.transactions == 1 + 4 + 1 + 1, "inbox, outbox in chunks, parked, idempotency keys")
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM relance_outbox") } == 10)
        #expect(try await database.read { try Outbox.pendingCount($0) } == 10)
    }

    @Test func pruningStopsAtTheFirstRowYoungerThanTheRetention() async throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let clock = TestClock()
        try await database.write { db in
            for number in 0..<30 {
                try Outbox.enqueue(SampleEvent(customerId: "c\(number % 5)", number: number), source: "/t", time: clock.now, in: db)
            }
            try db.execute(sql: "UPDATE relance_outbox SET published_at = ? WHERE sequence <= 10",
                           arguments: [EventJSON.formatInstant(clock.now.addingTimeInterval(-2 * 86_400))])
            try db.execute(sql: "UPDATE relance_outbox SET published_at = ? WHERE sequence > 10",
                           arguments: [EventJSON.formatInstant(clock.now)])
        }
        let maintenance = StoreMaintenance(writer: database, configuration: .init(chunkSize: 7), logger: logger, now: { clock.now })
        #expect(try await maintenance.runOnce().outboxPruned == 10)
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT MIN(sequence) FROM relance_outbox") } == 11)
    }

    @Test func maintenanceRunsOnItsTimerUntilShutdown() async throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try await fill(inboxOf: database, count: 10)
        let clock = TestClock()
        let maintenance = StoreMaintenance(
            writer: database, configuration: .init(inboxRetention: .seconds(60), interval: .milliseconds(50)), logger: logger,
            now: { clock.now })
        try await withRunningServices([maintenance]) {
            try await Task.sleep(for: .milliseconds(120))
            #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM relance_inbox") } == 10)
            clock.advance(by: 120)
            #expect(await eventually(timeout: .seconds(30)) {
                (try? await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM relance_inbox") }) == 0
            })
        }
    }
}
