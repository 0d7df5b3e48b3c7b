import Dispatch
import Events
import Foundation
import GRDB
import Money
import Storage

/// What one run of the tick did.
public struct TickReport: Sendable, Hashable, Codable {
    /// Customers whose due invoices were looked at.
    public var customers = 0
    /// Invoices looked at.
    public var invoices = 0
    /// `notification.requested` commands written to the outbox.
    public var notifications = 0
    /// Tasks created (calls, approvals, claim filings).
    public var tasks = 0
    /// Collection cases opened.
    public var cases = 0
    /// Invoices whose step waits (cap, window, freshness hold).
    public var deferred = 0

    public init() {}

    mutating func add(_ other: TickReport) {
        customers += other.customers
        invoices += other.invoices
        notifications += other.notifications
        tasks += other.tasks
        cases += other.cases
        deferred += other.deferred
    }
}

extension SchedulerDatabase {
    /// Processes every invoice whose next action time has come, in batches of
    /// ``DunningPolicy/batchCustomers`` customers, each batch one transaction: the balance
    /// is re-read, the plan made, and the dunning state plus the commands it publishes
    /// written together. A crash rolls a batch back whole; a replay finds the steps done.
    /// - Returns: What was done, summed over the batches.
    @discardableResult
    public func runDueActions() async throws -> TickReport {
        var total = if let checkpointer {
            // The WAL is copied into the store file on another connection meanwhile: the
            // writer's own checkpoints were waits on the thread that bounds the tick.
            try await checkpointer.whileTicking { betweenBatches in try await runBatches(betweenBatches: betweenBatches) }
        } else {
            try await runBatches(betweenBatches: {})
        }
        let now = clock.now()
        let warnings = try await write { db in
            var report = TickReport()
            try self.runInsuranceWarnings(now: now, report: &report, db)
            return report
        }
        total.add(warnings)
        return total
    }

    /// Runs batches until nothing is due.
    /// - Parameter betweenBatches: Called after each batch's commit, outside any transaction.
    private func runBatches(betweenBatches: @Sendable () async throws -> Void) async throws -> TickReport {
        var total = TickReport()
        while true {
            let now = clock.now()
            let batch: TickReport?
            if checkpointer != nil {
                batch = try await writer.writeWithoutTransaction { db in
                    try WALCheckpointer.withoutAutocheckpoint(db) { db in try self.runBatch(now: now, db) }
                }
                onEventsWritten()
            } else {
                batch = try await write { db in try self.runBatch(now: now, db) }
            }
            guard let batch else { break }
            total.add(batch)
            try await betweenBatches()
        }
        return total
    }

    /// One batch; nil when nothing is due.
    ///
    /// Three stages in the one transaction: the batch's due rows are read, customers are
    /// planned and their commands encoded (pure) on the other cores, chunk by chunk, while
    /// this thread writes the chunks already planned, in order. Each customer's plan reads
    /// only its own rows and its writes touch only its own, so the result is the sequential
    /// tick's (`DunningTickTests` compares them).
    func runBatch(now: Date, _ db: Database) throws -> TickReport? {
        let seconds = Int64(now.timeIntervalSince1970)
        let limit = settings.policy.batchCustomers
        let customerIds = try String.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT customer_id FROM (SELECT customer_id FROM invoice WHERE next_action_at <= ? ORDER BY next_action_at LIMIT ?)
            """), arguments: [seconds, limit * 4])
        guard !customerIds.isEmpty else { return nil }
        var report = TickReport()
        let fresh = try statementsFresh(now: now, db)
        let planner = self.planner
        let recheck = Int64(now.addingTimeInterval(settings.policy.recheck.timeInterval).timeIntervalSince1970)
        let windowStart = Int64(now.addingTimeInterval(-settings.policy.capWindow.timeInterval).timeIntervalSince1970)
        let source = self.source
        let pipeline = PlanningPipeline<[DueCustomer], [PlannedCustomer]>(parallel: parallelPlanning) { chunk in
            try chunk.map { try Self.plan($0, planner: planner, now: now, statementsFresh: fresh, source: source) }
        }
        // Looked up once per batch: `cachedStatement(sql:)` hashes the SQL text at every call,
        // and these run once per due customer or invoice.
        let statements = try TickStatements(db)
        var submitted: [Int] = []
        var chunk: [DueCustomer] = []
        for customerId in customerIds.prefix(limit) {
            // Cached statements in the per-customer and per-invoice paths: compiling a
            // statement (GRDB's authorizer included) cost more than running it.
            // Decoded from the cursor's rows, which read the statement in place: `fetchAll`
            // copied every column into a `Row` first (relance-scheduler-bench).
            var due: [DunningInvoice] = []
            // The rowid of each due invoice: its update finds the row without the `id` index.
            var rowIds: [Int64] = []
            let select = statements.selectDue
            select.setUncheckedArguments([customerId, seconds])
            try Row.fetchCursor(select).forEach { row in
                due.append(try Self.invoice(from: row))
                rowIds.append(row[Self.invoiceColumnCount])
            }
            report.customers += 1
            report.invoices += due.count
            guard let stored = try Self.loadStoredCustomer(customerId, db) else {
                // Invoices arrived before their customer: wait for the customers topic.
                try db.cachedStatement(sql: "UPDATE invoice SET next_action_at = ? WHERE customer_id = ? AND next_action_at <= ?")
                    .execute(arguments: [recheck, customerId, seconds])
                report.deferred += due.count
                continue
            }
            statements.recentMessages.setUncheckedArguments([customerId, windowStart])
            let recent = try Int64.fetchAll(statements.recentMessages).map { Date(timeIntervalSince1970: TimeInterval($0)) }
            chunk.append(DueCustomer(stored: stored, due: due, rowIds: rowIds, recentMessages: recent))
            if chunk.count >= Self.planningChunk {
                submitted.append(pipeline.submit(chunk))
                chunk = []
            }
        }
        if !chunk.isEmpty { submitted.append(pipeline.submit(chunk)) }
        var written: [[PlannedCustomer]] = []
        written.reserveCapacity(submitted.count)
        for index in submitted {
            let planned = try pipeline.result(index)
            for customer in planned {
                try apply(customer.plan, customer: customer.customer, encoded: customer.encoded, prepared: customer.updates, statements: statements,
                          now: now, report: &report, db)
            }
            written.append(planned)
        }
        // Freed on another thread: releasing a batch's plans, commands and argument lists (a
        // few thousand allocations) was about 6 % of the writer's time, the thread that bounds
        // the tick.
        DispatchQueue.global().async { [written] in withExtendedLifetime(written) {} }
        return report
    }

    /// The statements the tick runs per due customer, invoice or notification, looked up once
    /// per batch (a busy tick runs them about a million times).
    struct TickStatements {
        let selectDue: Statement
        let recentMessages: Statement
        let updateByRowId: Statement
        let updateById: Statement
        let notificationRequested: Statement
        let action: Statement
        let outbox: Outbox.Inserter

        init(_ db: Database) throws {
            selectDue = try db.cachedStatement(sql: SchedulerDatabase.selectDueSQL)
            recentMessages = try db.cachedStatement(sql: "SELECT at FROM action WHERE customer_id = ? AND kind = 'notification' AND at > ?")
            updateByRowId = try db.cachedStatement(sql: SchedulerDatabase.updateStateByRowId)
            updateById = try db.cachedStatement(sql: SchedulerDatabase.updateStateById)
            notificationRequested = try db.cachedStatement(sql: SchedulerDatabase.notificationRequestedSQL)
            action = try db.cachedStatement(sql: SchedulerDatabase.insertActionSQL)
            outbox = try Outbox.Inserter(db)
        }
    }

    /// A customer's due invoices with their rowids (``invoiceColumns`` then `rowid`).
    static let selectDueSQL = "SELECT \(invoiceColumns), rowid FROM invoice WHERE customer_id = ? AND next_action_at <= ?"
    /// The replay guard: whether a notification id is on the timeline already.
    static let notificationRequestedSQL = "SELECT 1 FROM action WHERE notification_id = ?"

    /// Customers planned per chunk of the pipeline: small enough that the writer starts soon
    /// and the cores share the work evenly, large enough that handing over costs nothing.
    static let planningChunk = 16

    /// A due customer as read in the tick's transaction.
    struct DueCustomer: Sendable {
        var stored: StoredCustomer
        /// Its due invoices (GRDB rows are not `Sendable`: decoded on the writer).
        var due: [DunningInvoice]
        /// The rowid of each of `due`, in the same order.
        var rowIds: [Int64]
        var recentMessages: [Date]
    }

    /// A customer's plan, with the JSON of the notifications it requests.
    struct PlannedCustomer: Sendable {
        var customer: DunningCustomer
        var plan: CustomerPlan
        /// Per execution of `plan`, in order: the encoded command and step for a notification.
        var encoded: [EncodedNotification?]
        /// Per update of `plan`, in order: its statement's arguments.
        var updates: [PreparedUpdate]
    }

    /// A `notification.requested` and its `dunning.step-executed` as outbox rows (event id,
    /// time and JSON, their statement arguments built), made off the writer.
    struct EncodedNotification: Sendable {
        var command: Outbox.PreparedRow
        var executed: Outbox.PreparedRow
        /// Its timeline line's arguments.
        var action: StatementArguments
    }

    /// An invoice's state update with its arguments bound in advance, off the writer: building
    /// GRDB's argument lists was a tenth of the writer's samples (one update per due invoice).
    struct PreparedUpdate: Sendable {
        /// Whether `arguments` ends with the rowid (else with the invoice id).
        var byRowId: Bool
        var arguments: StatementArguments
    }

    /// Plans one customer and encodes what it requests: pure, run on any thread.
    static func plan(_ input: DueCustomer, planner: DunningPlanner, now: Date, statementsFresh: Bool, source: String) throws -> PlannedCustomer {
        let customer = try customer(from: input.stored)
        let plan = planner.plan(customer: customer, due: input.due, now: now, recentMessages: input.recentMessages,
                                statementsFresh: statementsFresh)
        var writer = EventJSONWriter()
        let encoded = plan.executions.map { execution -> EncodedNotification? in
            guard case .notification(let command) = execution.output else { return nil }
            writer.reset()
            command.writeJSON(to: &writer)
            let commandData = writer.data
            writer.reset()
            execution.executed.writeJSON(to: &writer)
            return EncodedNotification(command: Outbox.PreparedRow(envelope(command, data: commandData, source: source, at: now), on: NotificationRequested.topic),
                                       executed: Outbox.PreparedRow(envelope(execution.executed, data: writer.data, source: source, at: now),
                                                                    on: DunningStepExecuted.topic),
                                       action: notificationAction(command, executed: execution.executed, customerId: customer.customerId, at: now))
        }
        var rowIds: [String: Int64] = [:]
        rowIds.reserveCapacity(input.due.count)
        for (invoice, rowId) in zip(input.due, input.rowIds) { rowIds[invoice.invoiceId] = rowId }
        let seconds = Int64(now.timeIntervalSince1970)
        let updates = plan.updates.map { update in
            let rowId = rowIds[update.invoiceId]
            let key: any DatabaseValueConvertible = if let rowId { rowId } else { update.invoiceId }
            return PreparedUpdate(byRowId: rowId != nil, arguments: stateArguments(update, key: key, now: seconds))
        }
        return PlannedCustomer(customer: customer, plan: plan, encoded: encoded, updates: updates)
    }

    /// The timeline line of a notification requested.
    static func notificationAction(_ command: NotificationRequested, executed: DunningStepExecuted, customerId: String, at now: Date) -> StatementArguments {
        let step = executed.step
        return actionArguments(
            customerId: customerId, kind: "notification", invoiceIds: executed.invoiceIds,
            scenario: ScenarioReference(name: step.name, version: step.version), stepId: step.stepId, channel: command.channel.rawValue,
            notificationId: command.notificationId, outcome: "requested",
            detail: "\(command.templateId.rawValue) to \(command.recipients.count) recipient(s), \(command.totals.totalClaimed) claimed", at: now)
    }

    /// The outbox row of an event encoded before (the tick's planners make them off the writer).
    static func envelope<Event: DomainEvent>(_ event: Event, data: Data, source: String, at time: Date) -> Envelope {
        Envelope(type: Event.eventType, source: source, time: time, subject: event.subject, key: event.partitionKey, data: data)
    }

    /// The seven arguments of ``updateStateByRowId`` / ``updateStateById``.
    static func stateArguments(_ update: CustomerPlan.InvoiceUpdate, key: any DatabaseValueConvertible, now seconds: Int64) -> StatementArguments {
        // Never leave a due row due: it would be picked again forever.
        let next = update.nextActionAt.map { max(Int64($0.timeIntervalSince1970.rounded(.up)), seconds + 1) }
        return [update.stepsDone, next, update.held, update.notBefore?.description, update.caseId, update.promiseExpired, key]
    }

    /// Whether automatic reminders may go: the guard is off, overridden, or the newest
    /// statement was imported at most N business days ago.
    func statementsFresh(now: Date, _ db: Database) throws -> Bool {
        let days = settings.policy.freshnessBusinessDays
        guard days > 0 else { return true }
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_import_at, override_until FROM freshness WHERE id = 1"))
        if let until: Int64 = row?["override_until"], until > Int64(now.timeIntervalSince1970) { return true }
        guard let last: Int64 = row?["last_import_at"] else { return false }
        let zone = TimeZone(identifier: "Europe/Paris") ?? .current
        let imported = CalendarDate(date: Date(timeIntervalSince1970: TimeInterval(last)), in: zone)
        let today = CalendarDate(date: now, in: zone)
        return settings.clock.calendar.businessDays(from: imported, to: today) <= days
    }

    /// Writes a customer's plan.
    /// - Parameters:
    ///   - encoded: Per execution, its notification already encoded (else encoded here).
    ///   - prepared: Per update, its arguments bound in advance (else bound here, by invoice id).
    ///   - statements: The batch's statements.
    func apply(_ plan: CustomerPlan, customer: DunningCustomer, encoded: [EncodedNotification?] = [], prepared: [PreparedUpdate] = [],
               statements: TickStatements, now: Date, report: inout TickReport, _ db: Database) throws {
        let seconds = Int64(now.timeIntervalSince1970)
        for (index, execution) in plan.executions.enumerated() {
            try carryOut(execution, customer: customer, encoded: index < encoded.count ? encoded[index] : nil, statements: statements,
                         now: now, report: &report, db)
        }
        for note in plan.notes {
            try recordAction(customerId: plan.customerId, kind: note.kind, invoiceIds: note.invoiceIds, detail: note.detail, at: now, db)
        }
        for (index, update) in plan.updates.enumerated() {
            if update.deferred { report.deferred += 1 }
            let prepared = index < prepared.count
                ? prepared[index] : PreparedUpdate(byRowId: false, arguments: Self.stateArguments(update, key: update.invoiceId, now: seconds))
            // Unchecked arguments on the cached statement: the seven values always match its
            // seven parameters, and GRDB's validation plus temporary bindings were a tenth of
            // the writer's time (one update per due invoice).
            let statement = prepared.byRowId ? statements.updateByRowId : statements.updateById
            statement.setUncheckedArguments(prepared.arguments)
            try statement.execute()
        }
        if !plan.brokenPromiseInvoiceIds.isEmpty {
            try breakPromises(customerId: plan.customerId, invoiceIds: plan.brokenPromiseInvoiceIds, now: now, db)
        }
    }

    private static let updateState = """
        UPDATE invoice SET steps_done = ?, next_action_at = ?, held = ?, not_before = ?, case_id = ?,
            promise_until = CASE WHEN ? THEN NULL ELSE promise_until END
        """
    static let updateStateById = updateState + " WHERE id = ?"
    static let updateStateByRowId = updateState + " WHERE rowid = ?"

    func carryOut(_ execution: CustomerPlan.Execution, customer: DunningCustomer, encoded: EncodedNotification? = nil,
                  statements: TickStatements, now: Date, report: inout TickReport, _ db: Database) throws {
        let step = execution.executed.step
        let scenario = ScenarioReference(name: step.name, version: step.version)
        let ids = execution.executed.invoiceIds
        // One timeline line per list of steps skipped, linked to every invoice that skipped
        // them: a catch-up skips the same steps for most of a customer's invoices, and a line
        // per invoice was a third of the catch-up's writes (relance-scheduler-bench).
        var invoicesBySkipped: [[String]: [String]] = [:]
        for (invoiceId, skipped) in execution.skipped where !skipped.isEmpty {
            invoicesBySkipped[skipped, default: []].append(invoiceId)
        }
        for (skipped, invoiceIds) in invoicesBySkipped.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            try recordAction(customerId: customer.customerId, kind: "skipped", invoiceIds: invoiceIds.sorted(), scenario: scenario,
                             detail: "skipped on the way to step \(step.stepId): \(skipped.joined(separator: ", ")) not sent (their time had passed, or a broken promise resumed one step stricter)",
                             at: now, db)
        }
        switch execution.output {
        case .notification(let command):
            // The id is deterministic: if it was requested before, requesting it again would
            // be the duplicate reminder users hate most.
            let replayGuard = statements.notificationRequested
            replayGuard.setUncheckedArguments([command.notificationId])
            if try Bool.fetchOne(replayGuard) == true { return }
            if let encoded {
                try statements.outbox.insert(encoded.command)
                try statements.outbox.insert(encoded.executed)
            } else {
                try enqueue(command, at: now, db)
                try enqueue(execution.executed, at: now, db)
            }
            try Self.insertAction(encoded?.action ?? Self.notificationAction(command, executed: execution.executed, customerId: customer.customerId, at: now),
                                  statement: statements.action, db)
            report.notifications += 1
        case .task(let task):
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM task WHERE id = ?"), arguments: [task.taskId]) == true { return }
            try db.cachedStatement(sql: """
                INSERT INTO task (id, customer_id, kind, invoice_ids, due_on, scenario, scenario_version, step_id, contact_id, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)
                """).execute(arguments: [task.taskId, task.customerId, task.kind.rawValue, try Self.json(task.invoiceIds), task.dueOn.description,
                                 task.step?.name, task.step?.version, task.step?.stepId, task.contactId, Self.timestamp(now)])
            try enqueue(task, at: now, db)
            try enqueue(execution.executed, at: now, db)
            try recordAction(customerId: customer.customerId, kind: "task", invoiceIds: ids, scenario: scenario, stepId: step.stepId,
                             channel: execution.executed.channel.rawValue, taskId: task.taskId,
                             detail: task.kind == .approval ? "waiting for a person to approve step \(step.stepId)" : "\(task.kind.rawValue) task",
                             at: now, db)
            report.tasks += 1
        case .collectionCase(var opened):
            if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM collection_case WHERE id = ?"), arguments: [opened.caseId]) == true { return }
            opened.history = try history(customerId: customer.customerId, timeZone: customer.timeZone, db)
            try db.cachedStatement(sql: """
                INSERT INTO collection_case (id, customer_id, invoice_ids, status, opened_at, currency, updated_at)
                VALUES (?, ?, ?, 'open', ?, ?, ?)
                """).execute(arguments: [opened.caseId, customer.customerId, try Self.json(ids), Self.timestamp(now),
                                 opened.totals.balance.currency.code, Self.timestamp(now)])
            try enqueue(opened, at: now, db)
            try enqueue(execution.executed, at: now, db)
            try recordAction(customerId: customer.customerId, kind: "case", invoiceIds: ids, scenario: scenario, stepId: step.stepId,
                             channel: "collectionAgency", caseId: opened.caseId, detail: "handed to the collection agency: \(opened.totals.totalClaimed)",
                             at: now, db)
            report.cases += 1
        }
    }

    /// The customer's dunning history for a collection case: every step carried out.
    func history(customerId: String, timeZone: TimeZone, _ db: Database) throws -> [CollectionCaseOpened.HistoryEntry] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT at, channel, step_id, detail FROM action WHERE customer_id = ? AND kind IN ('notification', 'task') ORDER BY at, id
            """), arguments: [customerId]).map { row in
            CollectionCaseOpened.HistoryEntry(
                date: CalendarDate(date: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)), in: timeZone),
                channel: DunningStepChannel(rawValue: row["channel"] ?? "email"), stepId: row["step_id"] ?? "", summary: row["detail"] ?? "")
        }
    }

    func breakPromises(customerId: String, invoiceIds: [String], now: Date, _ db: Database) throws {
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT DISTINCT p.id, p.invoice_ids, p.pay_by, p.amount_minor, p.currency FROM promise p, json_each(p.invoice_ids) j
            WHERE p.customer_id = ? AND p.status = 'open' AND j.value IN (SELECT value FROM json_each(?))
            """), arguments: [customerId, String(decoding: try Self.json(invoiceIds), as: UTF8.self)])
        for row in rows {
            let currency = try Currency(code: row["currency"])
            let promised: [String] = try JSONDecoder().decode([String].self, from: row["invoice_ids"] as Data)
            try db.cachedStatement(sql: "UPDATE promise SET status = 'broken', closed_at = ? WHERE id = ?").execute(arguments: [Self.timestamp(now), row["id"] as String])
            let event = DunningPromiseBroken(
                customerId: customerId, promiseId: row["id"], invoiceIds: promised, payBy: try CalendarDate(iso8601: row["pay_by"]),
                amount: Money(minorUnits: row["amount_minor"], currency: currency), received: .zero(currency))
            try enqueue(event, at: now, db)
            try recordAction(customerId: customerId, kind: "promise-broken", invoiceIds: promised,
                             detail: "promise to pay \(event.amount) by \(event.payBy) not kept: the scenario resumes", at: now, db)
        }
        try reassign(customerId, hint: .promiseBroken, at: now, db)
    }
}
