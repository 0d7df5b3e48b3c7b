import Money

/// A person's allocation of a queued payment: `POST /v1/payments/{id}/allocations`.
///
/// The invoices may be of several customers; their amounts plus ``onAccount`` must not exceed
/// what the payment has left. What is left after that stays in the queue.
public struct ManualAllocation: Sendable, Hashable, Codable {
    /// One invoice and the amount it receives.
    public struct Line: Sendable, Hashable, Codable {
        public var invoiceId: String
        public var amount: Money

        public init(invoiceId: String, amount: Money) {
            self.invoiceId = invoiceId
            self.amount = amount
        }
    }

    /// Credit kept for a customer (money received on account).
    public struct OnAccount: Sendable, Hashable, Codable {
        public var customerId: String
        public var amount: Money

        public init(customerId: String, amount: Money) {
            self.customerId = customerId
            self.amount = amount
        }
    }

    public var lines: [Line]
    public var onAccount: OnAccount?
    /// Who decided (kept with the decision).
    public var decidedBy: String
    /// Why, in a sentence (optional).
    public var note: String?

    private enum CodingKeys: String, CodingKey {
        case lines, onAccount, decidedBy, note
    }

    /// `lines` may be left out when everything goes on account.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lines = try container.decodeIfPresent([Line].self, forKey: .lines) ?? []
        onAccount = try container.decodeIfPresent(OnAccount.self, forKey: .onAccount)
        decidedBy = try container.decode(String.self, forKey: .decidedBy)
        note = try container.decodeIfPresent(String.self, forKey: .note)
    }

    public init(lines: [Line], onAccount: OnAccount? = nil, decidedBy: String, note: String? = nil) {
        self.lines = lines
        self.onAccount = onAccount
        self.decidedBy = decidedBy
        self.note = note
    }
}
