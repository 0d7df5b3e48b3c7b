import Foundation

/// One event as it travels between services: CloudEvents 1.0 attributes plus the JSON data.
///
/// On Kafka the attributes are record headers (`ce_id`, `ce_type`, ...; binary content mode)
/// and the data is the record value. ``key`` is the record key, the event's
/// ``DomainEvent/partitionKey``: the customer id for a ``CustomerEvent``, so one customer's
/// events stay ordered on one partition.
public struct Envelope: Sendable, Hashable {
    /// Unique per event (`ce_id`); consumers deduplicate on it.
    public var id: String
    /// Versioned type (`ce_type`), like `relance.invoice.issued.v1`.
    public var type: String
    /// The producing service (`ce_source`), like `/relance/invoicing`.
    public var source: String
    /// When the fact happened (`ce_time`).
    public var time: Date
    /// What the event is about inside the customer (`ce_subject`), e.g. an invoice id.
    public var subject: String?
    /// The record key: the customer id, or a payer's account for a payment of no known customer.
    public var key: String
    /// The event's JSON data (the record value).
    public var data: Data
    /// Media type of ``data``. Default: `application/json`.
    public var contentType: String

    /// The CloudEvents version Relance speaks.
    public static let specVersion = "1.0"

    public init(
        id: String = TimeOrderedID.make(),
        type: String,
        source: String,
        time: Date,
        subject: String? = nil,
        key: String,
        data: Data,
        contentType: String = "application/json"
    ) {
        self.id = id
        self.type = type
        self.source = source
        self.time = time
        self.subject = subject
        self.key = key
        self.data = data
        self.contentType = contentType
    }

    /// Wraps a typed event, encoding it with Relance's JSON conventions.
    /// - Throws: `EncodingError` if the event cannot be encoded.
    public init<Event: DomainEvent>(
        _ event: Event,
        source: String,
        time: Date,
        id: String = TimeOrderedID.make()
    ) throws {
        self.init(
            id: id,
            type: Event.eventType,
            source: source,
            time: time,
            subject: event.subject,
            key: event.partitionKey,
            data: try EventJSON.encode(event)
        )
    }

    /// Decodes the data as the given event type.
    /// - Throws: `EventDecodingError` when the type does not match or the JSON is invalid.
    public func decode<Event: DomainEvent>(_: Event.Type) throws(EventDecodingError) -> Event {
        guard type == Event.eventType else {
            throw EventDecodingError(eventId: id, type: type, reason: "expected \(Event.eventType)")
        }
        do {
            return try EventJSON.decode(Event.self, from: data)
        } catch {
            throw EventDecodingError(eventId: id, type: type, reason: String(describing: error))
        }
    }
}

/// An event whose data could not be read as the expected type: a poison record for the DLQ.
public struct EventDecodingError: Error, Sendable, CustomStringConvertible {
    public let eventId: String
    public let type: String
    public let reason: String

    public init(eventId: String, type: String, reason: String) {
        self.eventId = eventId
        self.type = type
        self.reason = reason
    }

    public var description: String { "event \(eventId) of type \(type) cannot be decoded: \(reason)" }
}
