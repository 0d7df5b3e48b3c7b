import Foundation
import GRDB
import Testing
@testable import ScenarioScheduler

/// The tick's set-based writes: invoice updates grouped by their new values, timeline links
/// written from one JSON list.
@Suite struct TickWriterTests {
    @Test func invoicesMovingOnTogetherOrApartEachGetTheirOwnStepAndLink() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        // Ids JSON must escape (a quote, a backslash) or carry non-ASCII letters: written
        // through `json_each`, a wrong list would link or update the wrong rows, or fail.
        let together = ["i\"1", "i\\2", "fäct-3"]
        for id in together { try await fixture.issue(id, customerId: "c1", due: "2026-06-15") }
        try await fixture.issue("i4", customerId: "c1", due: "2026-06-12")
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        let report = try await fixture.tick()
        #expect(report.invoices == 4)
        #expect(report.notifications == 1)
        // Reminder-1 is 7 days after each due date: three rows share one UPDATE, i4 has its own.
        for id in together {
            #expect(try fixture.nextAction(id) == SchedulerFixture.instant("2026-06-22T07:00:00Z"), "\(id)")
        }
        #expect(try fixture.nextAction("i4") == SchedulerFixture.instant("2026-06-19T07:00:00Z"))
        let (steps, linked) = try await fixture.queue.read { db in
            (try Int.fetchAll(db, sql: "SELECT steps_done FROM invoice ORDER BY id"),
             try String.fetchAll(db, sql: """
                SELECT l.invoice_id FROM action_invoice l JOIN action a ON a.id = l.action_id
                WHERE a.kind = 'notification'
                """))
        }
        #expect(steps == [1, 1, 1, 1])
        #expect(linked.count == 4)
        #expect(Set(linked) == Set(together + ["i4"]))
    }
}
