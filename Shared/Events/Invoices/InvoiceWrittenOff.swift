import Money

/// `relance.invoice.written-off.v1`: the open balance, or part of it within the configured
/// tolerance, was written off.
public struct InvoiceWrittenOff: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.written-off.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var invoiceId: String
    public var number: String
    public var amount: Money
    public var reason: String
    /// Why, for programs: `bankFees`, `rounding`, `other` (an open set); absent for a loss
    /// written off without one.
    public var category: String?
    /// The open balance left afterwards: zero unless part of the balance was written off.
    /// Absent from events written before it existed (they wrote off the whole balance).
    public var remainingBalance: Money?

    public init(customerId: String, invoiceId: String, number: String, amount: Money, reason: String,
                category: String? = nil, remainingBalance: Money? = nil) {
        self.customerId = customerId
        self.invoiceId = invoiceId
        self.number = number
        self.amount = amount
        self.reason = reason
        self.category = category
        self.remainingBalance = remainingBalance
    }

    public var subject: String? { invoiceId }
}
