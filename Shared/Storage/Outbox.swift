import Events
import Foundation
import GRDB
import Messaging

/// The transactional outbox: events are written in the same SQLite transaction as the state
/// change they describe, and ``OutboxRelay`` publishes them afterwards.
///
/// A crash before the commit loses both the change and its events; a crash after it loses
/// neither: the relay publishes the rows when the process is back (possibly twice, never zero
/// times). Consumers deduplicate with ``Inbox``.
public enum Outbox {
    /// Writes an event to publish on a topic, inside the caller's write transaction.
    /// - Throws: GRDB's `DatabaseError` (e.g. a duplicate event id).
    public static func enqueue(_ envelope: Envelope, on topic: Topic, in db: Database) throws {
        // A cached statement: enqueue runs once per event on the hot path of every write.
        try db.cachedStatement(sql: """
            INSERT INTO relance_outbox (event_id, topic, record_key, type, source, time, subject, content_type, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(
            arguments: [
                envelope.id, topic.rawValue, envelope.key, envelope.type, envelope.source,
                EventJSON.formatInstant(envelope.time), envelope.subject, envelope.contentType, envelope.data,
            ])
    }

    /// Encodes a typed event and writes it to its topic, inside the caller's write transaction.
    /// - Throws: `EncodingError` or GRDB's `DatabaseError`.
    @discardableResult
    public static func enqueue<Event: DomainEvent>(
        _ event: Event, source: String, time: Date, in db: Database
    ) throws -> Envelope {
        let envelope = try Envelope(event, source: source, time: time)
        try enqueue(envelope, on: Event.topic, in: db)
        return envelope
    }

    /// Pending rows from the first pending sequence on. The relay publishes in sequence order
    /// and a rolled-back transaction gives its sequence numbers back, so pending rows are
    /// contiguous: the count is a difference of two index lookups, not a scan.
    static func pendingCount(from firstPending: Int64, _ db: Database) throws -> Int {
        let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM relance_outbox") ?? firstPending - 1
        return Int(last - firstPending + 1)
    }

    /// Rows not yet acknowledged by the broker.
    public static func pendingCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM relance_outbox WHERE published_at IS NULL") ?? 0
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("relance-outbox-v1") { db in
            try db.execute(sql: """
                CREATE TABLE relance_outbox (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    topic TEXT NOT NULL,
                    record_key TEXT NOT NULL,
                    type TEXT NOT NULL,
                    source TEXT NOT NULL,
                    time TEXT NOT NULL,
                    subject TEXT,
                    content_type TEXT NOT NULL,
                    data BLOB NOT NULL,
                    published_at TEXT
                );
                CREATE INDEX relance_outbox_pending ON relance_outbox(sequence) WHERE published_at IS NULL;
                """)
        }
    }

    /// A pending row, read back by the relay, already in its wire form.
    struct Row: Sendable {
        let sequence: Int64
        let record: OutgoingRecord
    }

    static func fetchPending(limit: Int, topics: TopicCatalog, _ db: Database) throws -> [Row] {
        // Columns by position: GRDB's lookup by name lower-cases names on every access.
        let rows = try GRDB.Row.fetchCursor(db.cachedStatement(sql: """
            SELECT sequence, event_id, topic, record_key, type, source, time, subject, content_type, data
            FROM relance_outbox WHERE published_at IS NULL ORDER BY sequence LIMIT ?
            """), arguments: [limit])
        var pending: [Row] = []
        pending.reserveCapacity(limit)
        while let row = try rows.next() {
            let record = CloudEvents.record(
                topic: topics.prefix + (row[2] as String), id: row[1], type: row[4], source: row[5], time: row[6],
                subject: row[7], key: row[3], data: row[9], contentType: row[8])
            pending.append(Row(sequence: row[0], record: record))
        }
        return pending
    }

    static func markPublished(through sequences: ClosedRange<Int64>, at date: Date, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE relance_outbox SET published_at = ? WHERE sequence BETWEEN ? AND ? AND published_at IS NULL",
            arguments: [EventJSON.formatInstant(date), sequences.lowerBound, sequences.upperBound])
    }

    static func prunePublished(before date: Date, _ db: Database) throws {
        try db.execute(
            sql: "DELETE FROM relance_outbox WHERE published_at IS NOT NULL AND published_at < ?",
            arguments: [EventJSON.formatInstant(date)])
    }
}
