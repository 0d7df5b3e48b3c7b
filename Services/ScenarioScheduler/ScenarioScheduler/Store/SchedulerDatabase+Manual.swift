import Events
import Foundation
import GRDB
import Money
import ServiceKit
import Synchronization

/// What people do through the API: publish scenarios, assign one to a customer, complete
/// tasks (approving a manual step carries it out), record promises, override the freshness hold.
extension SchedulerDatabase {
    /// Publishes a scenario version (stored, then in the catalog). Publishing the same steps
    /// as the newest version adds nothing.
    /// - Throws: `ScenarioCatalogError` with the validation problems.
    public func publish(_ scenario: DunningScenario) async throws -> ScenarioReference {
        var candidate = catalog
        let reference = try candidate.publish(scenario)
        guard let published = candidate.scenario(reference) else { return reference }
        let yaml = ScenarioYAML.encode(published)
        let now = clock.now()
        try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO scenario_version (name, version, yaml, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [reference.name, reference.version, yaml, Self.timestamp(now)])
        }
        catalogState.value.withLock { current in
            if current.scenario(reference) == nil { _ = try? current.publish(published) }
        }
        return reference
    }

    /// Assigns a scenario to a customer by hand (nil removes the explicit assignment).
    /// - Throws: ``SchedulerError`` when the scenario or the customer is unknown.
    public func assign(customerId: String, scenario: String?) async throws {
        if let scenario, catalog.latest(scenario) == nil {
            throw SchedulerError.invalid("no scenario named '\(scenario)'; known: \(catalog.names.joined(separator: ", "))")
        }
        let now = clock.now()
        try await write { db in
            try db.execute(sql: "UPDATE customer SET explicit_scenario = ? WHERE id = ?", arguments: [scenario, customerId])
            guard db.changesCount > 0 else { throw SchedulerError.notFound("no customer with id \(customerId) (the customers topic has not announced it)") }
            try self.reassign(customerId, hint: .manual, at: now, db)
        }
    }

    /// The body of a task completion.
    public struct TaskCompletion: Codable, Sendable {
        public var outcome: DunningTaskOutcome
        public var note: String?
        /// With outcome `promiseToPay`: what the customer promised.
        public var promise: PromiseToPay?
    }

    /// Completes an open task. Approving an approval task carries its step out now (for the
    /// invoices still remindable); a call ending in a promise records it.
    /// - Throws: ``SchedulerError`` (unknown task, already done, missing promise).
    public func complete(taskId: String, _ completion: TaskCompletion) async throws -> SchedulerViews.Task {
        let now = clock.now()
        let planner = self.planner
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM task WHERE id = ?", arguments: [taskId]) else {
                throw SchedulerError.notFound("no task with id \(taskId)")
            }
            guard (row["status"] as String) == "open" else { throw SchedulerError.conflict("task \(taskId) is already done") }
            let customerId: String = row["customer_id"]
            let kind = DunningTaskKind(rawValue: row["kind"])
            let invoiceIds = try JSONDecoder().decode([String].self, from: row["invoice_ids"] as Data)
            if completion.outcome == .promiseToPay, completion.promise == nil {
                throw SchedulerError.invalid("outcome promiseToPay needs a promise: {\"payBy\": \"YYYY-MM-DD\", \"amount\": {...}}")
            }
            try db.execute(sql: "UPDATE task SET status = 'done', outcome = ?, note = ?, completed_at = ? WHERE id = ?",
                           arguments: [completion.outcome.rawValue, completion.note, Self.timestamp(now), taskId])
            try self.enqueue(DunningTaskCompleted(customerId: customerId, taskId: taskId, kind: kind, invoiceIds: invoiceIds,
                                                  outcome: completion.outcome, promise: completion.promise, note: completion.note), at: now, db)
            try self.recordAction(customerId: customerId, kind: "task-completed", invoiceIds: invoiceIds, taskId: taskId,
                                  detail: "\(kind.rawValue): \(completion.outcome.rawValue)" + (completion.note.map { " (\($0))" } ?? ""), at: now, db)
            if let promise = completion.promise, completion.outcome == .promiseToPay {
                try self.recordPromise(customerId: customerId, invoiceIds: invoiceIds, promise: promise, taskId: taskId, now: now, db)
            }
            guard kind == .approval, completion.outcome == .approved,
                  let name: String = row["scenario"], let version: Int = row["scenario_version"], let stepId: String = row["step_id"],
                  let scenario = planner.catalog.scenario(ScenarioReference(name: name, version: version)),
                  let stepIndex = scenario.steps.firstIndex(where: { $0.id == stepId }),
                  let customer = try Self.loadCustomer(customerId, db) else { return }
            var step = scenario.steps[stepIndex]
            step.mode = .automatic
            let today = CalendarDate(date: now, in: customer.timeZone)
            let members = try invoiceIds.compactMap { try Self.loadInvoice($0, db) }
                .filter { Remindability.of($0, customer: customer, today: today) == .remindable }
            guard !members.isEmpty else { return }
            let execution = planner.execute(step: step, stepIndex: stepIndex, scenario: scenario.reference, members: members, skipped: [:],
                                            customer: customer, now: now, today: today)
            if case .task = execution.output { return }  // still nobody to write to: the approval stands done
            var report = TickReport()
            try self.carryOut(execution, customer: customer, statements: TickStatements(db), now: now, report: &report, db)
            if case .collectionCase(let opened) = execution.output {
                for member in members {
                    try db.execute(sql: "UPDATE invoice SET case_id = ?, next_action_at = NULL WHERE id = ?", arguments: [opened.caseId, member.invoiceId])
                }
            }
        }
        guard let task = try await task(taskId) else { throw SchedulerError.notFound("no task with id \(taskId)") }
        return task
    }

    /// The body of `POST /v1/promises`.
    public struct PromiseRequest: Codable, Sendable {
        public var customerId: String
        public var invoiceIds: [String]
        public var payBy: CalendarDate
        public var amount: Money
    }

    /// Records a promise to pay: its invoices are not reminded until `payBy`; if it passes
    /// unpaid, the promise is broken and the scenario resumes.
    public func recordPromise(_ request: PromiseRequest) async throws -> SchedulerViews.Promise {
        let now = clock.now()
        let id = try await write { db in
            try self.recordPromise(customerId: request.customerId, invoiceIds: request.invoiceIds,
                                   promise: PromiseToPay(payBy: request.payBy, amount: request.amount), taskId: nil, now: now, db)
        }
        guard let promise = try await promises(customerId: request.customerId, page: .init(limit: 500)).items.first(where: { $0.promiseId == id }) else {
            throw SchedulerError.notFound("promise \(id) vanished")
        }
        return promise
    }

    @discardableResult
    func recordPromise(customerId: String, invoiceIds: [String], promise: PromiseToPay, taskId: String?, now: Date, _ db: Database) throws -> String {
        guard !invoiceIds.isEmpty else { throw SchedulerError.invalid("invoiceIds: name at least one invoice") }
        guard promise.amount.isPositive else { throw SchedulerError.invalid("amount: a promise is for a positive amount") }
        for id in invoiceIds {
            let row = try Row.fetchOne(db, sql: "SELECT customer_id, currency FROM invoice WHERE id = ?", arguments: [id])
            guard let row, (row["customer_id"] as String) == customerId else {
                throw SchedulerError.invalid("invoiceIds: \(id) is not an invoice of customer \(customerId)")
            }
            // A promise is compared with what the invoices still owe: never across currencies.
            let currency: String = row["currency"]
            guard currency == promise.amount.currency.code else {
                throw SchedulerError.invalid("amount.currency: invoice \(id) is in \(currency); promise an amount in \(currency)")
            }
        }
        let today = CalendarDate(date: now, in: TimeZone(identifier: "Europe/Paris") ?? .current)
        guard promise.payBy >= today else { throw SchedulerError.invalid("payBy: \(promise.payBy) is in the past") }
        let id = "promise-" + UUID().uuidString.lowercased()
        try db.execute(sql: """
            INSERT INTO promise (id, customer_id, invoice_ids, pay_by, amount_minor, currency, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)
            """, arguments: [id, customerId, try Self.json(invoiceIds), promise.payBy.description, promise.amount.minorUnits,
                             promise.amount.currency.code, Self.timestamp(now)])
        for invoiceId in invoiceIds {
            try db.execute(sql: "UPDATE invoice SET promise_until = ?, promise_id = ? WHERE id = ?", arguments: [promise.payBy.description, id, invoiceId])
            try reschedule(invoiceId, db)
        }
        try enqueue(DunningPromiseRecorded(customerId: customerId, promiseId: id, invoiceIds: invoiceIds, payBy: promise.payBy,
                                           amount: promise.amount, taskId: taskId), at: now, db)
        try recordAction(customerId: customerId, kind: "promise-recorded", invoiceIds: invoiceIds,
                         detail: "promise to pay \(promise.amount) by \(promise.payBy)", at: now, db)
        return id
    }

    /// Lets automatic reminders go despite stale statements until `until`.
    public func overrideFreshness(until: Date, by person: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE freshness SET override_until = ?, override_by = ? WHERE id = 1",
                           arguments: [Int64(until.timeIntervalSince1970), person])
            // Held invoices are looked at again now.
            try db.execute(sql: "UPDATE invoice SET next_action_at = ? WHERE held = 1", arguments: [Int64(self.clock.now().timeIntervalSince1970)])
        }
    }
}
