import Events
import Foundation
import GRDB
import ServiceKit
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

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// An entry as the ledger row and the changelog record hold it: `encoder`'s bytes,
    /// written by hand (``LedgerEntryJSON``).
    static func encode(_ entry: LedgerEntry) throws -> Data {
        try LedgerEntryJSON.encode(entry, fallback: encoder)
    }

    /// The entry of a notification id, if this instance knows it.
    public func entry(_ id: String) async throws -> LedgerEntry? {
        try await writer.read { db in try Self.entry(id, db) }
    }

    static func entry(_ id: String, _ db: Database) throws -> LedgerEntry? {
        try Data.fetchOne(db, sql: "SELECT entry FROM notification WHERE id = ?", arguments: [id]).map { try decoder.decode(LedgerEntry.self, from: $0) }
    }

    /// The entries of notification ids this instance knows, by id (one read for a batch).
    public func entries(_ ids: [String]) async throws -> [String: LedgerEntry] {
        try await writer.read { db in
            var found: [String: LedgerEntry] = [:]
            // Chunks stay under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                for data in try Data.fetchAll(db, sql: "SELECT entry FROM notification WHERE id IN (\(marks))", arguments: StatementArguments(chunk)) {
                    let entry = try Self.decoder.decode(LedgerEntry.self, from: data)
                    found[entry.notificationId] = entry
                }
            }
            return found
        }
    }

    /// Entries in a state, oldest change first.
    public func entries(in state: NotificationState?, limit: Int = 100) async throws -> [LedgerEntry] {
        try await writer.read { db in
            try Data.fetchAll(db, sql: "SELECT entry FROM notification WHERE (? IS NULL OR state = ?) ORDER BY updated_at, id LIMIT ?",
                              arguments: [state?.rawValue, state?.rawValue, limit]).map { try Self.decoder.decode(LedgerEntry.self, from: $0) }
        }
    }

    /// A page of entries, optionally of one state, by notification id (a stable order: an
    /// entry changing state between two pages is neither skipped nor repeated).
    /// - Throws: `PageRequest.InvalidCursor` for a cursor this API did not hand out.
    public func page(in state: NotificationState?, page: PageRequest) async throws -> Page<LedgerEntry> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            let rows = try Data.fetchAll(db, sql: """
                SELECT entry FROM notification WHERE (? IS NULL OR state = ?) AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?
                """, arguments: [state?.rawValue, state?.rawValue, after, after, page.limit + 1])
            let items = try rows.prefix(page.limit).map { try Self.decoder.decode(LedgerEntry.self, from: $0) }
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.notificationId) } : nil)
        }
    }

    /// What a partition's provider calls cost on a day (minor units): the sum of its rows'
    /// costs charged that day. The rows follow the partition through the changelog, so a new
    /// owner knows what the previous one spent.
    public func spent(partition: Int32, on day: String) async throws -> Int64 {
        try await writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(cost), 0) FROM notification WHERE partition = ? AND spent_on = ?",
                               arguments: [partition, day]) ?? 0
        }
    }

    /// Parked entries, oldest first, at most `limit`.
    func parked(limit: Int) async throws -> [LedgerEntry] {
        try await entries(in: .parked, limit: limit)
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

    /// Writes entries, each with its event when given, in one transaction (one commit for a
    /// batch of commands).
    /// - Returns: the entries encoded (``encode(_:)``), in order: what the changelog publishes.
    @discardableResult
    func save(_ changes: [(entry: LedgerEntry, event: (any DomainEvent)?)]) async throws -> [Data] {
        guard !changes.isEmpty else { return [] }
        let encoded = try changes.map { (try Self.encode($0.entry), $0) }
        let source = self.source
        let time = now()
        try await writer.write { db in
            for (data, change) in encoded {
                try Self.upsert(change.entry, data: data, db)
                if let event = change.event { _ = try Outbox.enqueue(event, source: source, time: time, in: db) }
            }
        }
        if changes.contains(where: { $0.event != nil }) { onEventsWritten() }
        return encoded.map(\.0)
    }

    static let upsertSQL = """
        INSERT INTO notification (id, partition, customer_id, channel, state, attempts, entry, updated_at, cost, spent_on)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET partition = excluded.partition, state = excluded.state, attempts = excluded.attempts,
            entry = excluded.entry, updated_at = excluded.updated_at, channel = excluded.channel, cost = excluded.cost,
            spent_on = excluded.spent_on
        """

    static func upsert(_ entry: LedgerEntry, data: Data, _ db: Database) throws {
        // Cached per connection: it runs twice per e-mail, no need to compile it each time.
        try db.cachedStatement(sql: upsertSQL).execute(
            arguments: [entry.notificationId, entry.partition, entry.customerId, entry.channel, entry.state.rawValue, entry.attempts,
                        data, EventJSON.formatInstant(entry.updatedAt), entry.cost ?? 0, entry.spentOn])
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
