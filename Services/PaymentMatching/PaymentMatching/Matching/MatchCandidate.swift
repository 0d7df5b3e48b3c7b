import Money

/// One way of explaining a payment: what it pays, why, and how sure the engine is.
///
/// Money always adds up: the allocations' amounts plus ``credit`` equal the payment. Write-offs
/// are not cash: they settle what a short payment left open on an invoice.
public struct MatchCandidate: Sendable, Hashable {
    /// In the order the money was applied (due date, then number).
    public var allocations: [Allocation]
    /// What is left of the payment after the allocations (an overpayment), to keep as credit
    /// of ``creditCustomerId``; zero otherwise.
    public var credit: Money
    /// The customer the credit belongs to; nil when there is no credit.
    public var creditCustomerId: String?
    /// The rule behind the weakest evidence the score rests on.
    public var rule: MatchRule
    /// Confidence 0...100 (see ``MatchingEngine`` for the scale).
    public var score: Int
    /// Sentences a person can check: the references or payer found, then how the amount fits.
    public var evidence: [String]

    public init(allocations: [Allocation], credit: Money, creditCustomerId: String? = nil, rule: MatchRule, score: Int, evidence: [String]) {
        self.allocations = allocations
        self.credit = credit
        self.creditCustomerId = creditCustomerId
        self.rule = rule
        self.score = score
        self.evidence = evidence
    }

    /// The sum written off over all allocations (short payment within tolerance).
    public var writeOff: Money {
        Money(minorUnits: allocations.reduce(0) { $0 + $1.writeOff.minorUnits }, currency: credit.currency)
    }

    /// The whole explanation on one line: the evidence joined.
    public var explanation: String { evidence.joined(separator: "; ") }

    /// What the candidate does with the money, as fields: for merging the same outcome reached
    /// by several rules (dozens of candidates a payment) without writing the numbers out.
    struct Outcome: Hashable {
        struct Part: Hashable {
            let invoiceId: String
            let amount: Int64
            let writeOff: Int64
        }

        let parts: [Part]
        let credit: Int64
    }

    var outcome: Outcome {
        Outcome(parts: allocations.map { Outcome.Part(invoiceId: $0.invoiceId, amount: $0.amount.minorUnits, writeOff: $0.writeOff.minorUnits) },
                credit: credit.minorUnits)
    }

    /// ``outcome`` written out: the last tie-break of the ranking.
    var outcomeKey: [String] {
        allocations.map { "\($0.invoiceId)=\($0.amount.minorUnits)/\($0.writeOff.minorUnits)" } + ["credit=\(credit.minorUnits)"]
    }
}
