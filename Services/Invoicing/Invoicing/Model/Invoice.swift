import Events
import Foundation
import Money

/// An invoice as the API shows it, with its balance and status.
///
/// The amounts keep `totalAmount = paidAmount + creditedAmount + writtenOffAmount + voided +
/// balance`, where "voided" is what a cancellation voided (the whole total of a cancelled
/// invoice nothing was credited on; not shown by the API). The store checks it after every
/// change, and the status follows the amounts: `open` (nothing paid) or `partiallyPaid` while
/// something is owed; once nothing is, `paid` (money was received), `writtenOff` (the rest was
/// written off as a loss) or `cancelled` (voided, or credited in full with nothing paid).
public struct Invoice: Codable, Sendable, Hashable {
    public var id: String
    public var number: String
    public var customerId: String
    public var customerNumber: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    public var currency: Currency
    /// Amount due, VAT included.
    public var totalAmount: Money
    public var netAmount: Money?
    public var vatAmount: Money?
    public var lines: [InvoiceLine]
    public var orderReference: String?
    /// ISO 11649 reference for the payer, electronic form (`RF18...`).
    public var paymentReference: String
    /// The same, in groups of four for printing.
    public var paymentReferencePrinted: String
    /// What is still owed.
    public var balance: Money
    /// Received on the invoice and not reversed.
    public var paidAmount: Money
    /// Covered by credit notes.
    public var creditedAmount: Money
    /// Written off, as a loss or as a small remainder within tolerance.
    public var writtenOffAmount: Money
    /// Where the invoice stands; follows the amounts (see the type's description).
    public var status: InvoiceStatus
    /// Whether any dispute is open (reminders are held while one is).
    public var disputed: Bool
    /// The reason of the latest open dispute.
    public var disputeReason: String?
    /// The factor the invoice is assigned to, until it is released.
    public var factorName: String?
    /// A per-invoice note of the insurer covering this invoice; the customer's policy
    /// (``Customer/creditInsurance``) is what ``insuranceDeclarationDeadline`` follows.
    public var creditInsurer: String?
    /// The sum of the open disputes; `nil` when none is open.
    public var disputedAmount: Money?
    /// The open disputes, oldest first (resolved ones: `GET /v1/invoices/{id}/disputes`).
    public var openDisputes: [Dispute] = []
    /// Who collects while the invoice is assigned to a factor (`notified`: the factor).
    public var factoringMode: FactoringMode?
    /// The day of the assignment to the factor (`nil` for those assigned before it was recorded).
    public var factorAssignedOn: CalendarDate?
    /// The last day to declare the invoice overdue to the customer's credit insurer: the due
    /// date plus the policy's declaration days, when the customer's policy covers the due date.
    public var insuranceDeclarationDeadline: CalendarDate?
    /// When `paid`: the value date of the last payment received (the one that settled it, or
    /// the last one before a credit note or small write-off covered the rest). `nil` in every
    /// other status.
    public var paidOn: CalendarDate?
    /// `issued` through this API, or `imported` by a CSV sync.
    public var origin: InvoiceOrigin
    /// Reminders must not be sent about the invoice before this day (the customer's calendar):
    /// the issue date for invoices issued here (the dunning scenario decides from there, a
    /// pre-due courtesy notice included); for imported ones, the `dunningStartsOn` column of
    /// the CSV, else the import's default (the import day).
    public var dunningStartsOn: CalendarDate
    public var createdAt: Date
    /// The customer's payment terms the invoice was issued under (absent on invoices issued
    /// before they were recorded).
    public var paymentTerms: String?
    /// Where the invoice document (PDF) can be fetched, when given at issue.
    public var documentUrl: String?
    /// The instalment plan, dates ascending (empty without one); ``dueDate`` is the last
    /// instalment's.
    public var schedule: [ScheduledInstalment] = []
    /// The due-date changes, oldest first.
    public var dueDateChanges: [DueDateChange] = []
    /// What the creditor should look at, e.g. `paymentTermsExceedLegalMaximum`
    /// (``LegalPaymentTermsCap``); empty when nothing.
    public var warnings: [InvoiceWarning] = []
    /// The order the invoice invoices (part of), when it was issued against one.
    public var orderId: String?

    /// Whether the invoice is open and past its due date on `day` (the customer's calendar day).
    public func isOverdue(on day: CalendarDate) -> Bool {
        status.isOpen && day > dueDate
    }
}

/// One instalment of an invoice's plan with what is still open on it: what the invoice no
/// longer owes (paid, credited, written off, voided) covers the instalments in date order.
public struct ScheduledInstalment: Codable, Sendable, Hashable {
    public var dueDate: CalendarDate
    public var amount: Money
    /// What is still owed on this instalment.
    public var open: Money

    /// The plan with what is open on each instalment, given what the invoice still owes.
    static func plan(_ instalments: [Instalment], balance: Money) -> [ScheduledInstalment] {
        let total = instalments.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
        var covered = max(0, total - balance.minorUnits)
        return instalments.map { instalment in
            let applied = min(covered, instalment.amount.minorUnits)
            covered -= applied
            return ScheduledInstalment(dueDate: instalment.dueDate, amount: instalment.amount,
                                       open: Money(minorUnits: instalment.amount.minorUnits - applied, currency: instalment.amount.currency))
        }
    }
}

/// A change of an invoice's due date.
public struct DueDateChange: Codable, Sendable, Hashable {
    public var previousDueDate: CalendarDate
    public var dueDate: CalendarDate
    public var reason: String
    public var changedAt: Date
}

