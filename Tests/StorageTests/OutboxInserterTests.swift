import Events
import Foundation
import GRDB
import Messaging
import Storage
import Testing

private func emptyMigrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("sample-v1") { db in
        try db.execute(sql: "CREATE TABLE effect (id INTEGER PRIMARY KEY)")
    }
    return migrator
}

/// Every outbox column but the sequence, in row order.
private func outboxRows(_ writer: any DatabaseWriter) throws -> [[DatabaseValue]] {
    try writer.read { db in
        try Row.fetchAll(db, sql: """
            SELECT event_id, topic, record_key, type, source, time, subject, content_type, data, published_at
            FROM relance_outbox ORDER BY sequence
            """).map { Array($0.databaseValues) }
    }
}

@Suite struct OutboxInserterTests {
    @Test func preparedRowsAreTheRowsEnqueueWrites() throws {
        // Given events with and without a subject, on two topics
        let time = Date(timeIntervalSince1970: 1_764_000_000.123)
        let envelopes = try (0..<5).map { number in
            var envelope = try Envelope(SampleEvent(customerId: "c\(number % 2)", number: number), source: "/relance/test", time: time)
            if number == 3 { envelope.subject = nil }
            return envelope
        }
        let topics: [Topic] = [.invoices, .customers, .invoices, .payments, .customers]
        let enqueued = try DatabaseOpener.inMemory(migrator: emptyMigrator())
        let inserted = try DatabaseOpener.inMemory(migrator: emptyMigrator())
        // When one store enqueues them and the other inserts them prepared
        try enqueued.write { db in
            for (envelope, topic) in zip(envelopes, topics) { try Outbox.enqueue(envelope, on: topic, in: db) }
        }
        let prepared = zip(envelopes, topics).map { Outbox.PreparedRow($0, on: $1) }
        try inserted.write { db in
            let inserter = try Outbox.Inserter(db)
            for row in prepared { try inserter.insert(row) }
        }
        // Then both outboxes hold the same rows, pending, in the same order
        let rows = try outboxRows(inserted)
        #expect(rows.count == 5)
        #expect(rows == (try outboxRows(enqueued)))
        #expect(try inserted.read { try Outbox.pendingCount($0) } == 5)
    }

    @Test func insertingAnEventIdTwiceFailsAndRollsBack() throws {
        let database = try DatabaseOpener.inMemory(migrator: emptyMigrator())
        let row = Outbox.PreparedRow(try Envelope(SampleEvent(customerId: "c1", number: 1), source: "/t", time: Date()), on: .invoices)
        #expect(throws: DatabaseError.self) {
            try database.write { db in
                let inserter = try Outbox.Inserter(db)
                try inserter.insert(row)
                try inserter.insert(row)
            }
        }
        #expect(try database.read { try Outbox.pendingCount($0) } == 0)
    }
}
