import Money

/// `relance.invoice.reopened.v1`: money is owed again on an invoice that had been settled
/// (``InvoiceSettled``): its open balance left zero, e.g. because the payment that settled it
/// was reversed. Dunning consumers resume following it.
public struct InvoiceReopened: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.reopened.v1"
    public static let topic = Topic.invoices
    /// The customer the invoice is addressed to: the record key.
    public var customerId: String
    /// The invoice (also `ce_subject`).
    public var invoiceId: String
    /// The invoice number as printed.
    public var number: String
    /// What re-opened it.
    public var cause: InvoiceReopeningCause
    /// The day it happened, in the customer's time zone.
    public var reopenedOn: CalendarDate
    /// The new open balance: what is owed again (more than zero).
    public var balance: Money
    /// The status it left (`paid`, `writtenOff` or `cancelled`).
    public var previousStatus: InvoiceStatus
    /// The status it is in now (`open` or `partiallyPaid`).
    public var status: InvoiceStatus
    /// The payment behind a `reversal`.
    public var paymentId: String?

    /// Creates the event; see the properties for what each value means.
    public init(
        customerId: String, invoiceId: String, number: String, cause: InvoiceReopeningCause, reopenedOn: CalendarDate,
        balance: Money, previousStatus: InvoiceStatus, status: InvoiceStatus, paymentId: String? = nil
    ) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.cause = cause
        self.reopenedOn = reopenedOn
        self.balance = balance
        self.previousStatus = previousStatus
        self.status = status
        self.paymentId = paymentId
    }

    public var subject: String? { invoiceId }
}

/// What re-opened a settled invoice. An open set of values (a struct, not an enum): later
/// versions of v1 may add causes, which readers must accept.
public struct InvoiceReopeningCause: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A payment allocated to the invoice was reversed (returned direct debit, wrong match).
    public static let reversal = InvoiceReopeningCause(rawValue: "reversal")

    /// The values this version of the code publishes.
    public static let known: [InvoiceReopeningCause] = [.reversal]

    public var description: String { rawValue }
}
