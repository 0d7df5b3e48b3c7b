import Money

/// What a reminder or a collection case claims in all, in its one currency: each amount is
/// the sum over its invoices, and `totalClaimed` is `balance + lateInterest + recoveryIndemnity`.
public struct ClaimTotals: Codable, Sendable, Hashable {
    /// The sum of the invoices' balances.
    public var balance: Money
    /// The sum of the late-payment interest claimed.
    public var lateInterest: Money
    /// The sum of the recovery indemnities claimed.
    public var recoveryIndemnity: Money
    /// `balance + lateInterest + recoveryIndemnity`: what the customer is asked to pay.
    public var totalClaimed: Money

    public init(balance: Money, lateInterest: Money, recoveryIndemnity: Money, totalClaimed: Money) {
        self.balance = balance
        self.lateInterest = lateInterest
        self.recoveryIndemnity = recoveryIndemnity
        self.totalClaimed = totalClaimed
    }

    /// The totals of invoices in one currency.
    /// - Throws: `MoneyError` when an amount is in another currency than `currency` (one
    ///   claim is one currency: split the invoices first) or a sum overflows.
    public init(summing invoices: [ClaimedInvoice], currency: Currency) throws(MoneyError) {
        var balance = Money.zero(currency)
        var interest = Money.zero(currency)
        var indemnity = Money.zero(currency)
        for invoice in invoices {
            balance = try balance.adding(invoice.balance)
            interest = try interest.adding(invoice.lateInterest)
            indemnity = try indemnity.adding(invoice.recoveryIndemnity)
        }
        let claimed = try balance.adding(interest).adding(indemnity)
        self.init(balance: balance, lateInterest: interest, recoveryIndemnity: indemnity, totalClaimed: claimed)
    }
}
