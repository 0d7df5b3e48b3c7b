import Events
import Foundation
import Money
import PropertyBased
import Testing
@testable import ScenarioScheduler

/// Random sequences of ledger events, promises, clock moves and ticks; after every tick, the
/// commands it wrote obey issue 9's promises: no reminder before its time, none outside the
/// window or on a holiday, never twice the same id, never for an invoice paid, cancelled,
/// disputed or under a promise.
@Suite struct DunningPropertyTests {
    struct Step: Sendable, CustomStringConvertible {
        var operation: Int
        var amount: Int64
        var pick: Int
        static let names = ["issue", "payFull", "payPart", "dispute", "resolve", "cancel", "hours", "days", "tick", "promise"]
        var description: String { "\(Self.names[operation])(\(amount), \(pick))" }
    }

    static let steps = zip(Gen.int(in: 0...(Step.names.count - 1)), Gen.int64(in: 1...2_000_00), Gen.int(in: 0...1_000))
        .map { Step(operation: $0, amount: $1, pick: $2) }
        .array(of: 1...60)

    struct Tracked {
        var id: String
        var customerId: String
        var due: CalendarDate
        var balance: Int64
        var disputed = false
        var cancelled = false
        var promiseUntil: CalendarDate?
    }

    @Test("after every tick of a random sequence, the commands obey the never-remind rules")
    func commandsObeyTheRules() async throws {
        await propertyCheck(count: 60, input: Self.steps) { steps in
            do {
                try await run(steps)
            } catch {
                Issue.record("the sequence threw: \(error)")
            }
        }
    }

    func run(_ steps: [Step]) async throws {
        let fixture = try SchedulerFixture()
        let customers = ["c1", "c2", "c3"]
        for customer in customers { try await fixture.register(customer) }
        let catalog = fixture.database.catalog
        var invoices: [Tracked] = []
        var seenIds: Set<String> = []
        var seenCommands = 0
        for step in steps {
            let index = invoices.isEmpty ? nil : step.pick % invoices.count
            switch Step.names[step.operation] {
            case "issue":
                let id = "i\(invoices.count)"
                let due = fixture.today.adding(days: step.pick % 50 - 10)
                let customer = customers[step.pick % customers.count]
                try await fixture.issue(id, customerId: customer, cents: step.amount, due: due.description)
                invoices.append(Tracked(id: id, customerId: customer, due: due, balance: step.amount))
            case "payFull":
                guard let index, invoices[index].balance > 0, !invoices[index].cancelled else { continue }
                try await fixture.pay(invoices[index].id, customerId: invoices[index].customerId, from: invoices[index].balance, to: 0)
                invoices[index].balance = 0
            case "payPart":
                guard let index, invoices[index].balance > 1, !invoices[index].cancelled else { continue }
                let rest = invoices[index].balance / 2
                try await fixture.pay(invoices[index].id, customerId: invoices[index].customerId, from: invoices[index].balance, to: rest)
                invoices[index].balance = rest
            case "dispute":
                guard let index, !invoices[index].disputed else { continue }
                try await fixture.apply(InvoiceDisputed(customerId: invoices[index].customerId, invoiceId: invoices[index].id,
                                                        number: "F-\(invoices[index].id)", reason: "test"))
                invoices[index].disputed = true
            case "resolve":
                guard let index, invoices[index].disputed else { continue }
                try await fixture.apply(InvoiceDisputeResolved(customerId: invoices[index].customerId, invoiceId: invoices[index].id,
                                                               number: "F-\(invoices[index].id)", resolution: "rejected"))
                invoices[index].disputed = false
            case "cancel":
                guard let index, !invoices[index].cancelled, invoices[index].balance > 0 else { continue }
                try await fixture.apply(InvoiceCancelled(customerId: invoices[index].customerId, invoiceId: invoices[index].id,
                                                         number: "F-\(invoices[index].id)", reason: "test"))
                invoices[index].cancelled = true
            case "hours":
                try fixture.advance(days: Double(step.pick % 72 + 1) / 24)
            case "days":
                try fixture.advance(days: Double(step.pick % 20 + 1))
            case "promise":
                guard let index, invoices[index].balance > 0, !invoices[index].cancelled else { continue }
                let payBy = fixture.today.adding(days: step.pick % 10 + 1)
                _ = try await fixture.database.recordPromise(.init(
                    customerId: invoices[index].customerId, invoiceIds: [invoices[index].id], payBy: payBy,
                    amount: Money(minorUnits: invoices[index].balance, currency: .eur)))
                invoices[index].promiseUntil = payBy
            default:  // tick
                let now = fixture.clock.now()
                try await fixture.tick()
                let commands = try fixture.commands()
                let new = commands.dropFirst(seenCommands)
                seenCommands = commands.count
                let today = fixture.today
                for command in new {
                    #expect(seenIds.insert(command.notificationId).inserted, "notification id \(command.notificationId) requested twice; steps: \(steps)")
                    #expect(DunningClock.standard.isAllowed(now, in: SchedulerFixture.paris), "sent outside the window at \(now); steps: \(steps)")
                    let offset = catalog.scenario(ScenarioReference(name: command.scenario.name, version: command.scenario.version))?
                        .step(id: command.scenario.stepId)?.offsetDays ?? .max
                    for claimed in command.invoices {
                        guard let tracked = invoices.first(where: { $0.id == claimed.invoiceId }) else {
                            Issue.record("unknown invoice \(claimed.invoiceId)")
                            continue
                        }
                        #expect(tracked.balance > 0 && !tracked.cancelled, "reminded \(tracked.id) paid or cancelled; steps: \(steps)")
                        #expect(!tracked.disputed, "reminded \(tracked.id) while disputed; steps: \(steps)")
                        #expect(tracked.promiseUntil.map { today > $0 } ?? true, "reminded \(tracked.id) under a promise; steps: \(steps)")
                        #expect(tracked.due.adding(days: offset) <= today, "reminded \(tracked.id) before its step's day; steps: \(steps)")
                        #expect(claimed.balance.minorUnits == tracked.balance, "claimed \(claimed.balance) but \(tracked.balance) is owed; steps: \(steps)")
                    }
                }
            }
        }
    }
}
