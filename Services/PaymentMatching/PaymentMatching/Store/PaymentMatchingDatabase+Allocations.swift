import Events
import Foundation
import GRDB
import Money
import Storage

extension PaymentMatchingDatabase {
    /// One invoice's share of a payment, as decided by the engine or a person.
    struct AllocationDecision {
        var invoiceId: String
        var invoiceNumber: String
        var customerId: String
        var amount: Money
        var writeOff: Money
        var rule: String
        var score: Int?
    }

    /// The columns of a stored payment the decisions need.
    struct StoredPayment {
        var id: String
        var account: String
        var amount: Money
        var valueDate: CalendarDate
        var status: PaymentStatus
        var allocated: Int64
        var onAccount: Int64
        var onAccountCustomerId: String?
        var payerName: String?
        var payerIBAN: String?
        var bankReference: String?
        var remittance: String?

        var remaining: Int64 { amount.minorUnits - allocated - onAccount }
    }

    static func storedPayment(id: String, _ db: Database) throws -> StoredPayment? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, account, currency, amount_minor, value_date, status, allocated_minor, on_account_minor,
                on_account_customer_id, payer_name, payer_iban, bank_reference, remittance
            FROM payment WHERE id = ?
            """, arguments: [id]) else { return nil }
        let currency = try Currency(code: row["currency"])
        guard let status = PaymentStatus(rawValue: row["status"]) else {
            throw PaymentMatchingStoreError("payment \(id) has the unknown status '\(row["status"] as String)'")
        }
        return StoredPayment(
            id: row["id"], account: row["account"], amount: Money(minorUnits: row["amount_minor"], currency: currency),
            valueDate: try CalendarDate(iso8601: row["value_date"]), status: status, allocated: row["allocated_minor"],
            onAccount: row["on_account_minor"], onAccountCustomerId: row["on_account_customer_id"], payerName: row["payer_name"],
            payerIBAN: row["payer_iban"], bankReference: row["bank_reference"], remittance: row["remittance"])
    }

    /// Stores an allocation and publishes `payment.allocated` (invoicing applies it).
    func recordAllocation(_ decision: AllocationDecision, of payment: StoredPayment, decidedBy: String, _ db: Database) throws {
        let allocationId = TimeOrderedID.make()
        try db.execute(sql: """
            INSERT INTO allocation (id, payment_id, invoice_id, invoice_number, customer_id, currency, amount_minor, write_off_minor,
                rule, score, decided_by, decided_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                allocationId, payment.id, decision.invoiceId, decision.invoiceNumber, decision.customerId, decision.amount.currency.code,
                decision.amount.minorUnits, decision.writeOff.minorUnits, decision.rule, decision.score, decidedBy, Self.timestamp(now()),
            ])
        try db.execute(sql: "UPDATE payment SET allocated_minor = allocated_minor + ? WHERE id = ?",
                       arguments: [decision.amount.minorUnits, payment.id])
        try enqueue(PaymentAllocated(
            customerId: decision.customerId, paymentId: payment.id, allocationId: allocationId, invoiceId: decision.invoiceId,
            invoiceNumber: decision.invoiceNumber, amount: decision.amount, valueDate: payment.valueDate,
            writeOff: decision.writeOff.isPositive ? decision.writeOff : nil), db)
    }

    /// Keeps part of a payment as a customer's credit and publishes `payment.received-on-account`.
    func recordOnAccount(_ amount: Money, customerId: String, of payment: StoredPayment, _ db: Database) throws {
        try db.execute(sql: "UPDATE payment SET on_account_minor = on_account_minor + ?, on_account_customer_id = ? WHERE id = ?",
                       arguments: [amount.minorUnits, customerId, payment.id])
        try enqueue(PaymentReceivedOnAccount(
            customerId: customerId, paymentId: payment.id, amount: amount, valueDate: payment.valueDate,
            bankReference: payment.bankReference, remittance: payment.remittance), db)
    }

    /// Records a decision for the audit trail.
    func recordDecision(paymentId: String, kind: String, actor: String, detail: String, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO decision (id, payment_id, kind, actor, at, detail) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [TimeOrderedID.make(), paymentId, kind, actor, Self.timestamp(now()), detail])
    }

    /// Undoes allocations of a payment (all when `allocationIds` is nil, the credit on account
    /// included): each one publishes `payment.reversed` with its amount, so invoicing re-opens
    /// the invoice or takes the credit back.
    /// - Returns: the amount undone, in minor units.
    func undoAllocations(
        of payment: StoredPayment, allocationIds: Set<String>?, includingOnAccount: Bool, actor: String, reason: String, _ db: Database
    ) throws -> Int64 {
        var undone: Int64 = 0
        let rows = try Row.fetchAll(db, sql: """
            SELECT id, invoice_id, customer_id, amount_minor FROM allocation WHERE payment_id = ? AND undone_at IS NULL ORDER BY id
            """, arguments: [payment.id])
        for row in rows {
            let allocationId: String = row["id"]
            if let allocationIds, !allocationIds.contains(allocationId) { continue }
            let amount: Int64 = row["amount_minor"]
            try db.execute(sql: "UPDATE allocation SET undone_at = ?, undone_by = ? WHERE id = ?",
                           arguments: [Self.timestamp(now()), actor, allocationId])
            try enqueue(PaymentReversed(
                customerId: row["customer_id"], paymentId: payment.id, allocationId: allocationId, invoiceId: row["invoice_id"],
                amount: Money(minorUnits: amount, currency: payment.amount.currency), reason: reason), db)
            undone += amount
        }
        try db.execute(sql: "UPDATE payment SET allocated_minor = allocated_minor - ? WHERE id = ?", arguments: [undone, payment.id])
        if includingOnAccount, payment.onAccount > 0, let customerId = payment.onAccountCustomerId {
            try enqueue(PaymentReversed(
                customerId: customerId, paymentId: payment.id, allocationId: nil, invoiceId: nil,
                amount: Money(minorUnits: payment.onAccount, currency: payment.amount.currency), reason: reason), db)
            try db.execute(sql: "UPDATE payment SET on_account_minor = 0, on_account_customer_id = NULL WHERE id = ?", arguments: [payment.id])
            undone += payment.onAccount
        }
        return undone
    }

    /// Sets a payment's status from its amounts (queued while something is left), unless it
    /// is marked or reversed.
    static func refreshStatus(paymentId: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE payment SET status = CASE
                WHEN allocated_minor + on_account_minor = amount_minor THEN 'allocated'
                WHEN allocated_minor + on_account_minor > 0 THEN 'partlyAllocated'
                ELSE 'unmatched' END
            WHERE id = ? AND status NOT IN ('notCustomer', 'reversed')
            """, arguments: [paymentId])
    }
}

/// The store found something it cannot have written: a defect, not bad input.
struct PaymentMatchingStoreError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
