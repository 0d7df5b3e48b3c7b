/// `relance.quote.expired.v1`: the quote was not accepted by its `validUntil` day (customer's time zone): found on access, or by the periodic sweep.
public struct QuoteExpired: CustomerEvent, Hashable {
    public static let eventType = "relance.quote.expired.v1"
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
