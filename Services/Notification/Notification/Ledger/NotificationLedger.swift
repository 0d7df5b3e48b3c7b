import Events
import Foundation
import GRDB
import Storage

/// The notification ledger: one row per notification id of the partitions this instance
/// owns, and the outbox of `notification.sent` / `notification.failed`, written in the same
/// transaction as the row that says so.
public struct NotificationLedger: Sendable {
    let writer: any DatabaseWriter
    let source: String
    let now: @Sendable () -> Date
    let onEventsWritten: @Sendable () -> Void

    /// Wraps a database, applying migrations.
    public init(_ writer: any DatabaseWriter, source: String = "/relance/notification", now: @escaping @Sendable () -> Date = { Date() },
                onEventsWritten: @escaping @Sendable () -> Void = {}) throws {
        try DatabaseOpener.migrate(writer, with: NotificationSchema.migrator)
        self.writer = writer
        self.source = source
        self.now = now
        self.onEventsWritten = onEventsWritten
    }

    public static var migrator: DatabaseMigrator { NotificationSchema.migrator }
    public var reader: any DatabaseReader { writer }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func encode(_ entry: LedgerEntry) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(entry)
    }

    /// The entry of a notification id, if this instance knows it.
    public func entry(_ id: String) async throws -> LedgerEntry? {
        try await writer.read { db in try Self.entry(id, db) }
    }

    static func entry(_ id: String, _ db: Database) throws -> LedgerEntry? {
        try Data.fetchOne(db, sql: "SELECT entry FROM notification WHERE id = ?", arguments: [id]).map { try decoder.decode(LedgerEntry.self, from: $0) }
    }

    /// Entries in a state, oldest change first.
    public func entries(in state: NotificationState?, limit: Int = 100) async throws -> [LedgerEntry] {
        try await writer.read { db in
            try Data.fetchAll(db, sql: "SELECT entry FROM notification WHERE (? IS NULL OR state = ?) ORDER BY updated_at, id LIMIT ?",
                              arguments: [state?.rawValue, state?.rawValue, limit]).map { try Self.decoder.decode(LedgerEntry.self, from: $0) }
        }
    }

    /// Counts per state.
    public func counts() async throws -> [NotificationState: Int] {
        try await writer.read { db in
            var counts: [NotificationState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM notification GROUP BY state") {
                if let state = NotificationState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// Writes an entry; with an event to publish in the same transaction when given.
    func save(_ entry: LedgerEntry, event: (any DomainEvent)? = nil) async throws {
        let data = try Self.encode(entry)
        let source = self.source
        let time = now()
        try await writer.write { db in
            try Self.upsert(entry, data: data, db)
            if let event { _ = try Outbox.enqueue(event, source: source, time: time, in: db) }
        }
        if event != nil { onEventsWritten() }
    }

    static func upsert(_ entry: LedgerEntry, data: Data, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO notification (id, partition, customer_id, channel, state, attempts, entry, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET partition = excluded.partition, state = excluded.state, attempts = excluded.attempts,
                entry = excluded.entry, updated_at = excluded.updated_at, channel = excluded.channel
            """, arguments: [entry.notificationId, entry.partition, entry.customerId, entry.channel, entry.state.rawValue, entry.attempts,
                             data, EventJSON.formatInstant(entry.updatedAt)])
    }

    /// Replaces the ledger of partitions with what their changelog says (the last entry per
    /// id wins). Blocking: it runs inside a rebalance hook.
    func restore(partitions: [Int32], entries: [LedgerEntry]) throws {
        try writer.write { db in
            for partition in partitions {
                try db.execute(sql: "DELETE FROM notification WHERE partition = ?", arguments: [partition])
            }
            for entry in entries { try Self.upsert(entry, data: try Self.encode(entry), db) }
        }
    }

    /// Forgets the ledger of partitions given up. Blocking.
    func forget(partitions: [Int32]) throws {
        try writer.write { db in
            for partition in partitions {
                try db.execute(sql: "DELETE FROM notification WHERE partition = ?", arguments: [partition])
            }
        }
    }
}
