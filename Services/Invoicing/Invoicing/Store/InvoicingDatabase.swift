import Events
import Foundation
import GRDB
import Money
import Storage

/// The invoicing service's store: customers, invoices, credit notes, allocations, and the
/// outbox of the events each change publishes, written in the same transaction.
///
/// Every mutating method is one named transaction keeping the invariants (total = paid +
/// credited + written off + voided + open; the status follows the amounts: see
/// ``InvoiceLedgerError`` and `InvoiceLedger`, and the `invoice` table's CHECK constraints).
/// Production uses a WAL `DatabasePool`, tests an in-memory `DatabaseQueue`.
public struct InvoicingDatabase: Sendable {
    let writer: any DatabaseWriter
    /// `ce_source` of the events written to the outbox.
    let source: String
    /// The current instant (injected so tests and the demo can move through time).
    let now: @Sendable () -> Date
    /// Called after a transaction that wrote events, to wake the outbox relay.
    let onEventsWritten: @Sendable () -> Void
    /// The creditor named in `invoice.issued`; none when `nil` (tests).
    let payee: Payee?

    /// Wraps a database, applying migrations.
    /// - Parameter payee: The creditor `invoice.issued` names (``Payee/demo`` in a trial);
    ///   `nil` leaves it out.
    /// - Throws: GRDB's `DatabaseError` when a migration fails.
    public init(
        _ writer: any DatabaseWriter, source: String = "/relance/invoicing",
        now: @escaping @Sendable () -> Date = { Date() },
        onEventsWritten: @escaping @Sendable () -> Void = {},
        payee: Payee? = nil
    ) throws {
        try DatabaseOpener.migrate(writer, with: InvoicingSchema.migrator)
        self.writer = writer
        self.source = source
        self.now = now
        self.onEventsWritten = onEventsWritten
        self.payee = payee
    }

    /// The service's migrations, for `DatabaseOpener.open`.
    public static var migrator: DatabaseMigrator { InvoicingSchema.migrator }

    /// Read access for health checks and reports.
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

    /// Maps SQLite's unique-constraint failures to a 409 the caller understands.
    @discardableResult
    static func translateUniqueViolation<T>(_ what: String, number: String, field: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE || error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY {
            throw InvoicingError(.duplicateNumber, "\(what) number '\(number)' already exists; numbers are unique", field: field)
        }
    }
}
