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
    /// customer credit item, applied at once when the customer has `autoApplyCredit`), then
    /// writes off its `writeOff` (bank fees the payer short-paid) up to what is still open;
    /// `payment.received-on-account` becomes a `paymentOnAccount` credit item (applied the
    /// same way); `payment.reversed` undoes an allocation (the amount is owed again, re-opening
    /// a settled invoice, written-off ones included; the excess's credit is taken back) or a
    /// payment on account (its credit is taken back); what of taken-back credit was applied to
    /// invoices is owed again on them (``withdrawCredit(_:paymentId:day:_:)``). Publishes
    /// `invoice.balance-changed`; `invoice.settled` (cause `payment`) when the balance
    /// reaches zero, `invoice.reopened` (cause `reversal`) when it leaves zero;
    /// `invoice.paid` the first time the invoice becomes paid; `customer.credit-changed` for
    /// every change of a credit item; for a `writeOff`, `invoice.written-off` (category
    /// `bankFees`) and its balance events as for a write-off by hand.
    ///
    /// A reversal undoes all of what it names: its `amount` must be the allocation's amount
    /// (applied + excess) or the amount received on account. Any other amount means the two
    /// services disagree about the payment; applying "what we can" would hide that and let the
    /// ledgers drift apart, so the record is refused as poison (dead-lettered with the
    /// reason) and nothing changes until an operator reconciles and replays it.
    /// - Throws: `InvalidRecord` (a poison record: unknown invoice, allocation, customer or
    ///   payment; another customer's, invoice's or payment's; currency or amount mismatch; a
    ///   `writeOff` in another currency or not above zero; undecodable data) or a transient
    ///   database error.
    public func applyPaymentEvent(_ envelope: Envelope) async throws -> PaymentEffect {
        switch envelope.type {
        case PaymentAllocated.eventType:
            let allocation = try envelope.decode(PaymentAllocated.self)
            return try await process(envelope) { db in try applyAllocation(allocation, db) }
        case PaymentReceivedOnAccount.eventType:
            let received = try envelope.decode(PaymentReceivedOnAccount.self)
            return try await process(envelope) { db in try applyOnAccount(received, db) }
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
        if let writeOff = allocation.writeOff {
            guard writeOff.currency == invoice.currency else {
                throw InvalidRecord("payment.allocated \(allocation.allocationId) writes off \(writeOff), invoice \(invoice.number) is in \(invoice.currency.code)")
            }
            guard writeOff.isPositive else {
                throw InvalidRecord("payment.allocated \(allocation.allocationId) has a non-positive writeOff \(writeOff); omit it when nothing is written off")
            }
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
        var afterPayment = invoice
        if applied > 0 {
            afterPayment = try moveBalance(of: invoice, BalanceMove(
                move: .payment(applied), balanceChangedCause: "allocation", settlementCause: .payment,
                day: allocation.valueDate, paymentId: allocation.paymentId), db)
        }
        if let writeOff = allocation.writeOff {
            let writtenOff = try writeOffShortPayment(writeOff, of: afterPayment, allocation: allocation, db)
            // Kept on the allocation so that its reversal takes the write-off back with it.
            try db.execute(sql: "UPDATE allocation SET write_off_minor = ? WHERE allocation_id = ?",
                           arguments: [writtenOff, allocation.allocationId])
        }
        if excess > 0 {
            try insertCreditItem(
                customerId: invoice.customerId, amount: Money(minorUnits: excess, currency: invoice.currency), source: .overpayment,
                reference: allocation.paymentId, allocationId: allocation.allocationId, day: allocation.valueDate, db)
            try autoApplyCredit(customerId: invoice.customerId, currency: invoice.currency, day: allocation.valueDate, db)
        }
    }

    /// Writes off what a payer short-paid within the payee's tolerance (an allocation's
    /// `writeOff`), as a write-off by hand would: `invoice.written-off` (category `bankFees`),
    /// `invoice.balance-changed` (cause `writeOff`) and, when nothing is left,
    /// `invoice.settled` (cause `writeOff`; the invoice is `paid` when money was received on
    /// it) and `invoice.paid` the first time. Never more than is open: the rest of the
    /// allocation's claim is ignored (the invoice was settled otherwise meanwhile); nothing
    /// happens on a closed invoice. The tolerance is payment matching's to apply: it decided
    /// the payment pays the invoice.
    /// - Returns: the amount written off, in minor units (0 on a closed invoice).
    private func writeOffShortPayment(_ writeOff: Money, of invoice: Invoice, allocation: PaymentAllocated, _ db: Database) throws -> Int64 {
        guard invoice.status.isOpen, invoice.balance.isPositive else { return 0 }
        let amount = min(writeOff.minorUnits, invoice.balance.minorUnits)
        let whole = amount == invoice.balance.minorUnits
        try enqueue(InvoiceWrittenOff(
            customerId: invoice.customerId, invoiceId: invoice.id, number: invoice.number,
            amount: Money(minorUnits: amount, currency: invoice.currency), reason: Self.shortPaymentReason,
            category: WriteOffCategory.bankFees.rawValue,
            remainingBalance: Money(minorUnits: invoice.balance.minorUnits - amount, currency: invoice.currency)), db)
        _ = try moveBalance(of: invoice, BalanceMove(
            move: whole ? .writeOff(smallRemainder: true) : .partialWriteOff(amount),
            balanceChangedCause: "writeOff", settlementCause: .writeOff, day: allocation.valueDate), db)
        return amount
    }

    /// The `reason` of the `invoice.written-off` an allocation's `writeOff` publishes.
    static let shortPaymentReason = "bank fees (short payment)"

    /// Keeps money received on account as a `paymentOnAccount` credit item, applies it when
    /// the customer asked for it, and re-checks the credit limit (credit lowers the exposure).
    private func applyOnAccount(_ received: PaymentReceivedOnAccount, _ db: Database) throws {
        let label = "payment.received-on-account of payment \(received.paymentId)"
        guard received.amount.isPositive else {
            throw InvalidRecord("\(label) has a non-positive amount \(received.amount)")
        }
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?)", arguments: [received.customerId]) == true else {
            throw InvalidRecord("\(label) names unknown customer \(received.customerId)")
        }
        if let existing = try Self.onAccountItem(paymentId: received.paymentId, db) {
            guard existing.customerId == received.customerId, existing.amount == received.amount else {
                throw InvalidRecord("""
                    \(label) says \(received.amount) for customer \(received.customerId), but that payment was already received \
                    on account as \(existing.amount) for customer \(existing.customerId)
                    """)
            }
            return // the same payment on account under another event id: already applied
        }
        try insertCreditItem(customerId: received.customerId, amount: received.amount, source: .paymentOnAccount,
                             reference: received.paymentId, day: received.valueDate, db)
        try autoApplyCredit(customerId: received.customerId, currency: received.amount.currency, day: received.valueDate, db)
        try checkCreditLimit(customerId: received.customerId, db)
    }

    /// Dispatches a reversal: an allocation (`allocationId` and `invoiceId`), or the part of a
    /// payment received on account (neither).
    private func applyReversal(_ reversal: PaymentReversed, at time: Date, _ db: Database) throws {
        guard reversal.amount.isPositive else {
            throw InvalidRecord("payment.reversed of payment \(reversal.paymentId) has a non-positive amount \(reversal.amount)")
        }
        switch (reversal.allocationId, reversal.invoiceId) {
        case (let allocationId?, let invoiceId?):
            try reverseAllocation(reversal, allocationId: allocationId, invoiceId: invoiceId, at: time, db)
        case (nil, nil):
            try reverseOnAccount(reversal, at: time, db)
        default:
            throw InvalidRecord("""
                payment.reversed of payment \(reversal.paymentId) gives one of allocationId and invoiceId without the other: \
                both name an allocation, neither the payment's part received on account
                """)
        }
    }

    /// Undoes an allocation. The applied amount is owed again whatever the invoice's status:
    /// a paid or written-off invoice re-opens (a write-off covered only what was open then).
    /// The bank fees written off with the allocation (its `writeOff`) are owed again too, in the
    /// same balance move: they were accepted because the payment came, and it did not.
    /// - Parameter time: When the reversal happened (`ce_time`): `reopenedOn` is that day in
    ///   the customer's time zone.
    private func reverseAllocation(_ reversal: PaymentReversed, allocationId: String, invoiceId: String, at time: Date, _ db: Database) throws {
        let label = "payment.reversed of allocation \(allocationId)"
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM allocation WHERE allocation_id = ?", arguments: [allocationId]) else {
            throw InvalidRecord("\(label) names an unknown allocation")
        }
        guard row["customer_id"] == reversal.customerId, row["invoice_id"] == invoiceId, row["payment_id"] == reversal.paymentId else {
            throw InvalidRecord("""
                \(label) says customer \(reversal.customerId), invoice \(invoiceId), payment \(reversal.paymentId); the allocation is \
                customer \(row["customer_id"] as String), invoice \(row["invoice_id"] as String), payment \(row["payment_id"] as String)
                """)
        }
        let applied: Int64 = row["applied_minor"]
        let excess: Int64 = row["excess_minor"]
        let writtenOff: Int64 = row["write_off_minor"]
        let allocated = Money(minorUnits: applied + excess, currency: try Currency(code: row["currency"]))
        guard reversal.amount == allocated else {
            throw InvalidRecord("""
                \(label) reverses \(reversal.amount) but the allocation was \(allocated); a reversal undoes a whole allocation, \
                nothing was applied
                """)
        }
        guard !(row["reversed"] as Bool) else { return }
        let invoice = try Self.requireInvoice(id: invoiceId, db)
        try db.execute(sql: "UPDATE allocation SET reversed = 1 WHERE allocation_id = ?", arguments: [allocationId])
        let day = try Self.day(of: time, forCustomer: invoice.customerId, db)
        if applied > 0 {
            _ = try moveBalance(of: invoice, BalanceMove(
                move: .reversal(applied, writeOff: writtenOff), balanceChangedCause: "reversal", settlementCause: .payment,
                day: day, paymentId: reversal.paymentId), db)
        }
        if excess > 0, let itemRow = try Row.fetchOne(db, sql: "SELECT * FROM credit_item WHERE allocation_id = ?", arguments: [allocationId]) {
            try withdrawCredit(try Self.creditItem(from: itemRow), paymentId: reversal.paymentId, day: day, db)
        }
    }

    /// Takes back a payment on account: what is open on its item is withdrawn, what was
    /// applied is owed again on the invoices, newest application first.
    private func reverseOnAccount(_ reversal: PaymentReversed, at time: Date, _ db: Database) throws {
        let label = "payment.reversed of payment \(reversal.paymentId) (received on account)"
        guard let item = try Self.onAccountItem(paymentId: reversal.paymentId, db) else {
            throw InvalidRecord("\(label): no payment on account has that id; to reverse an allocation, give allocationId and invoiceId")
        }
        guard item.customerId == reversal.customerId else {
            throw InvalidRecord("\(label) says customer \(reversal.customerId); the payment was received on account for customer \(item.customerId)")
        }
        guard reversal.amount == item.amount else {
            throw InvalidRecord("""
                \(label) reverses \(reversal.amount) but \(item.amount) was received on account; a reversal undoes all of it, \
                nothing was applied
                """)
        }
        guard item.withdrawnAmount != item.amount else { return } // reversed already
        let day = try Self.day(of: time, forCustomer: item.customerId, db)
        try withdrawCredit(item, paymentId: reversal.paymentId, day: day, db)
        try checkCreditLimit(customerId: item.customerId, db)
    }

    /// The credit item a payment received on account (from payment matching) became.
    static func onAccountItem(paymentId: String, _ db: Database) throws -> CreditItem? {
        try Row.fetchOne(db, sql: """
            SELECT * FROM credit_item WHERE source = 'paymentOnAccount' AND reference = ? AND external_reference IS NULL
            """, arguments: [paymentId]).map(creditItem(from:))
    }
}
