/// `relance.quote.sent.v1`: the quote was sent to the customer; it can be accepted until `validUntil`.
public struct QuoteSent: CustomerEvent, Hashable {
    public static let eventType = "relance.quote.sent.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var quoteId: String
    public var number: String
    public var validUntil: CalendarDate

    public init(customerId: String, quoteId: String, number: String, validUntil: CalendarDate) {
        self.customerId = customerId
        self.quoteId = quoteId
        self.number = number
        self.validUntil = validUntil
    }

    public var subject: String? { quoteId }
}
