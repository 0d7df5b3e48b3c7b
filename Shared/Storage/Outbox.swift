import Events
import Foundation
import GRDB

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

    /// A pending row, read back by the relay.
    struct Row: Sendable {
        let sequence: Int64
        let topic: String
        let envelope: Envelope
    }

    static func fetchPending(limit: Int, _ db: Database) throws -> [Row] {
        let rows = try GRDB.Row.fetchAll(db, sql: """
            SELECT sequence, event_id, topic, record_key, type, source, time, subject, content_type, data
            FROM relance_outbox WHERE published_at IS NULL ORDER BY sequence LIMIT ?
            """, arguments: [limit])
        return try rows.map { row in
            let timeText: String = row["time"]
            guard let time = EventJSON.parseInstant(timeText) else {
                throw StorageError(.corruptOutboxRow, "outbox row \(row["sequence"] as Int64) has time '\(timeText)'")
            }
            return Row(
                sequence: row["sequence"],
                topic: row["topic"],
                envelope: Envelope(
                    id: row["event_id"], type: row["type"], source: row["source"], time: time,
                    subject: row["subject"], key: row["record_key"], data: row["data"], contentType: row["content_type"]))
        }
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
