import Money

/// `relance.invoice.paid.v1`: the invoice became `paid` for the first time: its open balance
/// reached zero with money received on it (the last move may be a payment, or a credit note
/// or a small write-off covering the rest).
///
/// Published **at most once per invoice**: when a re-opened invoice (``InvoiceReopened``) is
/// settled again, only ``InvoiceSettled`` is published. Follow ``InvoiceSettled`` and
/// ``InvoiceReopened`` to track every move of the open balance to and from zero.
public struct InvoicePaid: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.paid.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var totalAmount: Money
    /// The value date of the last payment received on it when it became paid: the payment
    /// that settled it, or the last one before the credit note or write-off that did.
    public var paidOn: CalendarDate

    public init(customerId: String, invoiceId: String, number: String, totalAmount: Money, paidOn: CalendarDate) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.totalAmount = totalAmount
        self.paidOn = paidOn
    }

    public var subject: String? { invoiceId }
}
