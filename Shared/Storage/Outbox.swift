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
        try db.cachedStatement(sql: insertSQL).execute(arguments: PreparedRow(envelope, on: topic).arguments)
    }

    /// The insert of one row, with the nine values of ``PreparedRow``, in its order.
    static let insertSQL = """
        INSERT INTO relance_outbox (event_id, topic, record_key, type, source, time, subject, content_type, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

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

    /// Pending rows from the first pending sequence on, without scanning them.
    ///
    /// Invariant: at or above the first pending sequence, every sequence up to the largest one
    /// is either a pending row or a row moved to `relance_outbox_parked` (parked, or requeued or
    /// discarded since, kept there until it falls below the first pending sequence). Rows are
    /// only added at the end (a rolled-back transaction gives its sequence numbers back), the
    /// relay publishes in sequence order (published rows are all below the first pending one),
    /// and nothing leaves the table unpublished without a trace in `relance_outbox_parked`.
    /// So the count is two index lookups and a range count over the (small) parked table.
    static func pendingCount(from firstPending: Int64, _ db: Database) throws -> Int {
        guard let last = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM relance_outbox"), last >= firstPending else { return 0 }
        let moved = try Int64.fetchOne(
            db, sql: "SELECT COUNT(*) FROM relance_outbox_parked WHERE sequence BETWEEN ? AND ?",
            arguments: [firstPending, last]) ?? 0
        return Int(last - firstPending + 1 - moved)
    }

    /// Rows waiting to be published (parked rows are not: see ``parkedCount(_:)``).
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
        // Rows Kafka refuses for good (too large, invalid), and the rows of the same topic and
        // key held behind them to keep that key's order, moved out of the queue with their
        // sequence. A retried or discarded row stays, resolved and without its payload, until
        // maintenance prunes it (see `pendingCount(from:)` for why it is kept meanwhile).
        migrator.registerMigration("relance-outbox-v2") { db in
            try db.execute(sql: """
                CREATE TABLE relance_outbox_parked (
                    sequence INTEGER PRIMARY KEY,
                    event_id TEXT NOT NULL,
                    topic TEXT NOT NULL,
                    record_key TEXT NOT NULL,
                    type TEXT NOT NULL,
                    source TEXT NOT NULL,
                    time TEXT NOT NULL,
                    subject TEXT,
                    content_type TEXT NOT NULL,
                    data BLOB NOT NULL,
                    reason TEXT NOT NULL,
                    blocked_by INTEGER,
                    parked_at TEXT NOT NULL,
                    resolution TEXT CHECK (resolution IN ('requeued', 'discarded')),
                    resolved_at TEXT,
                    requeued_as INTEGER
                );
                CREATE INDEX relance_outbox_parked_open ON relance_outbox_parked(topic, record_key, sequence)
                    WHERE resolved_at IS NULL;
                """)
        }
    }

    /// A pending row, read back by the relay, already in its wire form.
    struct Row: Sendable {
        let sequence: Int64
        let eventId: String
        /// The topic's name without the deployment prefix, as stored.
        let topic: String
        let key: String
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
            let topic: String = row[2]
            let record = CloudEvents.record(
                topic: topics.prefix + topic, id: row[1], type: row[4], source: row[5], time: row[6],
                subject: row[7], key: row[3], data: row[9], contentType: row[8])
            pending.append(Row(sequence: row[0], eventId: row[1], topic: topic, key: row[3], record: record))
        }
        return pending
    }

    static func markPublished(through sequences: ClosedRange<Int64>, at date: Date, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE relance_outbox SET published_at = ? WHERE sequence BETWEEN ? AND ? AND published_at IS NULL",
            arguments: [EventJSON.formatInstant(date), sequences.lowerBound, sequences.upperBound])
    }

    /// Deletes one chunk of published rows older than `date`, by sequence range from the
    /// oldest row: at most `limit` sequences, all below the first pending row.
    ///
    /// Rows below the first pending one are all published, and were published in sequence
    /// order, so the old ones are a prefix: each chunk is a range delete of at most `limit`
    /// rows read by rowid, never a scan of the table.
    /// - Returns: rows deleted; 0 when nothing older than `date` is left.
    static func prunePublished(before date: Date, limit: Int, _ db: Database) throws -> Int {
        guard let oldest = try Int64.fetchOne(db, sql: "SELECT MIN(sequence) FROM relance_outbox") else { return 0 }
        let firstPending = try Int64.fetchOne(db, sql: "SELECT MIN(sequence) FROM relance_outbox WHERE published_at IS NULL")
        var last = oldest + Int64(max(limit, 1)) - 1
        if let firstPending { last = min(last, firstPending - 1) }
        guard last >= oldest else { return 0 }
        try db.execute(
            sql: "DELETE FROM relance_outbox WHERE sequence BETWEEN ? AND ? AND published_at IS NOT NULL AND published_at < ?",
            arguments: [oldest, last, EventJSON.formatInstant(date)])
        return db.changesCount
    }
}
