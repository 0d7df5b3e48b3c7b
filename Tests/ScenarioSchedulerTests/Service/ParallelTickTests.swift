import Events
import Foundation
import GRDB
import Money
import Testing
@testable import ScenarioScheduler

/// The tick plans customers on several cores while it writes (`PlanningPipeline`); what it
/// writes must be what the sequential tick writes, row for row, through a portfolio that
/// takes every path: consolidated reminders, approval tasks for customers without an
/// address, claim filings under insolvency, disputes, partial payments, broken promises,
/// invoices of a customer not known yet, the catch-up after downtime, formal notices and
/// agency cases.
@Suite struct ParallelTickTests {
    /// Runs the same story on a store, returning what each tick left behind.
    static func story(parallel: Bool) async throws -> (snapshots: [[String]], notifications: Int) {
        let fixture = try SchedulerFixture(parallelPlanning: parallel)
        var promiseIds: [String] = []
        let customers = 3 * SchedulerDatabase.planningChunk + 5
        for c in 0..<customers {
            let id = "c\(c)"
            let contacts = c % 7 == 3
                ? [SchedulerFixture.contact("ct-\(c)", email: nil, phone: "+33600000000")]
                : [SchedulerFixture.contact("ct-\(c)"), SchedulerFixture.contact("dg-\(c)", role: "management", email: "dg\(c)@client.test")]
            try await fixture.register(id, contacts: contacts, risk: c % 5 == 2 ? "high" : nil, strategic: c % 5 == 1,
                                       timeZone: c % 8 == 6 ? "America/New_York" : "Europe/Paris")
            for n in 0..<(1 + c % 4) {
                try await fixture.issue("i\(c)-\(n)", customerId: id, cents: Int64(100_00 + 37_31 * (c + n)),
                                        due: ["2026-06-15", "2026-06-12", "2026-06-19", "2026-07-01"][n])
            }
            if c % 6 == 5 {
                try await fixture.apply(InvoiceDisputed(customerId: id, invoiceId: "i\(c)-0", number: "F-i\(c)-0", reason: "damaged \"goods\" ✗"))
            }
            if c % 9 == 2 { try await fixture.pay("i\(c)-0", customerId: id, from: Int64(100_00 + 37_31 * c), to: 40_00) }
            if c % 13 == 0 {
                let promise = try await fixture.database.recordPromise(.init(
                    customerId: id, invoiceIds: ["i\(c)-0"], payBy: try CalendarDate(iso8601: "2026-06-20"), amount: Money(minorUnits: 50_00, currency: .eur)))
                promiseIds.append(promise.promiseId)
            }
            if c % 11 == 4 {
                try await fixture.apply(CustomerLegalStatusChanged(
                    customerId: id, customerNumber: "N-\(id)", status: .receivership, previousStatus: .none,
                    judgmentDate: try CalendarDate(iso8601: "2026-06-05"), publicationDate: nil, courtReference: nil,
                    claimFilingDeadline: try CalendarDate(iso8601: "2026-08-05")))
            }
        }
        // An invoice of a customer the customers topic has not announced yet.
        try await fixture.issue("ghost-1", customerId: "ghost", due: "2026-06-15")

        var snapshots: [[String]] = []
        for instant in ["2026-06-10T07:00:00Z", "2026-06-22T07:00:00Z", "2026-07-23T07:00:00Z", "2026-09-21T07:00:00Z", "2026-12-01T08:00:00Z"] {
            try fixture.advance(to: instant)
            try await fixture.tick()
            snapshots.append(try await Self.tables(fixture.queue, promiseIds: promiseIds))
        }
        return (snapshots, try fixture.commands().count)
    }

    /// Every row the tick writes, as text; event ids and promise ids (random) left out.
    static func tables(_ queue: DatabaseQueue, promiseIds: [String]) async throws -> [String] {
        try await queue.read { db in
            var lines: [String] = []
            for sql in [
                "SELECT type, topic, record_key, subject, time, content_type, CAST(data AS TEXT) FROM relance_outbox ORDER BY sequence",
                "SELECT * FROM invoice ORDER BY id",
                "SELECT * FROM action ORDER BY id",
                "SELECT * FROM task ORDER BY id",
                "SELECT * FROM collection_case ORDER BY id",
                "SELECT customer_id, status, invoice_ids, pay_by FROM promise ORDER BY customer_id, created_at",
            ] {
                for row in try Row.fetchAll(db, sql: sql) {
                    var line = row.description
                    for (index, id) in promiseIds.enumerated() { line = line.replacingOccurrences(of: id, with: "promise-\(index)") }
                    lines.append(line)
                }
            }
            return lines
        }
    }

    @Test func theParallelTickWritesWhatTheSequentialTickWrites() async throws {
        let sequential = try await Self.story(parallel: false)
        let parallel = try await Self.story(parallel: true)
        // The story reaches the cases: several chunks of customers were planned each tick.
        #expect(sequential.notifications > 2 * SchedulerDatabase.planningChunk)
        #expect(sequential.snapshots.count == parallel.snapshots.count)
        for (tick, (expected, actual)) in zip(sequential.snapshots, parallel.snapshots).enumerated() {
            #expect(expected.count == actual.count, "tick \(tick): row counts differ")
            let differing = zip(expected, actual).enumerated().filter { $0.element.0 != $0.element.1 }
            #expect(differing.isEmpty, "tick \(tick): first difference \(differing.first.map { "\($0.element.0)\nvs\n\($0.element.1)" } ?? "")")
        }
    }
}
