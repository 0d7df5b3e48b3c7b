import Events
import Foundation
import GRDB
import Money
import Storage

extension InvoicingDatabase {
    /// One change of an invoice's amounts, with what the events about it need.
    struct BalanceMove: Sendable {
        /// The change.
        var move: InvoiceLedger.Move
        /// The `cause` of the `invoice.balance-changed` to publish; `nil` publishes none (a
        /// cancellation: that event's list of causes is closed and does not name it).
        var balanceChangedCause: String?
        /// The cause `invoice.settled` names if the move brings the open balance to zero.
        var settlementCause: InvoiceSettlementCause
        /// The day the move happened, in the customer's calendar: `settledOn` / `reopenedOn`.
        var day: CalendarDate
        /// The payment behind an allocation or a reversal.
        var paymentId: String? = nil
        /// The credit note behind a credit.
        var creditNoteId: String? = nil
    }

    /// Applies one balance move to an invoice inside the caller's transaction, and publishes
    /// what it means.
    ///
    /// The new amounts and status come from ``InvoiceLedger/applying(_:)`` (which refuses a
    /// move breaking the invariant) and are written in one statement, so the table's CHECK
    /// constraints see a consistent row; the row is then read back and checked again. Events,
    /// in this order: `invoice.balance-changed` (unless the move has no such cause), then
    /// `invoice.settled` when the open balance reached zero or `invoice.reopened` when it left
    /// zero, then `invoice.paid` the first time the invoice becomes `paid`. Finally the
    /// customer's credit limit is checked again.
    /// - Parameters:
    ///   - invoice: The invoice as it was read in this transaction.
    ///   - move: The change and its context.
    ///   - db: The write transaction.
    /// - Returns: The invoice afterwards.
    /// - Throws: ``InvoiceLedgerError`` (a defect: the caller's transaction must roll back), or
    ///   a database or encoding error.
    func moveBalance(of invoice: Invoice, _ move: BalanceMove, _ db: Database) throws -> Invoice {
        let (before, paidAnnounced) = try Self.ledger(invoiceId: invoice.id, db)
        let after: InvoiceLedger
        do {
            after = try before.applying(move.move)
        } catch {
            throw error.about(invoice.id)
        }
        // The value date of the last payment received: the one that settled the invoice, or
        // the last one before the credit note or write-off that did. Customer credit that came
        // from money received counts as a payment on the day it was applied.
        let paidOn = after.status == .paid
            ? try String.fetchOne(db, sql: """
                SELECT MAX(day) FROM (
                    SELECT value_date AS day FROM allocation WHERE invoice_id = ?1 AND reversed = 0 AND applied_minor > 0
                    UNION ALL
                    SELECT a.applied_on FROM credit_application a JOIN credit_item c ON c.id = a.credit_item_id
                    WHERE a.invoice_id = ?1 AND a.reversed_minor < a.amount_minor AND c.source <> 'creditNote')
                """, arguments: [invoice.id])
            : nil
        let announcePaid = after.status == .paid && !paidAnnounced
        let cancelledOn = move.move == .cancellation ? move.day.description : nil
        try Self.translateLedgerViolation(invoiceId: invoice.id) {
            try db.execute(sql: """
                UPDATE invoice SET paid_minor = ?, credited_minor = ?, written_off_minor = ?, voided_minor = ?, open_minor = ?,
                    status = ?, paid_on = ?, paid_announced = paid_announced OR ?, cancelled_on = COALESCE(?, cancelled_on)
                WHERE id = ?
                """, arguments: [
                    after.paid, after.credited, after.writtenOff, after.voided, after.open,
                    after.status.rawValue, paidOn, announcePaid, cancelledOn, invoice.id,
                ])
        }
        let (stored, _) = try Self.ledger(invoiceId: invoice.id, db)
        guard stored == after else {
            throw InvoiceLedgerError(invoiceId: invoice.id, reason: "stored \(stored), expected \(after)")
        }
        do {
            try stored.validate()
        } catch {
            throw error.about(invoice.id)
        }
        let updated = try Self.requireInvoice(id: invoice.id, db)

        if let cause = move.balanceChangedCause {
            try enqueueBalanceChanged(from: invoice, to: updated, cause: cause, paymentId: move.paymentId, db)
        }
        if before.isSettled(by: after) {
            let currency = updated.currency
            try enqueue(InvoiceSettled(
                customerId: updated.customerId, invoiceId: updated.id, number: updated.number, cause: move.settlementCause,
                settledOn: move.day, status: updated.status, totalAmount: updated.totalAmount, paidAmount: updated.paidAmount,
                creditedAmount: updated.creditedAmount, writtenOffAmount: updated.writtenOffAmount,
                voidedAmount: Money(minorUnits: after.voided, currency: currency),
                paymentId: move.settlementCause == .payment ? move.paymentId : nil,
                creditNoteId: move.settlementCause == .creditNote ? move.creditNoteId : nil), db)
        } else if before.isReopened(by: after) {
            try enqueue(InvoiceReopened(
                customerId: updated.customerId, invoiceId: updated.id, number: updated.number, cause: .reversal,
                reopenedOn: move.day, balance: updated.balance, previousStatus: invoice.status, status: updated.status,
                paymentId: move.paymentId), db)
        }
        if announcePaid {
            guard let paidOn = updated.paidOn else {
                throw InvoiceLedgerError(invoiceId: invoice.id, reason: "paid without a payment to date it")
            }
            try enqueue(InvoicePaid(
                customerId: updated.customerId, invoiceId: updated.id, number: updated.number,
                totalAmount: updated.totalAmount, paidOn: paidOn), db)
        }
        try checkCreditLimit(customerId: invoice.customerId, db)
        return updated
    }

    /// The amounts and status of an invoice as stored, and whether `invoice.paid` was
    /// published for it.
    /// - Throws: `InvoicingError` `.notFound`, or a database error.
    static func ledger(invoiceId: String, _ db: Database) throws -> (InvoiceLedger, paidAnnounced: Bool) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT total_minor, paid_minor, credited_minor, written_off_minor, voided_minor, open_minor, status, paid_announced
            FROM invoice WHERE id = ?
            """), arguments: [invoiceId]) else {
            throw InvoicingError(.notFound, "no invoice with id \(invoiceId)")
        }
        let status: String = row["status"]
        guard let parsed = InvoiceStatus(rawValue: status) else {
            throw InvoiceLedgerError(invoiceId: invoiceId, reason: "unknown status '\(status)'")
        }
        let ledger = InvoiceLedger(
            total: row["total_minor"], paid: row["paid_minor"], credited: row["credited_minor"],
            writtenOff: row["written_off_minor"], voided: row["voided_minor"], open: row["open_minor"], status: parsed)
        return (ledger, row["paid_announced"])
    }

    /// Runs a write, turning a CHECK constraint failure of the `invoice` table into
    /// ``InvoiceLedgerError``.
    static func translateLedgerViolation(invoiceId: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_CHECK {
            throw InvoiceLedgerError(invoiceId: invoiceId, reason: "the database refused the change: \(error.message ?? "CHECK constraint failed")")
        }
    }

    /// The calendar day of an instant for a customer, in the customer's time zone (UTC when
    /// the zone is unknown).
    static func day(of instant: Date, forCustomer customerId: String, _ db: Database) throws -> CalendarDate {
        let zone = try String.fetchOne(db, sql: "SELECT time_zone FROM customer WHERE id = ?", arguments: [customerId])
        return CalendarDate(date: instant, in: zone.flatMap(TimeZone.init(identifier:)) ?? .gmt)
    }
}
