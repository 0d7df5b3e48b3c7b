import Money

/// `relance.quote.accepted.v1`: the customer accepted the quote; the order it created follows
/// (`order.created`, origin `quote`) in the same transaction.
public struct QuoteAccepted: CustomerEvent, Hashable {
    public static let eventType = "relance.quote.accepted.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var quoteId: String
    public var number: String
    public var orderId: String
    public var orderNumber: String
    public var totalAmount: Money

    public init(customerId: String, quoteId: String, number: String, orderId: String, orderNumber: String, totalAmount: Money) {
        self.customerId = customerId
        self.quoteId = quoteId
        self.number = number
        self.orderId = orderId
        self.orderNumber = orderNumber
        self.totalAmount = totalAmount
    }

    public var subject: String? { quoteId }
}
