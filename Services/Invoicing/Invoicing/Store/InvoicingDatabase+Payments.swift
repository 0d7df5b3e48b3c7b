import Events
import Foundation
import GRDB
import Messaging
import Money
import Storage

extension InvoicingDatabase {
    /// What applying a payments-topic event did.
    public enum PaymentEffect: Sendable, Hashable {
        /// The event was applied.
        case applied
        /// The event was seen before (redelivery): nothing changed.
        case duplicate
        /// The event type is not one invoicing acts on.
        case ignored
    }

    /// Applies an event from the payments topic, exactly once: `payment.allocated` reduces
    /// the invoice's balance (any excess, or the whole amount on a closed invoice, becomes a
    /// customer credit item, applied at once when the customer has `autoApplyCredit`),
    /// `payment.reversed` undoes an allocation (the amount is owed again, re-opening a settled
    /// invoice, written-off ones included; the excess's credit is taken back, and what of it
    /// was applied to invoices is owed again on them: ``withdrawCredit(allocationId:paymentId:day:_:)``). Publishes
    /// `invoice.balance-changed`; `invoice.settled` (cause `payment`) when the balance
    /// reaches zero, `invoice.reopened` (cause `reversal`) when it leaves zero; and
    /// `invoice.paid` the first time the invoice becomes paid.
    /// - Throws: `InvalidRecord` (a poison record: unknown invoice or allocation, currency
    ///   mismatch, undecodable data) or a transient database error.
    public func applyPaymentEvent(_ envelope: Envelope) async throws -> PaymentEffect {
        switch envelope.type {
        case PaymentAllocated.eventType:
            let allocation = try envelope.decode(PaymentAllocated.self)
            return try await process(envelope) { db in try applyAllocation(allocation, db) }
        case PaymentReversed.eventType:
            let reversal = try envelope.decode(PaymentReversed.self)
            let time = envelope.time
            return try await process(envelope) { db in try applyReversal(reversal, at: time, db) }
        default:
            return .ignored
        }
    }

    private func process(_ envelope: Envelope, _ effect: @escaping @Sendable (Database) throws -> Void) async throws -> PaymentEffect {
        // Inbox.process returns nil for a redelivered event, `()` when the effect ran.
        let applied: Void? = try await Inbox.process(envelope, in: writer) { db in try effect(db) }
        guard applied != nil else { return .duplicate }
        onEventsWritten()
        return .applied
    }

    private func applyAllocation(_ allocation: PaymentAllocated, _ db: Database) throws {
        guard let invoice = try Self.fetchInvoice(id: allocation.invoiceId, db) else {
            throw InvalidRecord("payment.allocated \(allocation.allocationId) names unknown invoice \(allocation.invoiceId)")
        }
        guard invoice.customerId == allocation.customerId else {
            throw InvalidRecord("payment.allocated \(allocation.allocationId): invoice \(invoice.number) belongs to another customer")
        }
        guard allocation.amount.currency == invoice.currency else {
            throw InvalidRecord("payment.allocated \(allocation.allocationId) is in \(allocation.amount.currency.code), invoice \(invoice.number) in \(invoice.currency.code)")
        }
        guard allocation.amount.isPositive else {
            throw InvalidRecord("payment.allocated \(allocation.allocationId) has a non-positive amount \(allocation.amount)")
        }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM allocation WHERE allocation_id = ?)", arguments: [allocation.allocationId]) == true {
            return // the same allocation under another event id: already applied
        }
        let applied = invoice.status.isOpen ? min(allocation.amount.minorUnits, invoice.balance.minorUnits) : 0
        let excess = allocation.amount.minorUnits - applied
        try db.execute(sql: """
            INSERT INTO allocation (allocation_id, payment_id, invoice_id, customer_id, currency, applied_minor, excess_minor, value_date)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                allocation.allocationId, allocation.paymentId, invoice.id, invoice.customerId, invoice.currency.code,
                applied, excess, allocation.valueDate.description,
            ])
        if applied > 0 {
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .payment(applied), balanceChangedCause: "allocation", settlementCause: .payment,
                day: allocation.valueDate, paymentId: allocation.paymentId), db)
        }
        if excess > 0 {
            try insertCreditItem(
                customerId: invoice.customerId, amount: Money(minorUnits: excess, currency: invoice.currency), source: .overpayment,
                reference: allocation.paymentId, allocationId: allocation.allocationId, day: allocation.valueDate, db)
            try autoApplyCredit(customerId: invoice.customerId, currency: invoice.currency, day: allocation.valueDate, db)
        }
    }

    /// Undoes an allocation. The applied amount is owed again whatever the invoice's status:
    /// a paid or written-off invoice re-opens (a write-off covered only what was open then).
    /// - Parameter time: When the reversal happened (`ce_time`): `reopenedOn` is that day in
    ///   the customer's time zone.
    private func applyReversal(_ reversal: PaymentReversed, at time: Date, _ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM allocation WHERE allocation_id = ?", arguments: [reversal.allocationId]) else {
            throw InvalidRecord("payment.reversed names unknown allocation \(reversal.allocationId)")
        }
        guard !(row["reversed"] as Bool) else { return }
        let invoice = try Self.requireInvoice(id: row["invoice_id"], db)
        let applied: Int64 = row["applied_minor"]
        let excess: Int64 = row["excess_minor"]
        try db.execute(sql: "UPDATE allocation SET reversed = 1 WHERE allocation_id = ?", arguments: [reversal.allocationId])
        let day = try Self.day(of: time, forCustomer: invoice.customerId, db)
        if applied > 0 {
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .reversal(applied), balanceChangedCause: "reversal", settlementCause: .payment,
                day: day, paymentId: reversal.paymentId), db)
        }
        if excess > 0 {
            try withdrawCredit(allocationId: reversal.allocationId, paymentId: reversal.paymentId, day: day, db)
        }
    }
}
