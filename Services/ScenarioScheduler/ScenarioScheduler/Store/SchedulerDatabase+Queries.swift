import Events
import Foundation
import GRDB
import Money
import ServiceKit

/// The read side of the API.
extension SchedulerDatabase {
    static func timeline(where clause: String, _ arguments: StatementArguments, _ db: Database) throws -> [SchedulerViews.TimelineEntry] {
        try Row.fetchAll(db, sql: """
            SELECT a.* FROM action a WHERE \(clause) ORDER BY a.at, a.id LIMIT 500
            """, arguments: arguments).map { row in
            let invoices = (row["invoice_ids"] as String?).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            return SchedulerViews.TimelineEntry(
                at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)), kind: row["kind"], scenario: row["scenario"],
                scenarioVersion: row["scenario_version"], stepId: row["step_id"], channel: row["channel"],
                notificationId: row["notification_id"], taskId: row["task_id"], caseId: row["case_id"], outcome: row["outcome"],
                detail: row["detail"], invoiceIds: invoices.sorted())
        }
    }

    func state(of invoice: DunningInvoice, nextActionAt: Int64?, customer: DunningCustomer) -> SchedulerViews.InvoiceState {
        let today = CalendarDate(date: clock.now(), in: customer.timeZone)
        let reason: String? = switch Remindability.of(invoice, customer: customer, today: today) {
        case .remindable: nil
        case .stopped(let reason), .suspended(let reason, _): reason.rawValue
        }
        let steps = catalog.scenario(invoice.scenario)?.steps ?? []
        return SchedulerViews.InvoiceState(
            invoiceId: invoice.invoiceId, customerId: invoice.customerId, number: invoice.number, status: invoice.status.rawValue,
            dueDate: invoice.dueDate, balance: invoice.balance, disputed: invoice.disputed, scenario: invoice.scenario.name,
            scenarioVersion: invoice.scenario.version, stepsDone: invoice.stepsDone,
            nextStepId: invoice.stepsDone < steps.count ? steps[invoice.stepsDone].id : nil,
            nextActionAt: nextActionAt.map { Date(timeIntervalSince1970: TimeInterval($0)) }, suspendedBecause: reason,
            held: invoice.held, promiseUntil: invoice.promiseUntil, caseId: invoice.caseId)
    }

    /// A customer's dunning, or nil when the scheduler knows nothing of it.
    public func customerDunning(_ customerId: String) async throws -> SchedulerViews.CustomerDunning? {
        try await writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT scenario, scenario_level, scenario_reason, explicit_scenario FROM customer WHERE id = ?",
                                       arguments: [customerId])
            let rows = try Row.fetchAll(db, sql: "SELECT \(Self.invoiceColumns), next_action_at FROM invoice WHERE customer_id = ? ORDER BY due_date, id LIMIT 1000",
                                        arguments: [customerId])
            guard row != nil || !rows.isEmpty else { return nil }
            var states: [SchedulerViews.InvoiceState] = []
            for invoiceRow in rows {
                let invoice = try Self.invoice(from: invoiceRow)
                let (customer, _) = try Self.customerOrStandIn(for: invoice, timeZone: invoiceRow["customer_time_zone"], db)
                states.append(self.state(of: invoice, nextActionAt: invoiceRow["next_action_at"], customer: customer))
            }
            return SchedulerViews.CustomerDunning(
                customerId: customerId, scenario: row?["scenario"], level: row?["scenario_level"] ?? 0, reason: row?["scenario_reason"],
                explicitScenario: row?["explicit_scenario"], invoices: states,
                timeline: try Self.timeline(where: "a.customer_id = ?", [customerId], db))
        }
    }

    /// An invoice's dunning, or nil when unknown.
    public func invoiceDunning(_ invoiceId: String) async throws -> SchedulerViews.InvoiceDunning? {
        try await writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT \(Self.invoiceColumns), next_action_at FROM invoice WHERE id = ?", arguments: [invoiceId])
            else { return nil }
            let invoice = try Self.invoice(from: row)
            let (customer, _) = try Self.customerOrStandIn(for: invoice, timeZone: row["customer_time_zone"], db)
            return SchedulerViews.InvoiceDunning(
                state: self.state(of: invoice, nextActionAt: row["next_action_at"], customer: customer),
                // An invoice's lines are among its customer's (`action.invoice_ids`).
                timeline: try Self.timeline(where: "a.customer_id = ? AND EXISTS (SELECT 1 FROM json_each(a.invoice_ids) WHERE value = ?)",
                                            [invoice.customerId, invoiceId], db))
        }
    }

    /// Tasks, newest first, optionally only those of a status and/or customer.
    public func tasks(status: String?, customerId: String?, page: PageRequest) async throws -> Page<SchedulerViews.Task> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM task WHERE (? IS NULL OR status = ?) AND (? IS NULL OR customer_id = ?) AND (? IS NULL OR id > ?)
                ORDER BY id LIMIT ?
                """, arguments: [status, status, customerId, customerId, after, after, page.limit + 1])
            let items = try rows.prefix(page.limit).map(Self.task(from:))
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.taskId) } : nil)
        }
    }

    static func task(from row: Row) throws -> SchedulerViews.Task {
        SchedulerViews.Task(
            taskId: row["id"], customerId: row["customer_id"], kind: row["kind"],
            invoiceIds: try JSONDecoder().decode([String].self, from: row["invoice_ids"] as Data),
            dueOn: try CalendarDate(iso8601: row["due_on"]), scenario: row["scenario"], scenarioVersion: row["scenario_version"],
            stepId: row["step_id"], contactId: row["contact_id"], status: row["status"], outcome: row["outcome"], note: row["note"],
            createdAt: row["created_at"], completedAt: row["completed_at"])
    }

    /// One task, or nil.
    public func task(_ id: String) async throws -> SchedulerViews.Task? {
        try await writer.read { db in try Row.fetchOne(db, sql: "SELECT * FROM task WHERE id = ?", arguments: [id]).map(Self.task(from:)) }
    }

    /// Promises to pay, by id.
    public func promises(customerId: String?, page: PageRequest) async throws -> Page<SchedulerViews.Promise> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM promise WHERE (? IS NULL OR customer_id = ?) AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?
                """, arguments: [customerId, customerId, after, after, page.limit + 1])
            let items = try rows.prefix(page.limit).map { row in
                SchedulerViews.Promise(
                    promiseId: row["id"], customerId: row["customer_id"],
                    invoiceIds: try JSONDecoder().decode([String].self, from: row["invoice_ids"] as Data),
                    payBy: try CalendarDate(iso8601: row["pay_by"]),
                    amount: Money(minorUnits: row["amount_minor"], currency: try Currency(code: row["currency"])),
                    status: row["status"], createdAt: row["created_at"])
            }
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.promiseId) } : nil)
        }
    }

    /// Collection cases, by id.
    public func cases(page: PageRequest) async throws -> Page<SchedulerViews.CollectionCase> {
        let after = try page.decodedCursor()
        return try await writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM collection_case WHERE (? IS NULL OR id > ?) ORDER BY id LIMIT ?",
                                        arguments: [after, after, page.limit + 1])
            let items = try rows.prefix(page.limit).map { row in
                SchedulerViews.CollectionCase(
                    caseId: row["id"], customerId: row["customer_id"],
                    invoiceIds: try JSONDecoder().decode([String].self, from: row["invoice_ids"] as Data), status: row["status"],
                    openedAt: row["opened_at"], collected: Money(minorUnits: row["collected_minor"], currency: try Currency(code: row["currency"])))
            }
            return Page(items: items, nextCursor: rows.count > page.limit ? items.last.map { PageRequest.encodeCursor($0.caseId) } : nil)
        }
    }

    /// The freshness guard.
    public func holds() async throws -> SchedulerViews.Holds {
        let now = clock.now()
        return try await writer.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM freshness WHERE id = 1")
            let held = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoice WHERE held = 1") ?? 0
            func date(_ column: String) -> Date? { (row?[column] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) } }
            return SchedulerViews.Holds(
                freshnessHold: !(try self.statementsFresh(now: now, db)), freshnessBusinessDays: self.settings.policy.freshnessBusinessDays,
                lastStatementImportAt: date("last_import_at"), overrideUntil: date("override_until"), overrideBy: row?["override_by"],
                heldInvoices: held)
        }
    }
}
