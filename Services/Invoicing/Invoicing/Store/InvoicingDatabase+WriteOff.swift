import Events
import Foundation
import GRDB
import Money

extension InvoicingDatabase {
    /// Writes off part of an open invoice's balance within a tolerance (bank fees, rounding):
    /// the rest stays owed. When `amount` is the whole balance, the invoice is settled: `paid`
    /// when money was received on it, `writtenOff` otherwise (as
    /// ``writeOffRemainder(invoiceId:tolerance:reason:category:)``).
    ///
    /// Publishes `invoice.written-off` (with the category and the balance left),
    /// `invoice.balance-changed` (cause `writeOff`) and, when nothing is left,
    /// `invoice.settled` (cause `writeOff`) and, the first time the invoice becomes paid,
    /// `invoice.paid`.
    /// - Parameters:
    ///   - invoiceId: The invoice.
    ///   - amount: What to write off, in the invoice's currency; at most `tolerance` and the
    ///     open balance.
    ///   - tolerance: The largest amount written off this way (configuration
    ///     `writeoff.tolerance`), in the invoice's currency.
    ///   - category: Why, for programs.
    ///   - reason: Why, for people; required.
    /// - Throws: `InvoicingError` `.missingField` (blank reason), `.nonPositiveTotal` (amount
    ///   not above zero), `.currencyMismatch`, `.writeOffAboveTolerance` (amount above the
    ///   tolerance), `.notFound`, or `.invalidState` when the invoice is not open or the
    ///   amount is above its balance.
    public func writeOffPart(invoiceId: String, amount: Money, tolerance: Money, category: WriteOffCategory, reason: String) async throws -> Invoice {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw InvoicingError(.missingField, "say why the amount is written off", field: "reason")
        }
        guard amount.isPositive else {
            throw InvoicingError(.nonPositiveTotal, "the amount written off must be above zero", field: "amount")
        }
        let today = try await today(forInvoice: invoiceId)
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices can be written off")
            }
            guard amount.currency == invoice.currency else {
                throw InvoicingError(.currencyMismatch, "the invoice is in \(invoice.currency.code), the amount in \(amount.currency.code)", field: "amount.currency")
            }
            guard amount.minorUnits <= tolerance.minorUnits else {
                throw InvoicingError(.writeOffAboveTolerance, """
                    \(amount) is above the write-off tolerance (\(Money(minorUnits: tolerance.minorUnits, currency: invoice.currency))); \
                    write the whole balance off as a loss (no amount), or issue a credit note
                    """, field: "amount")
            }
            guard amount.minorUnits <= invoice.balance.minorUnits else {
                throw InvoicingError(.invalidState, "the amount (\(amount)) is above the open balance of invoice \(invoice.number) (\(invoice.balance))", field: "amount")
            }
            let whole = amount.minorUnits == invoice.balance.minorUnits
            try enqueue(InvoiceWrittenOff(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, amount: amount, reason: reason,
                category: category.rawValue,
                remainingBalance: Money(minorUnits: invoice.balance.minorUnits - amount.minorUnits, currency: invoice.currency)), db)
            _ = try moveBalance(of: invoice, BalanceMove(
                move: whole ? .writeOff(smallRemainder: true) : .partialWriteOff(amount.minorUnits),
                balanceChangedCause: "writeOff", settlementCause: .writeOff, day: today), db)
        }
    }
}
