import Events
import Foundation
import GRDB

/// The idempotent-consumer inbox: every consumed event is recorded, by its CloudEvents
/// `source` + `id` (unique per event by the CloudEvents spec; two producers may reuse an id),
/// in the same transaction as its effect, so a redelivered event has no second effect.
///
/// Entries are kept for the inbox retention (``StoreMaintenance``), which must cover the
/// longest time an event can come back: the topics' retention (a consumer group reset to the
/// earliest offset replays everything the broker still has).
public enum Inbox {
    /// Records the event as processed, inside the caller's write transaction.
    /// - Returns: `false` when it was processed before: the caller must skip its effect.
    public static func markProcessed(_ envelope: Envelope, in db: Database) throws -> Bool {
        // Entries recorded before `relance-inbox-v2` have no source (''): an id among them
        // counts as processed too, until the retention purges them.
        try db.cachedStatement(sql: """
            INSERT INTO relance_inbox (source, event_id, type, processed_at)
            SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM relance_inbox WHERE source = '' AND event_id = ?)
            ON CONFLICT (source, event_id) DO NOTHING
            """).execute(arguments: [envelope.source, envelope.id, envelope.type, EventJSON.formatInstant(Date()), envelope.id])
        return db.changesCount == 1
    }

    /// Runs `effect` in one write transaction with the inbox marker, unless the event was
    /// processed before.
    /// - Returns: the effect's result, or `nil` for a redelivered event.
    /// - Throws: what the effect throws (the transaction, marker included, is rolled back).
    public static func process<T: Sendable>(
        _ envelope: Envelope, in writer: any DatabaseWriter,
        _ effect: @escaping @Sendable (Database) throws -> T
    ) async throws -> T? {
        try await writer.write { db in
            guard try markProcessed(envelope, in: db) else { return nil }
            return try effect(db)
        }
    }

    /// Whether an event (`ce_source` + `ce_id`) was already processed.
    public static func contains(source: String, id: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM relance_inbox WHERE event_id = ? AND source IN (?, ''))",
            arguments: [id, source]) ?? false
    }

    /// Deletes one chunk of entries processed before `date`, oldest first, through the
    /// `processed_at` index.
    /// - Returns: entries deleted; fewer than `limit` when nothing older is left.
    static func purge(processedBefore date: Date, limit: Int, _ db: Database) throws -> Int {
        try db.execute(sql: """
            DELETE FROM relance_inbox WHERE (source, event_id) IN (
                SELECT source, event_id FROM relance_inbox WHERE processed_at < ? ORDER BY processed_at LIMIT ?)
            """, arguments: [EventJSON.formatInstant(date), max(limit, 1)])
        return db.changesCount
    }

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("relance-inbox-v1") { db in
            try db.execute(sql: """
                CREATE TABLE relance_inbox (
                    event_id TEXT PRIMARY KEY,
                    type TEXT NOT NULL,
                    processed_at TEXT NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        // Deduplicate on source + id, and purge by age through an index. Rows from v1 keep
        // their id with an empty source (unknown), still honoured by `markProcessed`.
        migrator.registerMigration("relance-inbox-v2") { db in
            try db.execute(sql: """
                CREATE TABLE relance_inbox_v2 (
                    source TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    processed_at TEXT NOT NULL,
                    PRIMARY KEY (source, event_id)
                ) WITHOUT ROWID;
                INSERT INTO relance_inbox_v2 (source, event_id, type, processed_at)
                    SELECT '', event_id, type, processed_at FROM relance_inbox;
                DROP TABLE relance_inbox;
                ALTER TABLE relance_inbox_v2 RENAME TO relance_inbox;
                CREATE INDEX relance_inbox_processed_at ON relance_inbox(processed_at);
                """)
        }
    }
}
