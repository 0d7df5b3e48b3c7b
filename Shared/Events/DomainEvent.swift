/// A typed event of the published contract.
///
/// Every conforming type has a JSON Schema under `docs/events/schemas/` named after
/// ``eventType``; a test checks the two agree.
public protocol DomainEvent: Codable, Sendable {
    /// The versioned CloudEvents type, like `relance.invoice.issued.v1`.
    static var eventType: String { get }
    /// The topic the event is published on.
    static var topic: Topic { get }
    /// The customer the event concerns: the record key.
    var customerId: String { get }
    /// What inside the customer the event is about (`ce_subject`), e.g. an invoice id.
    var subject: String? { get }
}
