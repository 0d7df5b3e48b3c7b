import Money

/// `relance.invoice.credited.v1`: a credit note reduced the invoice's balance.
public struct InvoiceCredited: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.credited.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var creditNoteId: String
    public var creditNoteNumber: String
    /// What the credit note took off the open balance: the whole note, or the part the balance
    /// could absorb (the rest became customer credit: ``CreditNoteIssued``).
    public var amount: Money
    /// The invoice's open balance after the credit note.
    public var balance: Money

    public init(customerId: String, invoiceId: String, number: String, creditNoteId: String, creditNoteNumber: String, amount: Money, balance: Money) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.creditNoteId = creditNoteId
        self.creditNoteNumber = creditNoteNumber
        self.amount = amount
        self.balance = balance
    }

    public var subject: String? { invoiceId }
}
