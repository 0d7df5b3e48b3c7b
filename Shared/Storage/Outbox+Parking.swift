import Events
import Foundation
import GRDB

/// An outbox row taken out of the queue: Kafka refused it for good, or it waits behind such a
/// row of the same topic and key.
public struct ParkedOutboxRow: Sendable, Hashable, Codable {
    /// Its sequence in the outbox when it was parked; what the operator functions take.
    public var sequence: Int64
    /// The event's `ce_id`.
    public var eventId: String
    /// The event's `ce_type`.
    public var type: String
    /// The topic's name without the deployment prefix, e.g. `invoices`.
    public var topic: String
    /// The record key (the customer id).
    public var key: String
    /// Size of the record value in bytes.
    public var size: Int
    /// Why it was parked: Kafka's refusal, or the row it waits behind.
    public var reason: String
    /// `nil` when Kafka refused this row itself; otherwise the sequence of the refused row of
    /// the same topic and key it waits behind (published after it, to keep that key's order).
    public var blockedBy: Int64?
    /// When it was parked.
    public var parkedAt: Date

    /// A parked row as read back from the store.
    public init(
        sequence: Int64, eventId: String, type: String, topic: String, key: String, size: Int,
        reason: String, blockedBy: Int64?, parkedAt: Date
    ) {
        self.sequence = sequence
        self.eventId = eventId
        self.type = type
        self.topic = topic
        self.key = key
        self.size = size
        self.reason = reason
        self.blockedBy = blockedBy
        self.parkedAt = parkedAt
    }
}

/// What an operator's retry or discard did.
public struct ParkedOutboxResolution: Sendable, Hashable, Codable {
    /// Rows put back at the end of the queue, in their original order.
    public var requeued: Int
    /// Rows deleted for good (0 or 1).
    public var discarded: Int

    /// - Parameters:
    ///   - requeued: rows put back at the end of the queue.
    ///   - discarded: rows deleted for good.
    public init(requeued: Int, discarded: Int) {
        self.requeued = requeued
        self.discarded = discarded
    }
}

/// Parking: rows Kafka refuses for good leave the queue so the others keep flowing.
///
/// Ordering: the contract (`docs/events/`) promises one customer's events in commit order on
/// their partition. A parked row therefore blocks its own topic and key, and only them: later
/// rows of that key are parked too, as *held* behind it (`blockedBy`), while every other key
/// keeps being published. Retrying the refused row puts it, the rows held behind it and any
/// row of that key still pending back at the end of the queue, in their original order;
/// discarding it does the same without it.
extension Outbox {
    /// Parked rows still waiting for an operator, in sequence order.
    /// - Parameters:
    ///   - after: only rows with a larger sequence (paging); `nil` for the first page.
    ///   - limit: most rows returned.
    public static func parkedRows(after: Int64? = nil, limit: Int = 100, _ db: Database) throws -> [ParkedOutboxRow] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT sequence, event_id, type, topic, record_key, length(data), reason, blocked_by, parked_at
            FROM relance_outbox_parked WHERE resolved_at IS NULL AND sequence > ? ORDER BY sequence LIMIT ?
            """, arguments: [after ?? Int64.min, max(limit, 0)]
        ).map { row in
            ParkedOutboxRow(
                sequence: row[0], eventId: row[1], type: row[2], topic: row[3], key: row[4], size: row[5],
                reason: row[6], blockedBy: row[7], parkedAt: EventJSON.parseInstant(row[8]) ?? Date(timeIntervalSince1970: 0))
        }
    }

    /// Parked rows still waiting for an operator (refused and held).
    public static func parkedCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM relance_outbox_parked WHERE resolved_at IS NULL") ?? 0
    }

    /// Puts a refused row back at the end of the queue, followed by the rows of its topic and
    /// key held behind it and those still pending, in their original order. Use it once the
    /// cause is fixed (e.g. the broker's and producer's `message.max.bytes` raised); a row
    /// refused again is parked again.
    /// - Returns: what was requeued.
    /// - Throws: `StorageError` `.parkedRowNotFound` for a sequence that is not parked,
    ///   `.parkedRowWaiting` for a held row (retry the row it waits behind); GRDB's errors.
    public static func retryParked(sequence: Int64, at date: Date = Date(), _ db: Database) throws -> ParkedOutboxResolution {
        let (topic, key, blockedBy) = try openParkedRow(sequence, db)
        if let blockedBy {
            throw StorageError(.parkedRowWaiting, "outbox row \(sequence) waits behind parked row \(blockedBy) of the same key; retry or discard row \(blockedBy)")
        }
        return ParkedOutboxResolution(requeued: try requeue(topic: topic, key: key, behind: sequence, at: date, db), discarded: 0)
    }

    /// Deletes a parked row for good: its event is never published. Discarding a refused row
    /// releases the rows held behind it (back at the end of the queue, in order); discarding a
    /// held row deletes only that row.
    /// - Returns: what was discarded and requeued.
    /// - Throws: `StorageError` `.parkedRowNotFound`; GRDB's errors.
    public static func discardParked(sequence: Int64, at date: Date = Date(), _ db: Database) throws -> ParkedOutboxResolution {
        let (topic, key, blockedBy) = try openParkedRow(sequence, db)
        try db.execute(
            sql: "UPDATE relance_outbox_parked SET resolution = 'discarded', resolved_at = ?, data = x'' WHERE sequence = ?",
            arguments: [EventJSON.formatInstant(date), sequence])
        let requeued = blockedBy == nil ? try requeue(topic: topic, key: key, behind: sequence, at: date, db) : 0
        return ParkedOutboxResolution(requeued: requeued, discarded: 1)
    }

    // MARK: Relay side

    /// Moves a pending row to the parked table.
    /// - Parameter blockedBy: `nil` for a row Kafka refused; else the refused row it waits behind.
    /// - Returns: whether the row was still pending (and is now parked).
    @discardableResult
    static func park(sequence: Int64, reason: String, blockedBy: Int64?, at date: Date, _ db: Database) throws -> Bool {
        try db.execute(sql: """
            INSERT INTO relance_outbox_parked
                (sequence, event_id, topic, record_key, type, source, time, subject, content_type, data, reason, blocked_by, parked_at)
            SELECT sequence, event_id, topic, record_key, type, source, time, subject, content_type, data, ?, ?, ?
            FROM relance_outbox WHERE sequence = ? AND published_at IS NULL
            """, arguments: [reason, blockedBy, EventJSON.formatInstant(date), sequence])
        guard db.changesCount == 1 else { return false }
        try db.execute(sql: "DELETE FROM relance_outbox WHERE sequence = ?", arguments: [sequence])
        return true
    }

    /// Before a send, inside one write transaction: drops rows no longer pending (an operator
    /// requeued them since they were read) and parks, as held, rows whose topic and key have a
    /// refused row parked.
    /// - Returns: the rows to send, in order, and the rows held with the refused row they wait behind.
    static func holdBlocked(_ rows: [Row], at date: Date, _ db: Database) throws -> (send: [Row], held: [(row: Row, behind: Int64)]) {
        guard let first = rows.first, let last = rows.last else { return ([], []) }
        var refused: [String: Int64] = [:]
        let cursor = try GRDB.Row.fetchCursor(
            db, sql: "SELECT topic, record_key, MIN(sequence) FROM relance_outbox_parked WHERE resolved_at IS NULL AND blocked_by IS NULL GROUP BY topic, record_key")
        while let row = try cursor.next() {
            refused[blockKey(row[0], row[1])] = row[2]
        }
        let stillPending = try Set(Int64.fetchAll(
            db, sql: "SELECT sequence FROM relance_outbox WHERE sequence BETWEEN ? AND ? AND published_at IS NULL",
            arguments: [first.sequence, last.sequence]))
        var send: [Row] = []
        var held: [(row: Row, behind: Int64)] = []
        for row in rows where stillPending.contains(row.sequence) {
            // Only rows after the refused one wait: earlier ones (never left pending in
            // practice, the relay goes in order) keep their place before it.
            if let culprit = refused[blockKey(row.topic, row.key)], row.sequence > culprit {
                try park(sequence: row.sequence, reason: "waits behind parked outbox row \(culprit) of the same key", blockedBy: culprit, at: date, db)
                held.append((row, culprit))
            } else {
                send.append(row)
            }
        }
        return (send, held)
    }

    private static func blockKey(_ topic: String, _ key: String) -> String {
        topic + "\u{0}" + key
    }

    /// The topic, key and `blocked_by` of an unresolved parked row.
    private static func openParkedRow(_ sequence: Int64, _ db: Database) throws -> (topic: String, key: String, blockedBy: Int64?) {
        guard let row = try GRDB.Row.fetchOne(
            db, sql: "SELECT topic, record_key, blocked_by FROM relance_outbox_parked WHERE sequence = ? AND resolved_at IS NULL",
            arguments: [sequence])
        else {
            throw StorageError(.parkedRowNotFound, "no parked outbox row has sequence \(sequence) (never parked, or already retried or discarded)")
        }
        return (row[0], row[1], row[2])
    }

    /// Requeues, at the end of the queue and in sequence order, every unresolved parked row of
    /// a topic and key (the refused one unless it was just discarded, and those held behind it)
    /// followed by the rows of that key still pending, which must not overtake them.
    /// - Returns: rows requeued.
    private static func requeue(topic: String, key: String, behind culprit: Int64, at date: Date, _ db: Database) throws -> Int {
        let stamp = EventJSON.formatInstant(date)
        // Pending rows of the key go behind the parked ones: park them first (which records
        // their old sequence for `pendingCount(from:)`), then requeue everything in order.
        let pending = try Int64.fetchAll(
            db, sql: "SELECT sequence FROM relance_outbox WHERE published_at IS NULL AND topic = ? AND record_key = ? AND sequence > ? ORDER BY sequence",
            arguments: [topic, key, culprit])
        for sequence in pending {
            try park(sequence: sequence, reason: "moved behind requeued outbox row \(culprit) of the same key", blockedBy: culprit, at: date, db)
        }
        let group = try Int64.fetchAll(
            db, sql: "SELECT sequence FROM relance_outbox_parked WHERE resolved_at IS NULL AND topic = ? AND record_key = ? ORDER BY sequence",
            arguments: [topic, key])
        for sequence in group {
            try db.execute(sql: """
                INSERT INTO relance_outbox (event_id, topic, record_key, type, source, time, subject, content_type, data)
                SELECT event_id, topic, record_key, type, source, time, subject, content_type, data
                FROM relance_outbox_parked WHERE sequence = ?
                """, arguments: [sequence])
            try db.execute(
                sql: "UPDATE relance_outbox_parked SET resolution = 'requeued', resolved_at = ?, requeued_as = ?, data = x'' WHERE sequence = ?",
                arguments: [stamp, db.lastInsertedRowID, sequence])
        }
        return group.count
    }

    /// Deletes one chunk of retried or discarded parked rows resolved before `date`. Only rows
    /// below the first pending sequence go: above it they still account for a hole in the
    /// queue (`pendingCount(from:)`).
    /// - Returns: rows deleted.
    static func pruneResolvedParked(before date: Date, limit: Int, _ db: Database) throws -> Int {
        let firstPending = try Int64.fetchOne(db, sql: "SELECT MIN(sequence) FROM relance_outbox WHERE published_at IS NULL")
        try db.execute(sql: """
            DELETE FROM relance_outbox_parked WHERE sequence IN (
                SELECT sequence FROM relance_outbox_parked
                WHERE resolved_at IS NOT NULL AND resolved_at < ? AND sequence < ?
                ORDER BY sequence LIMIT ?)
            """, arguments: [EventJSON.formatInstant(date), firstPending ?? Int64.max, max(limit, 1)])
        return db.changesCount
    }
}
