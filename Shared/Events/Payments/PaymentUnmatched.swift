import Money

/// `relance.payment.unmatched.v1`: a payment the matching engine did not allocate by itself
/// (no candidate, or none sure enough, or two equally likely). It waits in the unmatched queue
/// for a person; the ranked suggestions say what the engine would consider, and why.
public struct PaymentUnmatched: DomainEvent, Hashable {
    public static let eventType = "relance.payment.unmatched.v1"
    public static let topic = Topic.payments
    /// The payment (as in `payment.received`).
    public var paymentId: String
    /// The customer of the best suggestion when every suggestion names the same one; else nil.
    public var customerId: String?
    /// The amount credited.
    public var amount: Money
    /// The value date of the entry.
    public var valueDate: CalendarDate
    /// The account the money arrived on.
    public var account: String
    /// The payer's name as the bank wrote it.
    public var payerName: String?
    /// The payer's IBAN, when the bank gives it.
    public var payerIBAN: String?
    /// The remittance information, as in `payment.received`.
    public var remittance: String?
    /// Ranked suggestions, best first; empty when nothing came close.
    public var suggestions: [Suggestion]
    /// Evidence the engine could not use (a reference to an invoice in another currency, a
    /// bad RF checksum).
    public var notes: [String]

    /// One way the payment could be explained.
    public struct Suggestion: Codable, Sendable, Hashable {
        /// The invoices it would pay, in order.
        public var invoiceIds: [String]
        /// Their numbers, in the same order.
        public var invoiceNumbers: [String]
        /// The customer of those invoices.
        public var customerId: String
        /// Confidence 0...100.
        public var score: Int
        /// The rule behind the weakest evidence (`rfReference`, `structuredInvoiceNumber`,
        /// `invoiceNumberInText`, `payerAndAmount`, `payerAndCombination`: an open set).
        public var rule: String
        /// The evidence, in sentences a person can check.
        public var explanation: String

        public init(invoiceIds: [String], invoiceNumbers: [String], customerId: String, score: Int, rule: String, explanation: String) {
            self.invoiceIds = invoiceIds
            self.invoiceNumbers = invoiceNumbers
            self.customerId = customerId
            self.score = score
            self.rule = rule
            self.explanation = explanation
        }
    }

    public init(
        paymentId: String, customerId: String?, amount: Money, valueDate: CalendarDate, account: String, payerName: String? = nil,
        payerIBAN: String? = nil, remittance: String? = nil, suggestions: [Suggestion], notes: [String]
    ) {
        self.paymentId = paymentId
        self.customerId = customerId
        self.amount = amount
        self.valueDate = valueDate
        self.account = account
        self.payerName = payerName
        self.payerIBAN = payerIBAN
        self.remittance = remittance
        self.suggestions = suggestions
        self.notes = notes
    }

    /// As ``PaymentReceived/partitionKey``, so a payment's events share a partition.
    public var partitionKey: String { PaymentReceived.partitionKey(customerId: customerId, payerIBAN: payerIBAN, account: account) }

    public var subject: String? { paymentId }
}
