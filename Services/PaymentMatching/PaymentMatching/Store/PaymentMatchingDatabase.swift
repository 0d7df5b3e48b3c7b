import Events
import Foundation
import GRDB
import Storage

/// The payment-matching service's store: its projection of the ledger (payers, invoices and
/// their balances, from the customers and invoices topics), the statements imported, the
/// payments, allocations and decisions, and the outbox of the events each change publishes,
/// written in the same transaction.
///
/// Production uses a WAL `DatabasePool`, tests an in-memory `DatabaseQueue`.
public struct PaymentMatchingDatabase: Sendable {
    let writer: any DatabaseWriter
    /// `ce_source` of the events written to the outbox.
    let source: String
    /// The current instant (injected so tests can move through time).
    let now: @Sendable () -> Date
    /// Called after a transaction that wrote events, to wake the outbox relay.
    let onEventsWritten: @Sendable () -> Void
    /// The engine's thresholds and tolerances.
    let engine: MatchingEngine

    /// Wraps a database, applying migrations.
    /// - Throws: GRDB's `DatabaseError` when a migration fails.
    public init(
        _ writer: any DatabaseWriter, source: String = "/relance/payment-matching", policy: MatchingPolicy = MatchingPolicy(),
        now: @escaping @Sendable () -> Date = { Date() }, onEventsWritten: @escaping @Sendable () -> Void = {}
    ) throws {
        try DatabaseOpener.migrate(writer, with: PaymentMatchingSchema.migrator)
        self.writer = writer
        self.source = source
        self.now = now
        self.onEventsWritten = onEventsWritten
        self.engine = MatchingEngine(policy: policy)
    }

    /// The service's migrations, for `DatabaseOpener.open`.
    public static var migrator: DatabaseMigrator { PaymentMatchingSchema.migrator }

    /// Read access for health checks.
    public var reader: any DatabaseReader { writer }

    /// Runs a write transaction that may enqueue events, then wakes the relay.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = try await writer.write(body)
        onEventsWritten()
        return result
    }

    func enqueue<Event: DomainEvent>(_ event: Event, _ db: Database) throws {
        try Outbox.enqueue(event, source: source, time: now(), in: db)
    }

    static func timestamp(_ date: Date) -> String { EventJSON.formatInstant(date) }
}
