import Money

/// Money of a payment applied to one invoice.
public struct Allocation: Sendable, Hashable {
    public var invoiceId: String
    public var invoiceNumber: String
    public var customerId: String
    /// Cash of the payment applied to the invoice: positive, at most its open amount.
    public var amount: Money
    /// What is left of the invoice and written off because the payment was short by at most
    /// the policy's tolerance (bank fees); zero otherwise. `amount + writeOff` then equals the
    /// invoice's open amount.
    public var writeOff: Money

    public init(invoiceId: String, invoiceNumber: String, customerId: String, amount: Money, writeOff: Money? = nil) {
        self.invoiceId = invoiceId
        self.invoiceNumber = invoiceNumber
        self.customerId = customerId
        self.amount = amount
        self.writeOff = writeOff ?? .zero(amount.currency)
    }
}
