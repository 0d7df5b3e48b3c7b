import Money

/// `relance.payment.received-on-account.v1`: money from a known customer that is not allocated
/// to any invoice (no reference, or more than the customer owes). Invoicing keeps it as a
/// `paymentOnAccount` credit item. At most one per payment; `payment.reversed` without an
/// allocation takes it back.
public struct PaymentReceivedOnAccount: CustomerEvent, Hashable {
    public static let eventType = "relance.payment.received-on-account.v1"
    public static let topic = Topic.payments
    public var customerId: String
    /// The payment; identifies what is received on account (a reversal names it).
    public var paymentId: String
    /// The amount received on account (all of the payment, or what was not allocated).
    public var amount: Money
    /// The payment's value date.
    public var valueDate: CalendarDate
    /// The bank's reference of the entry, when the statement gives one.
    public var bankReference: String?
    /// The remittance text the payer wrote, when there is one.
    public var remittance: String?

    public init(customerId: String, paymentId: String, amount: Money, valueDate: CalendarDate, bankReference: String? = nil, remittance: String? = nil) {
        self.customerId = customerId
        self.paymentId = paymentId
        self.amount = amount
        self.valueDate = valueDate
        self.bankReference = bankReference
        self.remittance = remittance
    }

    public var subject: String? { paymentId }
}
