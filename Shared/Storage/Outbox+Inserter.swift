import GRDB

extension Outbox {
    /// Writes prepared outbox rows through one statement looked up once, for a transaction
    /// that enqueues many events: ``Outbox/enqueue(_:on:in:)`` finds its cached statement by
    /// hashing its SQL text and builds its argument list on every call.
    ///
    /// Use it inside one write transaction (a `Database` access); do not keep it beyond.
    public struct Inserter {
        private let statement: Statement

        /// - Throws: GRDB's `DatabaseError` when the statement cannot be compiled (no outbox
        ///   table: register ``Outbox``'s migrations).
        public init(_ db: Database) throws {
            statement = try db.cachedStatement(sql: Outbox.insertSQL)
        }

        /// Writes a row to publish, inside the caller's write transaction.
        /// - Throws: GRDB's `DatabaseError` (e.g. a duplicate event id).
        public func insert(_ row: PreparedRow) throws {
            // Unchecked: a prepared row always has the statement's nine values, so GRDB's
            // validation and temporary bindings per row are skipped.
            statement.setUncheckedArguments(row.arguments)
            try statement.execute()
        }
    }
}
