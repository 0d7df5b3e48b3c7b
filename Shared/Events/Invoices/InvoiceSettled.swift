import Money

/// `relance.invoice.settled.v1`: the invoice's open balance reached zero. Published on every
/// such move, with what caused it; an invoice re-opened since (``InvoiceReopened``) is settled
/// again by a later move, which publishes this event again.
public struct InvoiceSettled: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.settled.v1"
    public static let topic = Topic.invoices
    /// The customer the invoice is addressed to: the record key.
    public var customerId: String
    /// The invoice (also `ce_subject`).
    public var invoiceId: String
    /// The invoice number as printed.
    public var number: String
    /// What brought the open balance to zero.
    public var cause: InvoiceSettlementCause
    /// The day it happened: the value date of the payment, the issue date of the credit note,
    /// or the day of the write-off, cancellation or credit application in the customer's time
    /// zone.
    public var settledOn: CalendarDate
    /// The invoice's status afterwards: `paid` (money was received on it), `writtenOff`, or
    /// `cancelled` (voided, or credited in full with nothing paid).
    public var status: InvoiceStatus
    /// Amount due, VAT included: `paidAmount + creditedAmount + writtenOffAmount + voidedAmount`.
    public var totalAmount: Money
    /// Received on the invoice and not reversed.
    public var paidAmount: Money
    /// Covered by credit notes.
    public var creditedAmount: Money
    /// Written off (as a loss, or a small remainder within tolerance).
    public var writtenOffAmount: Money
    /// Voided by a cancellation: the whole total when `cause` is `cancellation`, zero otherwise.
    public var voidedAmount: Money
    /// The payment behind a `payment` settlement.
    public var paymentId: String?
    /// The credit note behind a `creditNote` settlement.
    public var creditNoteId: String?

    /// Creates the event; see the properties for what each value means.
    public init(
        customerId: String, invoiceId: String, number: String, cause: InvoiceSettlementCause, settledOn: CalendarDate,
        status: InvoiceStatus, totalAmount: Money, paidAmount: Money, creditedAmount: Money, writtenOffAmount: Money,
        voidedAmount: Money, paymentId: String? = nil, creditNoteId: String? = nil
    ) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.cause = cause
        self.settledOn = settledOn
        self.status = status
        self.totalAmount = totalAmount
        self.paidAmount = paidAmount
        self.creditedAmount = creditedAmount
        self.writtenOffAmount = writtenOffAmount
        self.voidedAmount = voidedAmount
        self.paymentId = paymentId
        self.creditNoteId = creditNoteId
    }

    public var subject: String? { invoiceId }
}

/// What brought an invoice's open balance to zero. An open set of values (a struct, not an
/// enum), encoded as its raw string: later versions of v1
/// may add causes, which readers must accept.
public struct InvoiceSettlementCause: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A payment allocation covered the rest.
    public static let payment = InvoiceSettlementCause(rawValue: "payment")
    /// A credit note covered the rest.
    public static let creditNote = InvoiceSettlementCause(rawValue: "creditNote")
    /// The rest was written off (as a loss, or within the small-balance tolerance).
    public static let writeOff = InvoiceSettlementCause(rawValue: "writeOff")
    /// The invoice was cancelled (voided).
    public static let cancellation = InvoiceSettlementCause(rawValue: "cancellation")
    /// A CSV sync with the creditor's ERP said the invoice was paid or settled there (a
    /// payment, or a remainder credited or written off in the ERP).
    public static let sync = InvoiceSettlementCause(rawValue: "sync")

    /// The customer's credit (an overpayment, a payment on account, a credit note's excess)
    /// was applied to the rest.
    public static let creditApplied = InvoiceSettlementCause(rawValue: "creditApplied")

    /// The values this version of the code publishes.
    public static let known: [InvoiceSettlementCause] = [.payment, .creditNote, .writeOff, .cancellation, .creditApplied, .sync]

    public var description: String { rawValue }
}
