import Money

/// One way the engine could explain a queued payment, as the API shows it.
public struct PaymentSuggestion: Sendable, Hashable, Codable {
    /// One invoice of the suggestion and what it would receive.
    public struct Line: Sendable, Hashable, Codable {
        public var invoiceId: String
        public var invoiceNumber: String
        public var customerId: String
        public var amount: Money
        public var writeOff: Money

        public init(invoiceId: String, invoiceNumber: String, customerId: String, amount: Money, writeOff: Money) {
            self.invoiceId = invoiceId
            self.invoiceNumber = invoiceNumber
            self.customerId = customerId
            self.amount = amount
            self.writeOff = writeOff
        }
    }

    public var lines: [Line]
    /// What would be left as the customer's credit (an overpayment).
    public var credit: Money
    public var creditCustomerId: String?
    public var rule: String
    public var score: Int
    public var explanation: String

    public init(lines: [Line], credit: Money, creditCustomerId: String?, rule: String, score: Int, explanation: String) {
        self.lines = lines
        self.credit = credit
        self.creditCustomerId = creditCustomerId
        self.rule = rule
        self.score = score
        self.explanation = explanation
    }

    /// The API form of an engine candidate.
    init(_ candidate: MatchCandidate) {
        self.init(
            lines: candidate.allocations.map {
                Line(invoiceId: $0.invoiceId, invoiceNumber: $0.invoiceNumber, customerId: $0.customerId, amount: $0.amount, writeOff: $0.writeOff)
            },
            credit: candidate.credit, creditCustomerId: candidate.creditCustomerId, rule: candidate.rule.rawValue,
            score: candidate.score, explanation: candidate.explanation)
    }
}
