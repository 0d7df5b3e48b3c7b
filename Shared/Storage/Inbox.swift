import Events
import Foundation
import GRDB

/// The idempotent-consumer inbox: the id of every consumed event is recorded in the same
/// transaction as its effect, so a redelivered event has no second effect.
public enum Inbox {
    /// Records the event as processed, inside the caller's write transaction.
    /// - Returns: `false` when it was processed before: the caller must skip its effect.
    public static func markProcessed(_ envelope: Envelope, in db: Database) throws -> Bool {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO relance_inbox (event_id, type, processed_at) VALUES (?, ?, ?)").execute(
            arguments: [envelope.id, envelope.type, EventJSON.formatInstant(Date())])
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

    /// Whether an event id was already processed.
    public static func contains(eventId: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM relance_inbox WHERE event_id = ?)", arguments: [eventId]) ?? false
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
    }
}
