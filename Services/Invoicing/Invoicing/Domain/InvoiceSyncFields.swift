import Events
import Money

/// What an ERP export says of an invoice's state, from the sync columns of an invoice CSV
/// (``InvoiceCSVRow``). Every field is optional: what is absent is left as Relance has it.
public struct InvoiceSyncFields: Sendable, Hashable {
    /// What the ERP still expects (`amountDue`).
    public var amountDue: Money?
    /// What the ERP received (`amountPaid`).
    public var amountPaid: Money?
    /// The value date of the last payment: dates the payment the sync records.
    public var lastPaymentDate: CalendarDate?
    /// The ERP's status.
    public var status: Status?
    /// Whether the customer disputes the invoice; `nil`: not said.
    public var disputed: Bool?
    /// No reminder before this day; `nil`: the import's default (new invoices only).
    public var dunningStartsOn: CalendarDate?

    /// What the ERP's status column can say. Only whether anything is left open matters: the
    /// amounts decide between partly and not paid, paid and written off.
    public enum Status: String, Sendable, Hashable {
        /// Something is still owed (`open`, `partiallyPaid`, `partial`, `unpaid`).
        case open
        /// Nothing is owed any more (`paid`, `settled`, `closed`).
        case settled
    }

    public init(amountDue: Money? = nil, amountPaid: Money? = nil, lastPaymentDate: CalendarDate? = nil, status: Status? = nil,
                disputed: Bool? = nil, dunningStartsOn: CalendarDate? = nil) {
        self.amountDue = amountDue
        self.amountPaid = amountPaid
        self.lastPaymentDate = lastPaymentDate
        self.status = status
        self.disputed = disputed
        self.dunningStartsOn = dunningStartsOn
    }

    /// Whether the row says anything about the amounts.
    var movesMoney: Bool { amountDue != nil || amountPaid != nil || status == .settled }

    /// Reads the status column (case, spaces, `_` and `-` ignored).
    /// - Throws: `InvoicingError` `.invalidField` on `status` for another value.
    static func status(_ text: String) throws(InvoicingError) -> Status {
        switch CSVColumns.normalise(text) {
        case "open", "partiallypaid", "partial", "unpaid", "overdue": return .open
        case "paid", "settled", "closed": return .settled
        default:
            throw InvoicingError(.invalidField, "'\(text)' is not a status; use open, partiallyPaid, paid or settled", field: "status")
        }
    }

    /// Reads a yes/no column.
    /// - Throws: `InvoicingError` `.invalidField` on `column` for another value.
    static func flag(_ text: String, column: String) throws(InvoicingError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "y", "1", "oui", "o", "x": return true
        case "false", "no", "n", "0", "non": return false
        default: throw InvoicingError(.invalidField, "'\(text)' is not yes or no; write true or false", field: column)
        }
    }
}
