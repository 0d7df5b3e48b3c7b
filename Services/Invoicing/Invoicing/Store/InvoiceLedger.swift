import Events

/// Where an invoice's total went, and the status that follows from it.
///
/// Every balance move of the store goes through ``applying(_:)``, which keeps the invariant
/// the `invoice` table's CHECK constraints also enforce (migration `invoicing-v2-ledger`):
///
///     total = paid + credited + writtenOff + voided + open      (every amount ≥ 0, total > 0)
///
/// and the status agrees with the amounts:
///
/// | status | open | paid | other |
/// |---|---|---|---|
/// | `open` | > 0 | 0 | |
/// | `partiallyPaid` | > 0 | > 0 | |
/// | `paid` | 0 | > 0 | a `paidOn` date |
/// | `writtenOff` | 0 | any | written off > 0 |
/// | `cancelled` | 0 | 0 | nothing written off (voided or credited in full) |
///
/// When the open balance reaches zero, what reached it decides between `paid`, `writtenOff`
/// and `cancelled` (``Move``); when it leaves zero, the invoice is `open` or `partiallyPaid`
/// again.
struct InvoiceLedger: Sendable, Hashable {
    /// Amount due, VAT included (minor units, like every amount here).
    var total: Int64
    /// Received and not reversed.
    var paid: Int64
    /// Covered by credit notes.
    var credited: Int64
    /// Written off, as a loss or within the small-balance tolerance.
    var writtenOff: Int64
    /// Voided by a cancellation.
    var voided: Int64
    /// Still owed.
    var open: Int64
    var status: InvoiceStatus

    /// One change of the amounts.
    enum Move: Sendable, Hashable {
        /// Money received on the invoice, at most the open balance (any excess is customer credit).
        case payment(Int64)
        /// A payment applied earlier is taken back: owed again, with what was written off
        /// because of it (`writeOff`: the bank fees of a short payment), which no longer
        /// stands once the payment is gone.
        case reversal(Int64, writeOff: Int64 = 0)
        /// A credit note, at most the open balance.
        case creditNote(Int64)
        /// Customer credit applied to the invoice, at most the open balance. Credit that came
        /// from money received (`fromPayment`: an overpayment, a payment on account) counts as
        /// paid; credit from a credit note counts as credited. Taking back credit from a
        /// payment is a ``reversal(_:)``.
        case creditApplication(Int64, fromPayment: Bool)
        /// The whole open balance is written off: as a loss (`smallRemainder == false`: the
        /// invoice becomes `writtenOff`), or as a remainder within tolerance (bank fees,
        /// rounding: the invoice becomes `paid` when money was received on it).
        case writeOff(smallRemainder: Bool)
        /// Part of the open balance is written off (bank fees, rounding, within the configured
        /// tolerance): less than the open balance, which stays owed. Writing off all of it is
        /// ``writeOff(smallRemainder:)``.
        case partialWriteOff(Int64)
        /// The whole invoice is voided: only when nothing was paid, credited or written off.
        case cancellation
    }

    /// The ledger after a move.
    /// - Throws: ``InvoiceLedgerError`` when the move does not fit the ledger (an amount out
    ///   of range, a closed invoice) or would break the invariant. Callers check the business
    ///   rules first and report them to people; this is the last line of defence.
    func applying(_ move: Move) throws(InvoiceLedgerError) -> InvoiceLedger {
        var next = self
        switch move {
        case .payment(let amount):
            try require(status.isOpen && amount > 0 && amount <= open, "a payment of \(amount) does not fit an open balance of \(open) (\(status.rawValue))")
            next.paid += amount
            next.open -= amount
        case .reversal(let amount, let writeOff):
            try require(amount > 0 && amount <= paid, "a reversal of \(amount) is more than the \(paid) paid")
            try require(writeOff >= 0 && writeOff <= writtenOff, "a reversal's write-off of \(writeOff) is more than the \(writtenOff) written off")
            next.paid -= amount
            next.writtenOff -= writeOff
            next.open += amount + writeOff
        case .creditNote(let amount):
            try require(status.isOpen && amount > 0 && amount <= open, "a credit note of \(amount) does not fit an open balance of \(open) (\(status.rawValue))")
            next.credited += amount
            next.open -= amount
        case .creditApplication(let amount, let fromPayment):
            try require(status.isOpen && amount > 0 && amount <= open, "credit of \(amount) does not fit an open balance of \(open) (\(status.rawValue))")
            if fromPayment { next.paid += amount } else { next.credited += amount }
            next.open -= amount
        case .writeOff:
            try require(status.isOpen && open > 0, "nothing is open to write off (\(status.rawValue))")
            next.writtenOff += open
            next.open = 0
        case .partialWriteOff(let amount):
            try require(status.isOpen && amount > 0 && amount < open, "a partial write-off of \(amount) does not fit an open balance of \(open) (\(status.rawValue))")
            next.writtenOff += amount
            next.open -= amount
        case .cancellation:
            try require(status == .open && paid == 0 && credited == 0 && writtenOff == 0,
                        "only an invoice with nothing paid, credited or written off can be voided")
            next.voided += open
            next.open = 0
        }
        if next.open > 0 {
            next.status = next.paid > 0 ? .partiallyPaid : .open
        } else if open > 0 {
            next.status = switch move {
            case .payment, .reversal: .paid // only a payment gets here: a reversal raises the balance
            case .creditNote, .creditApplication: next.paid > 0 ? .paid : next.writtenOff > 0 ? .writtenOff : .cancelled
            case .writeOff(let smallRemainder): smallRemainder && next.paid > 0 ? .paid : .writtenOff
            case .partialWriteOff: .writtenOff // unreachable: a partial write-off leaves a balance
            case .cancellation: .cancelled
            }
        }
        try next.validate()
        return next
    }

    /// Whether moving from `self` to `next` brought the open balance to zero.
    func isSettled(by next: InvoiceLedger) -> Bool { open > 0 && next.open == 0 }

    /// Whether moving from `self` to `next` made a settled invoice owe money again.
    func isReopened(by next: InvoiceLedger) -> Bool { open == 0 && next.open > 0 }

    /// Checks the invariant and the status (the same rules as the table's CHECK constraints,
    /// except `paidOn`, which the store sets).
    /// - Throws: ``InvoiceLedgerError`` naming the first rule broken.
    func validate() throws(InvoiceLedgerError) {
        try require(total > 0 && paid >= 0 && credited >= 0 && writtenOff >= 0 && voided >= 0 && open >= 0,
                    "negative amount or non-positive total in \(self)")
        var sum: Int64 = 0
        for part in [paid, credited, writtenOff, voided, open] {
            let (added, overflow) = sum.addingReportingOverflow(part)
            try require(!overflow, "amounts overflow in \(self)")
            sum = added
        }
        try require(sum == total, "total \(total) ≠ paid \(paid) + credited \(credited) + written off \(writtenOff) + voided \(voided) + open \(open)")
        let consistent = switch status {
        case .open: open > 0 && paid == 0
        case .partiallyPaid: open > 0 && paid > 0
        case .paid: open == 0 && paid > 0
        case .writtenOff: open == 0 && writtenOff > 0
        case .cancelled: open == 0 && paid == 0 && writtenOff == 0
        }
        try require(consistent, "status \(status.rawValue) does not fit \(self)")
        try require(voided == 0 || status == .cancelled, "only a cancelled invoice has a voided amount (\(self))")
    }

    private func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(InvoiceLedgerError) {
        if !condition { throw InvoiceLedgerError(invoiceId: nil, reason: reason()) }
    }
}

extension InvoiceLedger: CustomStringConvertible {
    var description: String {
        "total \(total), paid \(paid), credited \(credited), written off \(writtenOff), voided \(voided), open \(open), \(status.rawValue)"
    }
}

/// A balance change would break an invoice's ledger invariant (total = paid + credited +
/// written off + voided + open, status following the amounts).
///
/// A defect, not a client error: the store rolls the transaction back, so nothing is written
/// and no event is published. It is raised by the store's own check before writing and by the
/// `invoice` table's CHECK constraints (translated from SQLite's constraint error).
public struct InvoiceLedgerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The invoice concerned, when known.
    public let invoiceId: String?
    /// Which rule broke, with the amounts.
    public let reason: String

    /// Creates an error.
    /// - Parameters:
    ///   - invoiceId: The invoice concerned, when known.
    ///   - reason: Which rule broke, with the amounts.
    public init(invoiceId: String?, reason: String) {
        self.invoiceId = invoiceId
        self.reason = reason
    }

    /// The same error attributed to an invoice.
    func about(_ invoiceId: String) -> InvoiceLedgerError {
        InvoiceLedgerError(invoiceId: invoiceId, reason: reason)
    }

    public var description: String {
        "invoice ledger invariant broken" + (invoiceId.map { " on invoice \($0)" } ?? "") + ": " + reason
    }
}
