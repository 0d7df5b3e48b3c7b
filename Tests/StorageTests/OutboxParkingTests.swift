import Events
import Foundation
import GRDB
import Logging
import Messaging
import RelanceTestSupport
@testable import Storage
import Testing

private func sampleMigrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("sample-v1") { db in
        try db.execute(sql: "CREATE TABLE effect (id INTEGER PRIMARY KEY)")
    }
    return migrator
}

/// Enqueues one event per key given, in order; event `number` is its index.
private func enqueue(keys: [String], startingAt start: Int = 0, into writer: any DatabaseWriter) throws {
    try writer.write { db in
        for (offset, key) in keys.enumerated() {
            try Outbox.enqueue(SampleEvent(customerId: key, number: start + offset), source: "/t", time: Date(), in: db)
        }
    }
}

/// Pending rows as (sequence, key, number), in queue order.
private func pendingRows(_ writer: any DatabaseWriter) throws -> [(sequence: Int64, key: String, number: Int)] {
    try writer.read { db in
        try Outbox.fetchPending(limit: 1_000, topics: TopicCatalog(prefix: "t."), db).map { row in
            (row.sequence, row.key, try EventJSON.decode(SampleEvent.self, from: row.record.value).number)
        }
    }
}

/// The count the relay reports, against the exact one.
private func expectPendingCountsAgree(_ writer: any DatabaseWriter, sourceLocation: SourceLocation = #_sourceLocation) throws {
    try writer.read { db in
        let exact = try Outbox.pendingCount(db)
        let first = try Int64.fetchOne(db, sql: "SELECT MIN(sequence) FROM relance_outbox WHERE published_at IS NULL")
        let fast = try first.map { try Outbox.pendingCount(from: $0, db) } ?? 0
        #expect(fast == exact, "pendingCount(from:) \(fast), rows pending \(exact)", sourceLocation: sourceLocation)
    }
}

@Suite struct OutboxParkingTests {
    @Test func parkedRowLeavesTheQueueAndBlocksOnlyItsKey() throws {
        // Given rows of keys a and b, the second row of a refused by Kafka
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try enqueue(keys: ["a", "b", "a", "b", "a"], into: database)
        try database.write { db in _ = try Outbox.park(sequence: 3, reason: "too large", blockedBy: nil, at: Date(), db) }

        // When the relay prepares the rest of the batch
        let rows = try database.read { try Outbox.fetchPending(limit: 10, topics: TopicCatalog(prefix: "t."), $0) }
        let (send, held) = try database.write { try Outbox.holdBlocked(rows, at: Date(), $0) }

        // Then b's rows go, the later row of a waits behind the refused one
        #expect(send.map(\.sequence) == [1, 2, 4])
        #expect(held.map(\.row.sequence) == [5])
        let parked = try database.read { try Outbox.parkedRows($0) }
        #expect(parked.map(\.sequence) == [3, 5])
        #expect(parked.map(\.blockedBy) == [nil, 3])
        #expect(parked[0].reason == "too large")
        #expect(parked[0].key == "a" && parked[0].topic == "invoices" && parked[0].type == SampleEvent.eventType)
        #expect(try database.read { try Outbox.parkedCount($0) } == 2)
        #expect(try database.read { try Outbox.pendingCount($0) } == 3)
        try expectPendingCountsAgree(database)
    }

    @Test func retryRequeuesTheKeyInCommitOrderAtTheEndOfTheQueue() throws {
        // Given a refused row of a, a row held behind it, and a row of a not reached yet
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try enqueue(keys: ["a", "b", "a", "b", "a", "b", "a", "b"], into: database)
        try database.write { db in
            try Outbox.markPublished(through: 1...2, at: Date(), db)
            _ = try Outbox.park(sequence: 3, reason: "too large", blockedBy: nil, at: Date(), db)
            try Outbox.markPublished(through: 4...4, at: Date(), db)
            _ = try Outbox.park(sequence: 5, reason: "held", blockedBy: 3, at: Date(), db)
        }
        try expectPendingCountsAgree(database)

        // When the operator retries the refused row
        let resolution = try database.write { try Outbox.retryParked(sequence: 3, $0) }

        // Then a's rows are back at the end, in their original order, behind everything else
        #expect(resolution == ParkedOutboxResolution(requeued: 3, discarded: 0))
        let pending = try pendingRows(database)
        #expect(pending.map(\.number) == [5, 7, 2, 4, 6])
        #expect(pending.map(\.sequence) == [6, 8, 9, 10, 11])
        #expect(try database.read { try Outbox.parkedRows($0) }.isEmpty)
        try expectPendingCountsAgree(database)
    }

    @Test func discardingTheRefusedRowReleasesTheRowsHeldBehindIt() throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try enqueue(keys: ["a", "a", "b"], into: database)
        try database.write { db in
            _ = try Outbox.park(sequence: 1, reason: "too large", blockedBy: nil, at: Date(), db)
            _ = try Outbox.park(sequence: 2, reason: "held", blockedBy: 1, at: Date(), db)
        }

        let resolution = try database.write { try Outbox.discardParked(sequence: 1, $0) }

        #expect(resolution == ParkedOutboxResolution(requeued: 1, discarded: 1))
        #expect(try pendingRows(database).map(\.number) == [2, 1])
        #expect(try database.read { try Outbox.parkedCount($0) } == 0)
        try expectPendingCountsAgree(database)
    }

    @Test func heldRowIsRetriedThroughTheRowItWaitsBehind() throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try enqueue(keys: ["a", "a"], into: database)
        try database.write { db in
            _ = try Outbox.park(sequence: 1, reason: "too large", blockedBy: nil, at: Date(), db)
            _ = try Outbox.park(sequence: 2, reason: "held", blockedBy: 1, at: Date(), db)
        }
        #expect(throws: StorageError(.parkedRowWaiting, "outbox row 2 waits behind parked row 1 of the same key; retry or discard row 1")) {
            try database.write { try Outbox.retryParked(sequence: 2, $0) }
        }
        #expect {
            try database.write { try Outbox.retryParked(sequence: 42, $0) }
        } throws: { ($0 as? StorageError)?.code == .parkedRowNotFound }

        // Discarding a held row drops only that row; its key stays blocked
        #expect(try database.write { try Outbox.discardParked(sequence: 2, $0) } == ParkedOutboxResolution(requeued: 0, discarded: 1))
        #expect(try database.read { try Outbox.parkedRows($0) }.map(\.sequence) == [1])
        #expect {
            try database.write { try Outbox.discardParked(sequence: 2, $0) }
        } throws: { ($0 as? StorageError)?.code == .parkedRowNotFound }
    }

    @Test func requeuedRowsMovedByAnOperatorAreNotSentFromAStaleBatch() throws {
        // Given a batch read while a's row 1 was parked and a's row 3 still pending
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try enqueue(keys: ["a", "b", "a", "b"], into: database)
        try database.write { db in _ = try Outbox.park(sequence: 1, reason: "too large", blockedBy: nil, at: Date(), db) }
        let stale = try database.read { try Outbox.fetchPending(limit: 10, topics: TopicCatalog(prefix: "t."), $0) }
        #expect(stale.map(\.sequence) == [2, 3, 4])

        // When the operator retries a before the relay sends that batch
        _ = try database.write { try Outbox.retryParked(sequence: 1, $0) }
        let (send, held) = try database.write { try Outbox.holdBlocked(stale, at: Date(), $0) }

        // Then only b's rows go from the stale batch; a's go later, from the end, in order
        #expect(send.map(\.sequence) == [2, 4])
        #expect(held.isEmpty)
        #expect(try pendingRows(database).map(\.number) == [1, 3, 0, 2])
        try expectPendingCountsAgree(database)
    }

    @Test func pendingCountStaysExactAsRowsAreParkedRetriedPublishedAndPruned() async throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        try enqueue(keys: (0..<20).map { "k\($0 % 4)" }, into: database)
        try expectPendingCountsAgree(database)
        try await database.write { db in
            try Outbox.markPublished(through: 1...5, at: Date(), db)
            _ = try Outbox.park(sequence: 6, reason: "too large", blockedBy: nil, at: Date(), db)
            _ = try Outbox.park(sequence: 10, reason: "held", blockedBy: 6, at: Date(), db)
            _ = try Outbox.park(sequence: 14, reason: "held", blockedBy: 6, at: Date(), db)
        }
        try expectPendingCountsAgree(database)
        try enqueue(keys: ["k2", "k3"], startingAt: 20, into: database)
        _ = try await database.write { try Outbox.retryParked(sequence: 6, $0) }
        try expectPendingCountsAgree(database)
        try await database.write { db in try Outbox.markPublished(through: 7...9, at: Date(), db) }
        try expectPendingCountsAgree(database)
        let maintenance = StoreMaintenance(
            writer: database, configuration: .init(outboxRetention: .seconds(1)), logger: Logger(label: "storage-tests"),
            now: { Date().addingTimeInterval(60) })
        let report = try await maintenance.runOnce()
        #expect(report.outboxPruned == 8)
        #expect(report.parkedPruned == 2, "the resolved rows below the first pending one (6, 10); 14 and 18 stay")
        try expectPendingCountsAgree(database)
    }
}

@Suite(.timeLimit(.minutes(3)))
struct OutboxParkingIntegrationTests {
    let logger = Logger(label: "storage-tests")

    /// What the topic holds, as (key, number) in partition order per key.
    private func published(_ topic: String, configuration: KafkaConfiguration, atLeast count: Int) async throws -> [(key: String, number: Int)] {
        try await readTopic(topic, configuration: configuration, atLeast: count, timeout: .seconds(20)).map { record in
            (record.keyString ?? "", try CloudEvents.envelope(from: record).decode(SampleEvent.self).number)
        }
    }

    @Test func oversizedRowIsParkedWhileTheOthersArePublished() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic])
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())

        // Given small rows, a 2 MB row (over librdkafka's 1 MB message.max.bytes) of customer
        // "big", and more small rows after it, one of them also of "big"
        try enqueue(keys: ["c0", "c1", "c2", "big", "c0", "c1"], into: database)
        let huge = String(repeating: "x", count: 2 << 20)
        try await database.write { db in
            try db.execute(sql: "UPDATE relance_outbox SET data = ? WHERE sequence = 4",
                           arguments: [Data(#"{"customerId":"big","number":3,"padding":"\#(huge)"}"#.utf8)])
        }
        try enqueue(keys: ["big", "c2", "c0"], startingAt: 6, into: database)

        // When the relay runs
        let (producer, relay) = try relayServices(database, configuration)
        try await withRunningServices([producer, relay]) {
            #expect(await eventually { (try? await database.read { try Outbox.pendingCount($0) }) == 0 })
        }

        // Then every other row is published, the big one is parked and the later row of "big" waits behind it
        // once each: librdkafka refuses the big row at enqueue and says which one it was
        let records = try await published(topic, configuration: configuration, atLeast: 7)
        #expect(records.map(\.number).sorted() == [0, 1, 2, 4, 5, 7, 8])
        let parked = try await database.read { try Outbox.parkedRows($0) }
        #expect(parked.map(\.sequence) == [4, 7])
        #expect(parked.map(\.blockedBy) == [nil, 4])
        #expect(parked[0].eventId.isEmpty == false && parked[0].size > 2 << 20)
        #expect(parked[0].reason.contains("librdkafka 10"), "MSG_SIZE_TOO_LARGE: \(parked[0].reason)")

        // When the operator retries it (relay stopped, to see the queue)
        let resolution = try await database.write { try Outbox.retryParked(sequence: 4, $0) }

        // Then it is pending again at the end of the queue, the held row behind it
        #expect(resolution.requeued == 2)
        #expect(try pendingRows(database).map(\.number) == [3, 6])
        #expect(try await database.read { try Outbox.parkedCount($0) } == 0)

        // And, still too large, it is parked again when the relay runs; discarding it releases the other
        let (producer2, relay2) = try relayServices(database, configuration)
        try await withRunningServices([producer2, relay2]) {
            #expect(await eventually { (try? await database.read { try Outbox.parkedCount($0) }) == 2 })
            let again = try await database.read { try Outbox.parkedRows($0) }
            #expect(again.map(\.blockedBy) == [nil, again.first?.sequence])
            let discarded = try await database.write { [sequence = again[0].sequence] in try Outbox.discardParked(sequence: sequence, $0) }
            #expect(discarded == ParkedOutboxResolution(requeued: 1, discarded: 1))
            #expect(await eventually { (try? await database.read { try Outbox.pendingCount($0) }) == 0 })
        }
        let all = try await published(topic, configuration: configuration, atLeast: 8)
        #expect(all.filter { $0.key == "big" }.map(\.number) == [6])
        #expect(Set(all.map(\.number)) == [0, 1, 2, 4, 5, 6, 7, 8])
    }

    private func relayServices(_ database: any DatabaseWriter, _ configuration: KafkaConfiguration) throws -> (Producer, OutboxRelay) {
        let producer = try Producer(configuration: configuration, logger: logger)
        let relay = OutboxRelay(
            writer: database, producer: producer, topics: configuration.topics,
            configuration: .init(retryPolicy: RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))), logger: logger)
        return (producer, relay)
    }
}
