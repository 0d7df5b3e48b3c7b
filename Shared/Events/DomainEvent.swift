/// A typed event of the published contract.
///
/// Every conforming type has a JSON Schema under `docs/events/schemas/` named after
/// ``eventType``; a test checks the two agree.
public protocol DomainEvent: Codable, Sendable {
    /// The versioned CloudEvents type, like `relance.invoice.issued.v1`.
    static var eventType: String { get }
    /// The topic the event is published on.
    static var topic: Topic { get }
    /// The record key: what orders the event with others on one partition. The customer id
    /// for ``CustomerEvent``s; a payment's events whose customer is not known yet use the
    /// payer's account instead.
    var partitionKey: String { get }
    /// What inside the customer the event is about (`ce_subject`), e.g. an invoice id.
    var subject: String? { get }
}

/// An event about one known customer: keyed by the customer id, so one customer's events
/// stay ordered on one partition.
public protocol CustomerEvent: DomainEvent {
    /// The customer the event concerns: the record key.
    var customerId: String { get }
}

extension CustomerEvent {
    public var partitionKey: String { customerId }
}
