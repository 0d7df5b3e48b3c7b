import Events
import Money

/// A payment received, as the matching engine sees it: a credit of a bank statement (or one
/// transaction of a batch booking), or a payment entered through the API.
public struct Payment: Sendable, Hashable {
    /// The payment's identity in the service (stable across imports).
    public var id: String
    /// Positive, in the currency the money arrived in.
    public var amount: Money
    /// The day the money is available; the engine's only notion of "today": invoices issued
    /// after it are not offered as amount-only matches.
    public var valueDate: CalendarDate
    /// What the payer wrote: structured references and free text.
    public var remittance: Remittance
    /// Who paid, as the bank reports it.
    public var counterparty: Counterparty?
    /// The bank's reference of the entry, for people reading the explanation.
    public var bankReference: String?

    public init(id: String, amount: Money, valueDate: CalendarDate, remittance: Remittance = Remittance(),
                counterparty: Counterparty? = nil, bankReference: String? = nil) {
        self.id = id
        self.amount = amount
        self.valueDate = valueDate
        self.remittance = remittance
        self.counterparty = counterparty
        self.bankReference = bankReference
    }
}
