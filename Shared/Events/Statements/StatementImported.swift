import Foundation
import Money

/// `relance.statement.imported.v1`: a bank statement file was imported, in one transaction
/// with the payments it created. The scheduler waits for it before reminding about invoices
/// that could have been paid by the latest statement.
///
/// Keyed by the (first) account the file is about, so one account's imports stay ordered.
public struct StatementImported: DomainEvent, Hashable {
    public static let eventType = "relance.statement.imported.v1"
    public static let topic = Topic.payments
    /// The import.
    public var importId: String
    /// The file's name as uploaded or found in the watched folder, when known.
    public var fileName: String?
    /// The format read: `camt.052`, `camt.053`, `camt.054`, `mt940`, `cfonb120`, `csv`.
    public var format: String
    /// The statements of the file.
    public var statements: [Statement]
    /// What the import did.
    public var summary: Summary

    /// One statement (account and period) of the file.
    public struct Statement: Codable, Sendable, Hashable {
        /// The statement's own identification, when the file gives one.
        public var statementId: String?
        /// The account (IBAN or the bank's identification).
        public var account: String
        /// The last booking day the statement covers, when it has entries or a closing balance date.
        public var lastBookingDate: CalendarDate?
        /// Opening and closing balances, when the file has them.
        public var openingBalance: Money?
        public var closingBalance: Money?
        /// Opening + entries ≠ closing: the statement was stored anyway, flagged.
        public var balanceMismatch: Bool

        public init(statementId: String?, account: String, lastBookingDate: CalendarDate?, openingBalance: Money?, closingBalance: Money?, balanceMismatch: Bool) {
            self.statementId = statementId
            self.account = account
            self.lastBookingDate = lastBookingDate
            self.openingBalance = openingBalance
            self.closingBalance = closingBalance
            self.balanceMismatch = balanceMismatch
        }
    }

    /// The import summary, as the HTTP API answers it.
    public struct Summary: Codable, Sendable, Hashable {
        /// Booked entries read, credits and debits.
        public var entriesRead: Int
        /// New payments (credit entries not seen before).
        public var paymentsCreated: Int
        /// Payments allocated in full (to invoices and maybe credit).
        public var matched: Int
        /// Payments allocated in part (the rest on account).
        public var partlyMatched: Int
        /// Payments left in the unmatched queue.
        public var unmatched: Int
        /// Credit entries already imported before (same identity): skipped.
        public var duplicatesSkipped: Int
        /// Reversal entries that reversed a known payment.
        public var reversals: Int
        /// Debit entries (not payments): counted, not stored as payments.
        public var debitsIgnored: Int

        public init(entriesRead: Int, paymentsCreated: Int, matched: Int, partlyMatched: Int, unmatched: Int, duplicatesSkipped: Int, reversals: Int, debitsIgnored: Int) {
            self.entriesRead = entriesRead
            self.paymentsCreated = paymentsCreated
            self.matched = matched
            self.partlyMatched = partlyMatched
            self.unmatched = unmatched
            self.duplicatesSkipped = duplicatesSkipped
            self.reversals = reversals
            self.debitsIgnored = debitsIgnored
        }
    }

    public init(importId: String, fileName: String?, format: String, statements: [Statement], summary: Summary) {
        self.importId = importId
        self.fileName = fileName
        self.format = format
        self.statements = statements
        self.summary = summary
    }

    /// `account:` and the first statement's account; the import id for a file without statements.
    public var partitionKey: String { statements.first.map { "account:" + $0.account } ?? "import:" + importId }

    public var subject: String? { importId }
}
