import Money

/// `relance.payment.received.v1`: a credit entry of a bank statement became a payment. Once
/// per payment, whatever happens next: `payment.allocated` (one per invoice),
/// `payment.received-on-account` or `payment.unmatched` follow in the same transaction.
///
/// Keyed by the customer when the payer is known, else by the payer's account (see
/// ``partitionKey``).
public struct PaymentReceived: DomainEvent, Hashable {
    public static let eventType = "relance.payment.received.v1"
    public static let topic = Topic.payments
    /// The payment; stable for the same bank entry, however often its statement is imported.
    public var paymentId: String
    /// The customer the payment was matched to or the payer identified as; nil when unknown.
    public var customerId: String?
    /// The amount credited, always positive.
    public var amount: Money
    /// The value date of the entry.
    public var valueDate: CalendarDate
    /// The booking date of the entry.
    public var bookingDate: CalendarDate
    /// The account the money arrived on (IBAN or the bank's account identification).
    public var account: String
    /// The bank's reference of the entry, when the statement gives one.
    public var bankReference: String?
    /// The payer's end-to-end identification (SEPA), when given.
    public var endToEndId: String?
    /// The payer's name as the bank wrote it.
    public var payerName: String?
    /// The payer's IBAN, when the bank gives it.
    public var payerIBAN: String?
    /// The remittance information: structured references then the free text, joined by " / ".
    public var remittance: String?
    /// The statement import the payment came from.
    public var importId: String

    public init(
        paymentId: String, customerId: String?, amount: Money, valueDate: CalendarDate, bookingDate: CalendarDate, account: String,
        bankReference: String? = nil, endToEndId: String? = nil, payerName: String? = nil, payerIBAN: String? = nil,
        remittance: String? = nil, importId: String
    ) {
        self.paymentId = paymentId
        self.customerId = customerId
        self.amount = amount
        self.valueDate = valueDate
        self.bookingDate = bookingDate
        self.account = account
        self.bankReference = bankReference
        self.endToEndId = endToEndId
        self.payerName = payerName
        self.payerIBAN = payerIBAN
        self.remittance = remittance
        self.importId = importId
    }

    /// The customer id; else `payer:` and the payer's IBAN; else `account:` and the receiving
    /// account, so a payer's unmatched payments stay ordered.
    public var partitionKey: String { PaymentReceived.partitionKey(customerId: customerId, payerIBAN: payerIBAN, account: account) }

    public var subject: String? { paymentId }

    /// The key rule shared by the payment events that may not know their customer.
    public static func partitionKey(customerId: String?, payerIBAN: String?, account: String) -> String {
        if let customerId { return customerId }
        if let payerIBAN, !payerIBAN.isEmpty { return "payer:" + payerIBAN }
        return "account:" + account
    }
}
