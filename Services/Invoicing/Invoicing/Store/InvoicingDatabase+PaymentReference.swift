import Foundation
import GRDB

extension InvoicingDatabase {
    /// How many references ``unusedPaymentReference(number:firstAttempt:_:)`` tries. Each
    /// attempt collides with probability below 2⁻²⁰, so reaching this is not expected.
    static let maximumPaymentReferenceAttempts = 32

    /// The invoice with an RF reference no other invoice holds: its own
    /// (``CreditorReference/init(invoiceNumber:attempt:)`` attempt 0) when unused, otherwise the
    /// first unused further attempt. Run inside the write transaction that inserts the invoice.
    /// - Throws: `InvoicingError` `.invalidCreditorReference` when every attempt is taken.
    static func withUnusedPaymentReference(_ invoice: ValidatedInvoice, _ db: Database) throws -> ValidatedInvoice {
        guard try isPaymentReferenceUsed(invoice.creditorReference.electronicFormat, db) else { return invoice }
        let reference = try unusedPaymentReference(number: invoice.number, firstAttempt: 1, db)
        return invoice.with(creditorReference: reference)
    }

    /// The first RF reference derived from `number`, from attempt `firstAttempt` on, that no
    /// invoice holds.
    /// - Throws: `InvoicingError` `.invalidCreditorReference` (`number`) when the number has no
    ///   letter or digit, or every attempt is taken.
    static func unusedPaymentReference(number: String, firstAttempt: Int = 0, _ db: Database) throws -> CreditorReference {
        for attempt in firstAttempt..<maximumPaymentReferenceAttempts {
            let reference = try CreditorReference(invoiceNumber: number, attempt: attempt)
            if try !isPaymentReferenceUsed(reference.electronicFormat, db) { return reference }
        }
        throw InvoicingError(.invalidCreditorReference,
                             "every RF reference tried for invoice number '\(number)' is taken; change the number slightly",
                             field: "number")
    }

    /// Whether an invoice holds the reference (electronic format).
    static func isPaymentReferenceUsed(_ reference: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM invoice WHERE payment_reference = ?)"),
                          arguments: [reference]) ?? false
    }

    /// Whether an invoice has the number.
    static func isInvoiceNumberUsed(_ number: String, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM invoice WHERE number = ?)"),
                          arguments: [number]) ?? false
    }
}
