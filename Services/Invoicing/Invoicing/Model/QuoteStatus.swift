/// Where a quote stands: `draft` → `sent` → `accepted` (an order was created) / `refused` /
/// `expired` (not accepted by its `validUntil` day, in the customer's time zone).
public enum QuoteStatus: String, Hashable, Sendable, Codable, CaseIterable {
    case draft, sent, accepted, refused, expired
}
