import Events
import Foundation
import GRDB

/// Credit insurance: a task warns before an invoice's declaration deadline passes (the insurer
/// covers an unpaid invoice only if it was declared overdue by its due date + the policy's
/// `declarationDeadlineDays`).
extension SchedulerDatabase {
    /// Stores the customer's policy and recomputes the warning of its open invoices.
    func applyInsurance(_ event: CustomerCreditInsuranceChanged, _ db: Database) throws {
        let data: Data? = event.insured && event.declarationDeadlineDays != nil ? try Self.json(event) : nil
        try db.cachedStatement(sql: "UPDATE customer SET insurance = ? WHERE id = ?").execute(arguments: [data, event.customerId])
        let ids = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM invoice WHERE customer_id = ? AND status IN ('open', 'partiallyPaid')"), arguments: [event.customerId])
        for id in ids { try planInsuranceWarning(invoiceId: id, db) }
    }

    /// Sets when the invoice's declaration warning is due (deadline − `insuranceWarningDays`, at
    /// the sending window's opening), or none when the customer is not insured, the due date
    /// is outside the cover, or the invoice is closed.
    func planInsuranceWarning(invoiceId: String, _ db: Database) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT i.due_date, i.status, i.customer_time_zone, c.insurance FROM invoice i LEFT JOIN customer c ON c.id = i.customer_id WHERE i.id = ?
            """), arguments: [invoiceId]) else { return }
        var warnAt: Int64?
        var deadline: CalendarDate?
        if let data: Data = row["insurance"], InvoiceStatus(rawValue: row["status"])?.isOpen == true,
           let policy = try? EventJSON.decoder.decode(CustomerCreditInsuranceChanged.self, from: data),
           let days = policy.declarationDeadlineDays, let due = try? CalendarDate(iso8601: row["due_date"]),
           policy.startsOn.map({ due >= $0 }) ?? true, policy.endsOn.map({ due <= $0 }) ?? true {
            let last = due.adding(days: days)
            deadline = last
            let zone = DunningCustomer.timeZone(named: row["customer_time_zone"])
            let warnDay = last.adding(days: -settings.policy.insuranceWarningDays)
            warnAt = Int64(settings.clock.firstSendInstant(onOrAfter: warnDay, in: zone).timeIntervalSince1970)
        }
        try db.cachedStatement(sql: "UPDATE invoice SET insurance_warn_at = ?, insurance_deadline = ? WHERE id = ?").execute(arguments: [warnAt, deadline?.description, invoiceId])
    }

    /// Creates the declaration tasks whose time has come: one per customer and deadline, for
    /// the open invoices still unpaid; each invoice is warned about once.
    func runInsuranceWarnings(now: Date, report: inout TickReport, _ db: Database) throws {
        let seconds = Int64(now.timeIntervalSince1970)
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, customer_id, insurance_deadline, status, balance_minor FROM invoice
            WHERE insurance_warn_at <= ? ORDER BY insurance_warn_at LIMIT 1000
            """), arguments: [seconds])
        guard !rows.isEmpty else { return }
        var groups: [String: [String]] = [:]
        var deadlines: [String: String] = [:]
        for row in rows {
            let id: String = row["id"]
            try db.cachedStatement(sql: "UPDATE invoice SET insurance_warn_at = NULL WHERE id = ?").execute(arguments: [id])
            guard InvoiceStatus(rawValue: row["status"])?.isOpen == true, (row["balance_minor"] as Int64) > 0,
                  let deadline: String = row["insurance_deadline"] else { continue }
            let key = (row["customer_id"] as String) + "|" + deadline
            groups[key, default: []].append(id)
            deadlines[key] = deadline
        }
        for (key, invoiceIds) in groups.sorted(by: { $0.key < $1.key }) {
            let customerId = String(key.split(separator: "|")[0])
            guard let deadlineText = deadlines[key], let deadline = try? CalendarDate(iso8601: deadlineText) else { continue }
            let reference = DunningStepReference(name: "credit-insurance", version: 1, stepId: "declaration-\(deadlineText)")
            let taskId = "task-" + NotificationRequested.notificationId(customerId: customerId, step: reference, invoiceIds: invoiceIds)
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM task WHERE id = ?"), arguments: [taskId]) != true else { continue }
            let task = DunningTaskCreated(customerId: customerId, taskId: taskId, kind: .insuranceDeclaration, invoiceIds: invoiceIds.sorted(),
                                          dueOn: deadline, step: nil, contactId: nil)
            try db.cachedStatement(sql: """
                INSERT INTO task (id, customer_id, kind, invoice_ids, due_on, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)
                """).execute(arguments: [taskId, customerId, task.kind.rawValue, try Self.json(task.invoiceIds), deadlineText, Self.timestamp(now)])
            try enqueue(task, at: now, db)
            try recordAction(customerId: customerId, kind: "task", invoiceIds: invoiceIds, taskId: taskId,
                             detail: "declare \(invoiceIds.count) unpaid invoice(s) to the credit insurer by \(deadlineText)", at: now, db)
            report.tasks += 1
        }
    }
}
