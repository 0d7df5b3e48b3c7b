import Events
import Money

/// The ledger moves that bring an invoice to what an ERP export says of it (a CSV sync).
///
/// The ERP's amounts must keep `total = paid + settled otherwise + open`, "settled
/// otherwise" being what the ERP credited or wrote off. A sync only moves forward: money
/// received grows (a payment), the open balance shrinks; what shrinks it beyond the money
/// received is written off (Relance does not know whether the ERP credited or wrote it off).
/// Taking money back (a reversal) or re-opening a balance is for payment matching and people,
/// not for an import: such rows are rejected.
///
/// Absent columns: without `amountPaid`, whatever the open balance went down by was paid;
/// without `amountDue`, it went down by what was paid (to zero when the status says settled).
struct InvoiceSyncPlan: Sendable, Hashable {
    /// Money received to record (a payment move), zero for none.
    var payment: Int64 = 0
    /// Balance settled otherwise in the ERP, written off here, zero for none.
    var writeOff: Int64 = 0
    /// The ledger afterwards.
    var ledger: InvoiceLedger

    /// The moves, in the order they are applied: the payment, then the write-off (of the whole
    /// rest when nothing is left open: the invoice is then `paid` if money was received).
    var moves: [InvoiceLedger.Move] = []

    /// Whether the sync changes the amounts.
    var movesMoney: Bool { payment > 0 || writeOff > 0 }

    /// Plans the moves from a ledger (a new invoice's: open for its total) to the ERP's figures.
    /// - Throws: `InvoicingError` `.invalidField` on the column at fault when the figures do
    ///   not add up, would take money back or re-open a balance, or contradict the status.
    static func plan(from ledger: InvoiceLedger, _ fields: InvoiceSyncFields, number: String) throws(InvoicingError) -> InvoiceSyncPlan {
        var plan = InvoiceSyncPlan(ledger: ledger)
        let paidGiven = fields.amountPaid?.minorUnits
        var open = fields.amountDue?.minorUnits ?? (fields.status == .settled ? 0 : nil)
        if open == nil, let paidGiven { open = ledger.open - (paidGiven - ledger.paid) }
        let targetOpen = open ?? ledger.open
        let paid = paidGiven ?? ledger.paid + max(0, ledger.open - targetOpen)
        if paid < ledger.paid {
            throw InvoicingError(.invalidField, """
                amountPaid (\(paid)) is below the \(ledger.paid) received on invoice \(number) here; a sync does not take money \
                back: reverse the payment through payment matching
                """, field: "amountPaid")
        }
        if targetOpen > ledger.open {
            throw InvoicingError(.invalidField, """
                amountDue (\(targetOpen)) is above the open balance of invoice \(number) here (\(ledger.open)); a sync does not \
                re-open a balance
                """, field: "amountDue")
        }
        if targetOpen < 0 {
            throw InvoicingError(.invalidField, """
                the total (\(ledger.total)) is not paid (\(paid)) + credited or written off + open: amountPaid is more than \
                what was open on invoice \(number)
                """, field: "amountPaid")
        }
        plan.payment = paid - ledger.paid
        plan.writeOff = (ledger.open - targetOpen) - plan.payment
        if plan.writeOff < 0 {
            throw InvoicingError(.invalidField, """
                the total (\(ledger.total)) is not paid (\(paid)) + credited or written off + open (\(targetOpen)) on invoice \
                \(number): the figures do not add up
                """, field: "amountDue")
        }
        if plan.payment > 0 { plan.moves.append(.payment(plan.payment)) }
        if plan.writeOff > 0 { plan.moves.append(targetOpen == 0 ? .writeOff(smallRemainder: true) : .partialWriteOff(plan.writeOff)) }
        var next = ledger
        for move in plan.moves {
            do {
                next = try next.applying(move)
            } catch {
                throw InvoicingError(.invalidField, "invoice \(number) cannot take these figures: \(error.reason)", field: "amountDue")
            }
        }
        plan.ledger = next
        switch fields.status {
        case .settled? where next.open != 0:
            throw InvoicingError(.invalidField, "the status says settled but \(next.open) is still open on invoice \(number)", field: "status")
        case .open? where next.open == 0:
            throw InvoicingError(.invalidField, "the status says open but nothing is open on invoice \(number) (\(next.status.rawValue))", field: "status")
        default:
            break
        }
        return plan
    }
}
