import Events
import Foundation
import GRDB
import Money
import Testing
@testable import ScenarioScheduler

/// A timeline line lists its invoices on the line itself (`action.invoice_ids`, migration
/// `scenario-scheduler-v3`); an invoice's timeline is the lines of its customer that list it.
@Suite struct TimelineInvoiceTests {
    @Test func anInvoiceTimelineHoldsTheLinesThatListItAndNoOther() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        try await fixture.issue("i2", customerId: "c1")
        try await fixture.apply(InvoiceDisputed(customerId: "c1", invoiceId: "i2", number: "F-i2", reason: "damaged goods"))
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()

        let first = try #require(try await fixture.database.invoiceDunning("i1"))
        let reminder = try #require(first.timeline.first { $0.kind == "notification" })
        #expect(reminder.invoiceIds == ["i1"])
        let second = try #require(try await fixture.database.invoiceDunning("i2"))
        #expect(!second.timeline.contains { $0.kind == "notification" }, "i2 is disputed: the reminder is not on its timeline")
        let customer = try #require(try await fixture.database.customerDunning("c1"))
        #expect(customer.timeline.filter { $0.kind == "notification" }.map(\.invoiceIds) == [["i1"]])
    }

    @Test func aConsolidatedReminderIsOnTheTimelineOfEachInvoiceItLists() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i2", customerId: "c1")
        try await fixture.issue("i1", customerId: "c1")
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()

        for id in ["i1", "i2"] {
            let dunning = try #require(try await fixture.database.invoiceDunning(id))
            #expect(dunning.timeline.filter { $0.kind == "notification" }.map(\.invoiceIds) == [["i1", "i2"]], "\(id)")
        }
    }

    /// A store written before `scenario-scheduler-v3` keeps its timeline: the link rows become
    /// the lines' lists.
    @Test func theMigrationMovesTheLinkRowsOntoTheirLines() async throws {
        let queue = try DatabaseQueue()
        try SchedulerSchema.migrator.migrate(queue, upTo: "scenario-scheduler-v2")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO invoice (id, customer_id, number, currency, total_minor, balance_minor, issue_date, due_date, status,
                    scenario, scenario_version, customer_time_zone, updated_at)
                VALUES ('i1', 'c1', 'F-1', 'EUR', 100, 100, '2026-05-15', '2026-06-15', 'open', 'standard-b2b', 1, 'Europe/Paris', 'x'),
                       ('i2', 'c1', 'F-2', 'EUR', 100, 100, '2026-05-15', '2026-06-15', 'open', 'standard-b2b', 1, 'Europe/Paris', 'x');
                INSERT INTO action (id, customer_id, kind, detail, at) VALUES (1, 'c1', 'notification', 'both', 10),
                    (2, 'c1', 'skipped', 'one', 20), (3, 'c1', 'scenario-changed', 'none', 30);
                INSERT INTO action_invoice (action_id, invoice_id) VALUES (1, 'i2'), (1, 'i1'), (2, 'i2');
                """)
        }
        let database = try SchedulerDatabase(queue)
        let lists = try await queue.read { db in try String.fetchAll(db, sql: "SELECT invoice_ids FROM action ORDER BY id") }
        #expect(lists == [#"["i1","i2"]"#, #"["i2"]"#, "[]"])
        #expect(try await database.invoiceDunning("i1")?.timeline.map(\.detail) == ["both"])
        #expect(try await database.invoiceDunning("i2")?.timeline.map(\.detail) == ["both", "one"])
        #expect(try await database.customerDunning("c1")?.timeline.map(\.invoiceIds) == [["i1", "i2"], ["i2"], []])
    }
}
