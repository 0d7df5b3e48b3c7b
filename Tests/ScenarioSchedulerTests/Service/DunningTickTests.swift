import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Testing
@testable import ScenarioScheduler

/// The tick against an in-memory store: issue invoices, move the clock, read the outbox.
@Suite struct DunningTickTests {
    @Test func anIssuedInvoiceIsPlannedAtItsFirstStepInTheSendingWindow() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1", due: "2026-06-15")
        // standard-b2b: courtesy 5 days before the due date: Wednesday 10 June, 09:00 in Paris.
        #expect(try fixture.nextAction("i1") == SchedulerFixture.instant("2026-06-10T07:00:00Z"))
        #expect(try await fixture.tick().notifications == 0, "nothing is due on 1 June")
        #expect(try fixture.commands().isEmpty)
    }

    @Test func anOlderCustomerSnapshotArrivingLateDoesNotMoveTheSchedule() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1", version: 2)
        try await fixture.issue("i1", customerId: "c1", due: "2026-06-15")
        // Version 1 (New York) arrives after version 2 (Paris): it is not stored, and the
        // invoice keeps Paris's 09:00, not New York's.
        try await fixture.register("c1", version: 1, timeZone: "America/New_York")
        #expect(try fixture.nextAction("i1") == SchedulerFixture.instant("2026-06-10T07:00:00Z"))
        // The zone kept with the invoice (payment days, insurance deadlines) stays Paris too.
        let zone = try await fixture.queue.read { try String.fetchOne($0, sql: "SELECT customer_time_zone FROM invoice WHERE id = 'i1'") }
        #expect(zone == "Europe/Paris")
    }

    @Test func twoInvoicesAtTheSameStepMakeOneConsolidatedCommand() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1", cents: 1_000_00)
        try await fixture.issue("i2", customerId: "c1", cents: 250_50)
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        let report = try await fixture.tick()
        #expect(report.notifications == 1)
        let commands = try fixture.commands()
        try #require(commands.count == 1)
        let command = commands[0]
        #expect(Set(command.invoices.map(\.invoiceId)) == ["i1", "i2"])
        #expect(command.totals.balance == Money(minorUnits: 1_250_50, currency: .eur))
        #expect(command.templateId == .courtesyReminder)
        #expect(command.recipients.map(\.email) == ["compta@client.test"])
        #expect(command.notificationId == command.derivedNotificationId)
        #expect(command.invoices.allSatisfy { $0.daysOverdue == -5 })
        let executed = try fixture.outbox(DunningStepExecuted.self)
        #expect(executed.map(\.notificationId) == [command.notificationId])
        // The next step is reminder-1, 7 days after the due date: Monday 22 June, 09:00.
        #expect(try fixture.nextAction("i1") == SchedulerFixture.instant("2026-06-22T07:00:00Z"))
    }

    @Test func aPaymentStopsTheScheduleAndAReplayChangesNothing() async throws {
        let fixture = try SchedulerFixture()
        let registered = try await fixture.register("c1")
        let issued = try await fixture.issue("i1", customerId: "c1", cents: 500_00)
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().count == 1)
        try await fixture.pay("i1", customerId: "c1", from: 500_00, to: 0)
        #expect(try fixture.nextAction("i1") == nil, "a paid invoice leaves the schedule")
        try fixture.advance(days: 90)
        try await fixture.tick()
        #expect(try fixture.commands().count == 1, "no reminder after the payment")
        // Redelivered events are no-ops; the tick finds nothing due.
        #expect(try await fixture.database.apply(registered) == .duplicate)
        #expect(try await fixture.database.apply(issued) == .duplicate)
        try await fixture.tick()
        #expect(try fixture.commands().count == 1)
    }

    @Test func afterThirtyDaysStoppedACustomerGetsOneMessagePerChannel() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1", due: "2026-06-15")
        try await fixture.issue("i2", customerId: "c1", due: "2026-06-01")
        // Stopped from 1 June to 2 July (a Thursday): courtesy, reminder-1 and reminder-2 of
        // both came due meanwhile.
        try fixture.advance(to: "2026-07-02T08:00:00Z")
        try await fixture.tick()
        let commands = try fixture.commands()
        #expect(commands.count == 1, "one e-mail for where the customer stands, not the backlog")
        // i2 is at reminder-2 (+15 = 16 June... its call +20 = 21 June is a task, also due).
        let steps = Set(commands.map(\.scenario.stepId))
        #expect(steps.count == 1)
        let timeline = try await fixture.database.customerDunning("c1")
        let skipped = timeline?.timeline.filter { $0.kind == "skipped" } ?? []
        #expect(!skipped.isEmpty, "the steps jumped over are on the timeline")
        // A second tick the same instant sends nothing more: the cooldown defers, never drops.
        try await fixture.tick()
        #expect(try fixture.commands().count == 1)
        try fixture.advance(days: 3)
        try await fixture.tick()
        #expect(try fixture.commands().count >= 1)
        #expect(Set(try fixture.commands().map(\.notificationId)).count == (try fixture.commands().count), "never twice the same id")
    }

    @Test func aDisputedInvoiceIsLeftOutOfTheReminderAndTheOtherGoesOn() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        try await fixture.issue("i2", customerId: "c1")
        try await fixture.apply(InvoiceDisputed(customerId: "c1", invoiceId: "i2", number: "F-i2", reason: "damaged goods"))
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()
        let commands = try fixture.commands()
        #expect(commands.map { $0.invoices.map(\.invoiceId) } == [["i1"]])
        let state = try await fixture.database.invoiceDunning("i2")
        #expect(state?.state.suspendedBecause == "disputed")
        // Resolved: it comes back.
        try await fixture.apply(InvoiceDisputeResolved(customerId: "c1", invoiceId: "i2", number: "F-i2", resolution: "rejected"))
        #expect(try fixture.nextAction("i2") != nil)
    }

    @Test func aPartlyDisputedInvoiceIsRemindedForTheRest() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1", cents: 1_000_00)
        try await fixture.apply(InvoiceDisputed(customerId: "c1", invoiceId: "i1", number: "F-i1", reason: "one line missing",
                                                amount: Money(minorUnits: 300_00, currency: .eur)))
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().first?.invoices.first?.balance == Money(minorUnits: 700_00, currency: .eur))
    }

    @Test func aPromiseHoldsRemindersUntilItsDayThenBreaksAndTheScenarioResumes() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        let promise = try await fixture.database.recordPromise(.init(
            customerId: "c1", invoiceIds: ["i1"], payBy: try CalendarDate(iso8601: "2026-06-25"), amount: Money(minorUnits: 1_000_00, currency: .eur)))
        #expect(promise.status == "open")
        try fixture.advance(to: "2026-06-24T08:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().isEmpty, "no reminder under a promise")
        try fixture.advance(to: "2026-06-26T08:00:00Z")
        try await fixture.tick()
        #expect(try fixture.outbox(DunningPromiseBroken.self).map(\.promiseId) == [promise.promiseId])
        #expect(try fixture.commands().count == 1, "the scenario resumed after the broken promise")
    }

    /// The step a broken promise resumes with, on `standard-b2b` (due 15 June: courtesy 10 June,
    /// reminder-1 22 June, reminder-2 30 June), published with a broken-promise rule.
    func stepAfterBrokenPromise(_ rule: BrokenPromiseRule, payBy: String, brokenAt: String) async throws -> (stepId: String?, skipped: Int) {
        let fixture = try SchedulerFixture()
        var scenario = try #require(fixture.database.catalog.latest("standard-b2b"))
        scenario.brokenPromise = rule
        let reference = try await fixture.database.publish(scenario)
        #expect(reference.version == (rule == .resume ? 1 : 2), "a new rule is a new version; the same one is not")
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        #expect(try await fixture.database.invoiceDunning("i1")?.state.scenarioVersion == reference.version)
        _ = try await fixture.database.recordPromise(.init(
            customerId: "c1", invoiceIds: ["i1"], payBy: try CalendarDate(iso8601: payBy), amount: Money(minorUnits: 1_000_00, currency: .eur)))
        try fixture.advance(to: brokenAt)
        try await fixture.tick()
        #expect(try fixture.outbox(DunningPromiseBroken.self).count == 1)
        let commands = try fixture.commands()
        #expect(commands.count <= 1)
        let skipped = try await fixture.database.customerDunning("c1")?.timeline.filter { $0.kind == "skipped" }.count ?? 0
        return (commands.first?.scenario.stepId, skipped)
    }

    @Test func aBrokenPromiseResumesOneStepStricterWhenTheScenarioSaysSo() async throws {
        // Broken on 26 June: time alone puts the invoice at reminder-1 (courtesy skipped).
        let plain = try await stepAfterBrokenPromise(.resume, payBy: "2026-06-25", brokenAt: "2026-06-26T08:00:00Z")
        #expect(plain.stepId == "reminder-1")
        #expect(plain.skipped == 1)
        let stricter = try await stepAfterBrokenPromise(.oneStepStricter, payBy: "2026-06-25", brokenAt: "2026-06-26T08:00:00Z")
        #expect(stricter.stepId == "reminder-2", "one step further, at once")
        #expect(stricter.skipped == 1, "courtesy and reminder-1 skipped, in one timeline entry")
        // A promise to 5 June is found broken when the next step is due (courtesy, 10 June):
        // stricter sends reminder-1 then instead, twelve days before its own day.
        let early = try await stepAfterBrokenPromise(.resume, payBy: "2026-06-05", brokenAt: "2026-06-10T08:00:00Z")
        #expect(early.stepId == "courtesy")
        #expect(early.skipped == 0)
        let earlyStricter = try await stepAfterBrokenPromise(.oneStepStricter, payBy: "2026-06-05", brokenAt: "2026-06-10T08:00:00Z")
        #expect(earlyStricter.stepId == "reminder-1")
        #expect(earlyStricter.skipped == 1)
    }

    @Test func remindersHoldWhileStatementsAreStaleAndGoOnceOverridden() async throws {
        let fixture = try SchedulerFixture(policy: DunningPolicy(freshnessBusinessDays: 3))
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().isEmpty, "no statement was ever imported: automatic reminders hold")
        let holds = try await fixture.database.holds()
        #expect(holds.freshnessHold)
        #expect(holds.heldInvoices == 1)
        // A statement import makes them fresh.
        try await fixture.apply(StatementImported(importId: "imp-1", fileName: nil, format: "camt.053", statements: [],
                                                  summary: .init(entriesRead: 0, paymentsCreated: 0, matched: 0, partlyMatched: 0, unmatched: 0,
                                                                 duplicatesSkipped: 0, reversals: 0, debitsIgnored: 0)))
        // The held invoice is released at once, not at the next hourly recheck.
        try await fixture.tick()
        #expect(try fixture.commands().count == 1)
        // Five business days later the guard holds again; an override lets them go.
        try fixture.advance(to: "2026-06-22T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().count == 1)
        try await fixture.database.overrideFreshness(until: try SchedulerFixture.instant("2026-06-23T00:00:00Z"), by: "test")
        try await fixture.tick()
        #expect(try fixture.commands().count == 2)
    }

    @Test func aStepDueAtNightGoesAtTheOpeningOfTheWindow() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        // Restarted on Saturday 13 June at 03:00: the courtesy step (Wednesday) is overdue,
        // but it goes out on Monday at 09:00, not now.
        try fixture.advance(to: "2026-06-13T01:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().isEmpty)
        #expect(try fixture.nextAction("i1") == SchedulerFixture.instant("2026-06-15T07:00:00Z"))
    }

    @Test func aCustomerInCollectiveProceedingsGetsAClaimFilingTaskNotAReminder() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        try await fixture.apply(CustomerLegalStatusChanged(
            customerId: "c1", customerNumber: "N-c1", status: .receivership, previousStatus: .none,
            judgmentDate: try CalendarDate(iso8601: "2026-06-05"), publicationDate: nil, courtReference: nil,
            claimFilingDeadline: try CalendarDate(iso8601: "2026-08-05")))
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().isEmpty)
        let tasks = try fixture.outbox(DunningTaskCreated.self)
        #expect(tasks.map(\.kind) == [.claimFiling])
        #expect(tasks.first?.dueOn == (try CalendarDate(iso8601: "2026-08-05")))
    }

    @Test func aManualStepWaitsForApprovalAndApprovingSendsIt() async throws {
        var scenario = try #require(try ShippedScenarios.scenarios().first { $0.name == "standard-b2b" })
        scenario.name = "approve-first"
        scenario.steps = [DunningStep(id: "r1", offsetDays: 1, channel: .email, recipient: .accounting, template: "reminder-1", mode: .manual)]
        let fixture = try SchedulerFixture(assignment: ScenarioAssignment(rules: [], defaultScenario: "approve-first"))
        _ = try await fixture.database.publish(scenario)
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        try fixture.advance(to: "2026-06-16T08:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().isEmpty)
        let tasks = try fixture.outbox(DunningTaskCreated.self)
        #expect(tasks.map(\.kind) == [.approval])
        let task = try #require(tasks.first)
        let done = try await fixture.database.complete(taskId: task.taskId, .init(outcome: .approved, note: nil, promise: nil))
        #expect(done.status == "done")
        #expect(try fixture.commands().map(\.scenario.stepId) == ["r1"])
        await #expect(throws: SchedulerError.self) {
            _ = try await fixture.database.complete(taskId: task.taskId, .init(outcome: .approved, note: nil, promise: nil))
        }
    }

    @Test func aCustomerWhoPaysLateMovesToTheFirmScenarioWithTheReason() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        for index in 1...3 {
            try await fixture.issue("late-\(index)", customerId: "c1", cents: 100_00, due: "2026-05-01")
        }
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        for index in 1...3 {
            try await fixture.pay("late-\(index)", customerId: "c1", from: 100_00, to: 0)
        }
        let changes = try fixture.outbox(DunningScenarioChanged.self)
        let tightened = try #require(changes.last)
        #expect(tightened.to.name == "firm")
        #expect(tightened.reasonCode == .paidLate)
        #expect(tightened.reason.contains("firm"))
        try await fixture.issue("new", customerId: "c1")
        #expect(try await fixture.database.invoiceDunning("new")?.state.scenario == "firm")
    }

    @Test func theContactCapDefersTheSecondMessageOfTheWeek() async throws {
        let fixture = try SchedulerFixture(policy: DunningPolicy(maxMessagesPerWindow: 1, cooldown: .seconds(0), freshnessBusinessDays: 0))
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1", due: "2026-06-15")
        try await fixture.issue("i2", customerId: "c1", due: "2026-06-16")
        try fixture.advance(to: "2026-06-10T07:00:00Z")
        try await fixture.tick()
        try fixture.advance(to: "2026-06-11T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().count == 1, "one message per rolling week")
        // Deferred to when the first message leaves the window, never dropped.
        #expect(try fixture.nextAction("i2") == SchedulerFixture.instant("2026-06-17T07:00:00Z"))
        try fixture.advance(to: "2026-06-17T07:00:00Z")
        try await fixture.tick()
        #expect(try fixture.commands().map { $0.invoices.map(\.invoiceId) } == [["i1"], ["i2"]])
    }

    @Test func theFormalNoticeClaimsInterestAndTheIndemnity() async throws {
        let fixture = try SchedulerFixture(policy: DunningPolicy(maxMessagesPerWindow: 100, cooldown: .seconds(0), freshnessBusinessDays: 0))
        try await fixture.register("c1", contacts: [SchedulerFixture.contact(role: "management")])
        try await fixture.issue("i1", customerId: "c1", cents: 1_000_00, due: "2026-06-15")
        // formal-notice: due + 30 = Wednesday 15 July (a holiday in France: Bastille Day is the 14th).
        try fixture.advance(to: "2026-07-15T08:00:00Z")
        try await fixture.tick()
        let notice = try #require(try fixture.commands().first { $0.templateId == .formalNotice })
        #expect(notice.channel == .registeredLetter)
        #expect(notice.recipients.first?.postalAddress == SchedulerFixture.address)
        let invoice = try #require(notice.invoices.first)
        #expect(invoice.recoveryIndemnity == Money(minorUnits: 40_00, currency: .eur))
        // 1,000.00 EUR for 30 days at the statutory rate: interest is claimed and positive.
        #expect(invoice.lateInterest.isPositive)
        #expect(notice.formalNotice?.annualInterestRateBasisPoints ?? 0 > 1_000)
        #expect(notice.totals.totalClaimed.minorUnits == 1_000_00 + 40_00 + invoice.lateInterest.minorUnits)
    }
}

/// The agency's updates on a case.
@Suite struct CollectionCaseTests {
    @Test func anAgencyStepOpensACaseAndItsUpdatesAreApplied() async throws {
        var scenario = DunningScenario(name: "agency-now", steps: [
            DunningStep(id: "agency", offsetDays: 10, channel: .collectionAgency, recipient: .accounting, template: "agency-handoff"),
        ])
        scenario.description = "straight to the agency"
        let fixture = try SchedulerFixture(assignment: ScenarioAssignment(rules: [], defaultScenario: "agency-now"))
        _ = try await fixture.database.publish(scenario)
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1", cents: 2_000_00)
        try fixture.advance(to: "2026-06-26T08:00:00Z")
        try await fixture.tick()
        let opened = try #require(try fixture.outbox(CollectionCaseOpened.self).first)
        #expect(opened.invoices.map(\.invoiceId) == ["i1"])
        #expect(try await fixture.database.invoiceDunning("i1")?.state.suspendedBecause == "collectionCase")

        try await fixture.apply(CollectionCaseUpdated(customerId: "c1", caseId: opened.caseId, status: .accepted))
        try await fixture.apply(CollectionCaseUpdated(customerId: "c1", caseId: opened.caseId, status: .closed,
                                                      collected: Money(minorUnits: 500_00, currency: .eur), outcome: "partiallyCollected"))
        let cases = try await fixture.database.cases(page: .init(limit: 10)).items
        #expect(cases.map(\.status) == ["closed"])
        #expect(cases.first?.collected == Money(minorUnits: 500_00, currency: .eur))
        #expect(try await fixture.database.invoiceDunning("i1")?.state.caseId == nil, "a closed case lets its invoices out")
        let timeline = try await fixture.database.customerDunning("c1")?.timeline.filter { $0.kind == "case-update" } ?? []
        #expect(timeline.count == 2)
        // An update about a case this scheduler never opened is refused (dead-lettered).
        await #expect(throws: (any Error).self) {
            try await fixture.apply(CollectionCaseUpdated(customerId: "c1", caseId: "case-unknown", status: .accepted))
        }
    }
}

/// Running schedules keep their version until migrated explicitly.
@Suite struct ScenarioMigrationTests {
    @Test func publishingLeavesRunningSchedulesAndAMigrationMovesThemToTheMappedStep() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.issue("i1", customerId: "c1")
        // Version 2 of standard-b2b drops the courtesy e-mail.
        var version2 = try #require(fixture.database.catalog.latest("standard-b2b"))
        version2.steps.removeAll { $0.id == "courtesy" }
        let published = try await fixture.database.publish(version2)
        #expect(published.version == 2)
        #expect(try await fixture.database.invoiceDunning("i1")?.state.scenarioVersion == 1, "publishing moves nothing")
        let report = try await fixture.database.migrate(scenario: "standard-b2b", fromVersion: 1, toVersion: nil)
        #expect(report.invoices == 1)
        #expect(report.steps.map(\.fromStep) == ["courtesy"])
        #expect(report.steps.map(\.toStep) == ["reminder-1"])
        #expect(report.steps.map(\.rule) == [.nextByOffset])
        let state = try #require(try await fixture.database.invoiceDunning("i1")?.state)
        #expect(state.scenarioVersion == 2)
        #expect(state.nextStepId == "reminder-1")
        // Reminder-1 (due + 7 = 22 June) is now the first thing sent.
        #expect(try fixture.nextAction("i1") == SchedulerFixture.instant("2026-06-22T07:00:00Z"))
        await #expect(throws: (any Error).self) { _ = try await fixture.database.migrate(scenario: "standard-b2b", fromVersion: 7, toVersion: 2) }
    }
}

/// A task warns before a credit-insurance declaration deadline passes.
@Suite struct CreditInsuranceTests {
    @Test func anUnpaidInsuredInvoiceGetsOneDeclarationTaskBeforeItsDeadline() async throws {
        let fixture = try SchedulerFixture()
        try await fixture.register("c1")
        try await fixture.apply(CustomerCreditInsuranceChanged(customerId: "c1", customerNumber: "N-c1", insurer: "Allianz Trade",
                                                               declarationDeadlineDays: 60))
        try await fixture.issue("i1", customerId: "c1", due: "2026-06-15")
        try await fixture.issue("i2", customerId: "c1", due: "2026-06-15")
        try await fixture.pay("i2", customerId: "c1", from: 1_000_00, to: 0)
        // Deadline 14 August; the warning comes 5 days before (Sunday 9 August: Monday 10th, 09:00).
        try fixture.advance(to: "2026-08-07T08:00:00Z")
        try await fixture.tick()
        #expect(try fixture.outbox(DunningTaskCreated.self).filter { $0.kind == .insuranceDeclaration }.isEmpty)
        try fixture.advance(to: "2026-08-10T08:00:00Z")
        try await fixture.tick()
        try await fixture.tick()
        let tasks = try fixture.outbox(DunningTaskCreated.self).filter { $0.kind == .insuranceDeclaration }
        #expect(tasks.map(\.invoiceIds) == [["i1"]], "one task, for the unpaid invoice only")
        #expect(tasks.first?.dueOn == (try CalendarDate(iso8601: "2026-08-14")))
    }
}
