import Money

/// `relance.customer.credit-changed.v1`: a customer's open credit in one currency changed: an
/// overpayment or a credit note's excess added a credit item, credit was applied to an
/// invoice, a payment reversal took credit back. One event per credit item concerned.
public struct CustomerCreditChanged: CustomerEvent, Hashable {
    /// The CloudEvents type.
    public static let eventType = "relance.customer.credit-changed.v1"
    /// Published on the customers topic, like the customer's other events.
    public static let topic = Topic.customers
    /// The customer: the record key.
    public var customerId: String
    /// The currency of the credit that changed.
    public var currency: Currency
    /// The credit item concerned.
    public var creditItemId: String
    /// The change of the customer's open credit in ``currency``: positive when credit
    /// appeared, negative when it was applied or taken back.
    public var change: Money
    /// What is still open on the item afterwards.
    public var itemOpenAmount: Money
    /// The customer's open credit in ``currency`` afterwards (the sum over its items; never
    /// negative).
    public var openCredit: Money
    /// Why it changed.
    public var cause: CustomerCreditChangeCause
    /// The invoice the credit was applied to (`appliedToInvoice`).
    public var invoiceId: String?
    /// That invoice's number.
    public var invoiceNumber: String?
    /// The payment behind the credit (`overpayment`, `paymentOnAccount`, `paymentReversed`).
    public var paymentId: String?
    /// The credit note behind the credit (`creditNote`).
    public var creditNoteId: String?

    /// Creates the event; see the properties for what each value means.
    public init(
        customerId: String, currency: Currency, creditItemId: String, change: Money, itemOpenAmount: Money, openCredit: Money,
        cause: CustomerCreditChangeCause, invoiceId: String? = nil, invoiceNumber: String? = nil, paymentId: String? = nil,
        creditNoteId: String? = nil
    ) {
        self.customerId = customerId
        self.currency = currency
        self.creditItemId = creditItemId
        self.change = change
        self.itemOpenAmount = itemOpenAmount
        self.openCredit = openCredit
        self.cause = cause
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.paymentId = paymentId
        self.creditNoteId = creditNoteId
    }

    public var subject: String? { customerId }
}

/// Why a customer's open credit changed. An open set of values (a struct, not an enum),
/// encoded as its raw string: later versions of v1 may add causes, which readers must accept.
public struct CustomerCreditChangeCause: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The value as published.
    public var rawValue: String

    /// Wraps a published value, known or not.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A payment above the open balance of its invoice (or on a closed invoice): the excess.
    public static let overpayment = CustomerCreditChangeCause(rawValue: "overpayment")
    /// A payment received without an invoice to apply it to.
    public static let paymentOnAccount = CustomerCreditChangeCause(rawValue: "paymentOnAccount")
    /// A credit note beyond what its invoice's open balance could absorb, or a standalone one.
    public static let creditNote = CustomerCreditChangeCause(rawValue: "creditNote")
    /// Credit applied to an invoice (`invoiceId`), by hand or automatically.
    public static let appliedToInvoice = CustomerCreditChangeCause(rawValue: "appliedToInvoice")
    /// The payment whose excess the credit was was reversed: what was still open is taken back.
    public static let paymentReversed = CustomerCreditChangeCause(rawValue: "paymentReversed")

    /// The values this version of the code publishes.
    public static let known: [CustomerCreditChangeCause] = [.overpayment, .paymentOnAccount, .creditNote, .appliedToInvoice, .paymentReversed]

    public var description: String { rawValue }
}
