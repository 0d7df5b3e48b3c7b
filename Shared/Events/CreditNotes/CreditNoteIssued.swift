import Money

/// `relance.credit-note.issued.v1`: a credit note was issued, against an invoice or standalone.
/// What the invoice's open balance absorbed is ``appliedToInvoice`` (the invoice side is also
/// published as `invoice.credited`); the rest, ``addedToCredit``, became a customer credit item
/// (also published as `customer.credit-changed`). `appliedToInvoice + addedToCredit = totalAmount`.
public struct CreditNoteIssued: CustomerEvent, Hashable {
    /// The CloudEvents type.
    public static let eventType = "relance.credit-note.issued.v1"
    /// Published on the invoices topic.
    public static let topic = Topic.invoices
    /// The customer: the record key.
    public var customerId: String
    /// The credit note (also `ce_subject`).
    public var creditNoteId: String
    /// The credit note number as printed.
    public var number: String
    /// The invoice it was issued against; absent for a standalone credit note.
    public var invoiceId: String?
    /// That invoice's number.
    public var invoiceNumber: String?
    /// The credit note's amount, VAT included.
    public var totalAmount: Money
    /// The amount without VAT, when the split was given (`netAmount + vatAmount = totalAmount`).
    public var netAmount: Money?
    /// The VAT, when the split was given.
    public var vatAmount: Money?
    /// Why it was issued.
    public var reason: String
    /// The credit note's date.
    public var issueDate: CalendarDate
    /// What reduced the invoice's open balance (zero for a standalone note or a settled invoice).
    public var appliedToInvoice: Money
    /// What became customer credit.
    public var addedToCredit: Money
    /// The credit item holding ``addedToCredit``, when it is above zero.
    public var creditItemId: String?

    /// Creates the event; see the properties for what each value means.
    public init(
        customerId: String, creditNoteId: String, number: String, invoiceId: String?, invoiceNumber: String?,
        totalAmount: Money, netAmount: Money?, vatAmount: Money?, reason: String, issueDate: CalendarDate,
        appliedToInvoice: Money, addedToCredit: Money, creditItemId: String?
    ) {
        self.customerId = customerId
        self.creditNoteId = creditNoteId
        self.number = number
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.totalAmount = totalAmount
        self.netAmount = netAmount
        self.vatAmount = vatAmount
        self.reason = reason
        self.issueDate = issueDate
        self.appliedToInvoice = appliedToInvoice
        self.addedToCredit = addedToCredit
        self.creditItemId = creditItemId
    }

    public var subject: String? { creditNoteId }
}
