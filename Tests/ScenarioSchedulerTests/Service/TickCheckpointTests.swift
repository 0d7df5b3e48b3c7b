import Events
import Foundation
import GRDB
import Money
import Storage
import Testing
@testable import ScenarioScheduler

/// On a store on disk (a WAL pool, as the service runs), the tick leaves the WAL checkpoints to
/// `WALCheckpointer`'s own connection and gives the writer its automatic checkpoints back.
@Suite struct TickCheckpointTests {
    /// A portfolio of `customers` customers with three invoices each, due on 15 June 2026.
    static func portfolio(_ database: SchedulerDatabase, clock: SchedulerClock, customers: Int) async throws {
        for c in 0..<customers {
            let id = "c\(c)"
            let snapshot = CustomerSnapshot(
                customerId: id, customerNumber: "N-\(id)", legalName: "Client \(id)", country: "FR", language: "fr",
                timeZone: "Europe/Paris", defaultCurrency: .eur, paymentTerms: "net:30", creditLimit: nil, segment: nil, riskCategory: nil,
                strategic: false, tags: [], contacts: [SchedulerFixture.contact("ct-\(c)")], billingAddress: SchedulerFixture.address)
            var envelopes = [try Envelope(CustomerRegistered(customer: snapshot, customerVersion: 1), source: "/relance/invoicing", time: clock.now())]
            for n in 0..<3 {
                let issued = InvoiceIssued(
                    customerId: id, customerNumber: "N-\(id)", invoiceId: "i\(c)-\(n)", number: "F-\(c)-\(n)", paymentReference: "RF\(c)\(n)",
                    issueDate: try CalendarDate(iso8601: "2026-05-15"), dueDate: try CalendarDate(iso8601: "2026-06-1\(3 + n)"),
                    totalAmount: Money(minorUnits: Int64(1_000_00 + 17 * c), currency: .eur), netAmount: nil, vatAmount: nil,
                    orderReference: nil, dunningStartsOn: nil)
                envelopes.append(try Envelope(issued, source: "/relance/invoicing", time: clock.now()))
            }
            try await database.apply(envelopes)
        }
    }

    /// The dunning state and the commands, as text (event ids are random: left out).
    static func state(_ reader: any DatabaseReader) async throws -> [String] {
        try await reader.read { db in
            try Row.fetchAll(db, sql: "SELECT id, steps_done, next_action_at, held, not_before FROM invoice ORDER BY id").map(\.description)
                + Row.fetchAll(db, sql: "SELECT type, record_key, CAST(data AS TEXT) FROM relance_outbox WHERE type LIKE 'relance.notification%' ORDER BY sequence")
                .map(\.description)
        }
    }

    @Test func theTickCheckpointsOnItsOwnConnectionAndWritesWhatAStoreInMemoryWrites() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tick-checkpoint-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = try SchedulerFixture.instant("2026-06-01T06:00:00Z")
        // Small batches: many commits, each followed by a wait for the WAL to be copied whole.
        let settings = SchedulerDatabase.PlannerSettings(policy: DunningPolicy(freshnessBusinessDays: 0, batchCustomers: 3))
        let customers = 20

        let memoryClock = SchedulerClock(adjustable: true) { start }
        let memory = try SchedulerDatabase(try DatabaseQueue(), clock: memoryClock, settings: settings)
        #expect(memory.checkpointer == nil, "an in-memory store has no WAL")
        try await Self.portfolio(memory, clock: memoryClock, customers: customers)

        let pool = try DatabaseOpener.open(directory: directory, name: "scenario-scheduler", migrator: SchedulerDatabase.migrator)
        let diskClock = SchedulerClock(adjustable: true) { start }
        var disk = try SchedulerDatabase(pool, clock: diskClock, settings: settings)
        let checkpointer = try #require(try WALCheckpointer.forStore(of: pool, restartFrames: 1, idle: .milliseconds(1)))
        disk.checkpointer = checkpointer
        try await Self.portfolio(disk, clock: diskClock, customers: customers)

        for instant in ["2026-06-10T07:00:00Z", "2026-06-22T07:00:00Z"] {
            let target = try SchedulerFixture.instant(instant)
            try memoryClock.advance(by: target.timeIntervalSince(memoryClock.now()))
            try diskClock.advance(by: target.timeIntervalSince(diskClock.now()))
            let expected = try await memory.runDueActions()
            let actual = try await disk.runDueActions()
            #expect(actual == expected)
            #expect(expected.notifications > 0)
        }
        #expect(try await Self.state(pool) == Self.state(memory.reader))
        #expect(checkpointer.checkpointsRun > 0, "the WAL was copied by the checkpointer's connection")
        let restored = try await pool.write { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") }
        #expect(restored == 1_000, "SQLite's default, set back on the writer after each tick")
    }
}
