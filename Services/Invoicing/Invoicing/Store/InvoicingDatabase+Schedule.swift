import Events
import Foundation
import GRDB
import Money

extension InvoicingDatabase {
    /// The most instalments a plan may have.
    public static let maximumInstalments = 36

    /// Replaces an open invoice's instalment plan; the invoice becomes due on the last
    /// instalment's date. Publishes `invoice.schedule-set` (cause `request`).
    ///
    /// Instalments move no money: the ledger is unchanged. What is open per instalment is
    /// derived from the balance (``ScheduledInstalment``).
    /// - Throws: `InvoicingError` `.notFound`; `.invalidState` when the invoice is not open;
    ///   `.missingField` (`instalments`) for an empty plan; `.limitExceeded` beyond
    ///   ``maximumInstalments``; `.currencyMismatch` an amount not in the invoice currency;
    ///   `.nonPositiveTotal` an amount of zero or less; `.invalidField` dates not strictly
    ///   ascending; `.dueBeforeIssue` a date before the issue date; `.totalsMismatch` amounts
    ///   not summing to the invoice total.
    public func setSchedule(invoiceId: String, instalments: [Instalment]) async throws -> Invoice {
        guard !instalments.isEmpty else {
            throw InvoicingError(.missingField, "give at least one instalment (due date and amount)", field: "instalments")
        }
        try InputLimits.check(count: instalments.count, atMost: Self.maximumInstalments, field: "instalments", "instalments")
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices get a payment plan")
            }
            var sum: Int64 = 0
            for (index, instalment) in instalments.enumerated() {
                let field = "instalments[\(index)]"
                guard instalment.amount.currency == invoice.currency else {
                    throw InvoicingError(.currencyMismatch, "instalment \(index + 1) is in \(instalment.amount.currency.code), the invoice in \(invoice.currency.code)",
                                         field: "\(field).amount.currency")
                }
                guard instalment.amount.isPositive else {
                    throw InvoicingError(.nonPositiveTotal, "instalment \(index + 1) must be above zero", field: "\(field).amount")
                }
                guard instalment.dueDate >= invoice.issueDate else {
                    throw InvoicingError(.dueBeforeIssue, "instalment \(index + 1) is due on \(instalment.dueDate), before the issue date \(invoice.issueDate)",
                                         field: "\(field).dueDate")
                }
                if index > 0, instalment.dueDate <= instalments[index - 1].dueDate {
                    throw InvoicingError(.invalidField, "instalment \(index + 1) is due on \(instalment.dueDate), not after instalment \(index) (\(instalments[index - 1].dueDate)); list dates in ascending order, one instalment per date",
                                         field: "\(field).dueDate")
                }
                let (added, overflow) = sum.addingReportingOverflow(instalment.amount.minorUnits)
                guard !overflow else { throw InvoicingError(.overflow, "the instalments' sum is too large", field: "instalments") }
                sum = added
            }
            guard sum == invoice.totalAmount.minorUnits else {
                throw InvoicingError(.totalsMismatch, "the instalments sum to \(Money(minorUnits: sum, currency: invoice.currency)), the invoice total is \(invoice.totalAmount); they must be equal",
                                     field: "instalments")
            }
            try db.execute(sql: "DELETE FROM invoice_instalment WHERE invoice_id = ?", arguments: [invoiceId])
            try Self.insertInstalments(instalments, invoiceId: invoiceId, db)
            let dueDate = instalments[instalments.count - 1].dueDate
            try db.execute(sql: "UPDATE invoice SET due_date = ? WHERE id = ?", arguments: [dueDate.description, invoiceId])
            try enqueue(InvoiceScheduleSet(customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number,
                                           instalments: instalments, dueDate: dueDate, cause: "request"), db)
        }
    }

    /// Moves an open invoice's due date and records why; publishes `invoice.due-date-changed`.
    /// - Throws: `InvoicingError` `.notFound`; `.missingField` (`reason`) blank reason;
    ///   `.invalidState` when the invoice is not open, has an instalment plan (set a new plan
    ///   instead) or is already due on that date; `.dueBeforeIssue` a date before the issue date.
    public func changeDueDate(invoiceId: String, to dueDate: CalendarDate, reason: String) async throws -> Invoice {
        guard !TextNormalisation.trimmed(reason).isEmpty else {
            throw InvoicingError(.missingField, "say why the due date changes", field: "reason")
        }
        let changedAt = now()
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices can get a new due date")
            }
            guard invoice.schedule.isEmpty else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is paid in instalments; change its plan (PUT /v1/invoices/\(invoiceId)/schedule) instead")
            }
            guard dueDate >= invoice.issueDate else {
                throw InvoicingError(.dueBeforeIssue, "the due date \(dueDate) is before the issue date \(invoice.issueDate)", field: "dueDate")
            }
            guard dueDate != invoice.dueDate else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is already due on \(dueDate)", field: "dueDate")
            }
            try db.execute(sql: "UPDATE invoice SET due_date = ? WHERE id = ?", arguments: [dueDate.description, invoiceId])
            try db.execute(sql: "INSERT INTO invoice_due_date_change (invoice_id, changed_at, previous_due_date, due_date, reason) VALUES (?, ?, ?, ?, ?)",
                           arguments: [invoiceId, Self.timestamp(changedAt), invoice.dueDate.description, dueDate.description, reason])
            try enqueue(InvoiceDueDateChanged(customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number,
                                              previousDueDate: invoice.dueDate, dueDate: dueDate, reason: reason), db)
        }
    }

    static func insertInstalments(_ instalments: [Instalment], invoiceId: String, _ db: Database) throws {
        for (position, instalment) in instalments.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO invoice_instalment (invoice_id, position, due_date, amount_minor) VALUES (?, ?, ?, ?)")
                .execute(arguments: [invoiceId, position, instalment.dueDate.description, instalment.amount.minorUnits])
        }
    }

    /// The invoice with its plan and due-date changes read from their tables.
    static func withPlan(_ invoice: Invoice, _ db: Database) throws -> Invoice {
        var invoice = invoice
        let instalments = try Row.fetchAll(db.cachedStatement(sql: "SELECT due_date, amount_minor FROM invoice_instalment WHERE invoice_id = ? ORDER BY position"),
                                           arguments: [invoice.id]).map { row in
            Instalment(dueDate: try CalendarDate(iso8601: row["due_date"]), amount: Money(minorUnits: row["amount_minor"], currency: invoice.currency))
        }
        invoice.schedule = ScheduledInstalment.plan(instalments, balance: invoice.balance)
        invoice.dueDateChanges = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT changed_at, previous_due_date, due_date, reason FROM invoice_due_date_change WHERE invoice_id = ? ORDER BY changed_at, rowid
            """), arguments: [invoice.id]).map { row in
            DueDateChange(previousDueDate: try CalendarDate(iso8601: row["previous_due_date"]), dueDate: try CalendarDate(iso8601: row["due_date"]),
                          reason: row["reason"], changedAt: EventJSON.parseInstant(row["changed_at"]) ?? Date(timeIntervalSince1970: 0))
        }
        return invoice
    }
}
