/// `relance.quote.refused.v1`: the customer refused the quote.
public struct QuoteRefused: CustomerEvent, Hashable {
    public static let eventType = "relance.quote.refused.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var quoteId: String
    public var number: String
    public var reason: String?

    public init(customerId: String, quoteId: String, number: String, reason: String? = nil) {
        self.customerId = customerId
        self.quoteId = quoteId
        self.number = number
        self.reason = reason
    }

    public var subject: String? { quoteId }
}
