import Events
import Foundation
import Money

/// A payment as the API shows it: the bank entry, what was decided, and what is left.
public struct ReceivedPayment: Sendable, Hashable, Codable {
    public var id: String
    /// The statement import it came from.
    public var importId: String
    /// The account the money arrived on.
    public var account: String
    public var amount: Money
    public var valueDate: CalendarDate
    public var bookingDate: CalendarDate
    public var bankReference: String?
    public var endToEndId: String?
    public var payerName: String?
    public var payerIBAN: String?
    /// Structured references then free text, joined by " / ".
    public var remittance: String?
    public var status: PaymentStatus
    /// Allocated to invoices (not counting undone allocations).
    public var allocatedAmount: Money
    /// Kept as credit of ``onAccountCustomerId``.
    public var onAccountAmount: Money
    public var onAccountCustomerId: String?
    /// What is neither allocated nor on account: zero unless queued.
    public var remainingAmount: Money
    /// Every allocation, undone ones included (with who undid them and when).
    public var allocations: [PaymentAllocation]
    /// While queued: the engine's ranked suggestions.
    public var suggestions: [PaymentSuggestion]
    /// Evidence the engine could not use.
    public var notes: [String]
    /// Every decision, oldest first.
    public var decisions: [PaymentDecision]
    /// Where in the file the entry was (line or element path).
    public var location: String?
    public var createdAt: Date

    public init(
        id: String, importId: String, account: String, amount: Money, valueDate: CalendarDate, bookingDate: CalendarDate,
        bankReference: String?, endToEndId: String?, payerName: String?, payerIBAN: String?, remittance: String?,
        status: PaymentStatus, allocatedAmount: Money, onAccountAmount: Money, onAccountCustomerId: String?,
        allocations: [PaymentAllocation], suggestions: [PaymentSuggestion], notes: [String], decisions: [PaymentDecision],
        location: String?, createdAt: Date
    ) {
        self.id = id
        self.importId = importId
        self.account = account
        self.amount = amount
        self.valueDate = valueDate
        self.bookingDate = bookingDate
        self.bankReference = bankReference
        self.endToEndId = endToEndId
        self.payerName = payerName
        self.payerIBAN = payerIBAN
        self.remittance = remittance
        self.status = status
        self.allocatedAmount = allocatedAmount
        self.onAccountAmount = onAccountAmount
        self.onAccountCustomerId = onAccountCustomerId
        self.remainingAmount = Money(
            minorUnits: status.isQueued ? amount.minorUnits - allocatedAmount.minorUnits - onAccountAmount.minorUnits : 0,
            currency: amount.currency)
        self.allocations = allocations
        self.suggestions = suggestions
        self.notes = notes
        self.decisions = decisions
        self.location = location
        self.createdAt = createdAt
    }
}

/// Part of a payment allocated to one invoice.
public struct PaymentAllocation: Sendable, Hashable, Codable {
    public var id: String
    public var invoiceId: String
    public var invoiceNumber: String
    public var customerId: String
    public var amount: Money
    /// Short payment written off on the invoice (bank fees within tolerance); zero otherwise.
    public var writeOff: Money
    /// The engine's rule, or `manual`.
    public var rule: String
    /// The engine's confidence; nil for a person's decision.
    public var score: Int?
    /// `engine`, or the person who decided.
    public var decidedBy: String
    public var decidedAt: Date
    public var undoneAt: Date?
    public var undoneBy: String?

    public init(
        id: String, invoiceId: String, invoiceNumber: String, customerId: String, amount: Money, writeOff: Money, rule: String,
        score: Int?, decidedBy: String, decidedAt: Date, undoneAt: Date?, undoneBy: String?
    ) {
        self.id = id
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.customerId = customerId
        self.amount = amount
        self.writeOff = writeOff
        self.rule = rule
        self.score = score
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.undoneAt = undoneAt
        self.undoneBy = undoneBy
    }
}

/// One decision about a payment, kept for audit.
public struct PaymentDecision: Sendable, Hashable, Codable {
    /// `allocatedAutomatically`, `queued`, `allocated`, `markedNotCustomer`, `undone`, `reversedByBank`.
    public var kind: String
    /// `engine`, `bank`, or the person.
    public var actor: String
    public var at: Date
    /// What was decided, in a sentence.
    public var detail: String

    public init(kind: String, actor: String, at: Date, detail: String) {
        self.kind = kind
        self.actor = actor
        self.at = at
        self.detail = detail
    }
}
