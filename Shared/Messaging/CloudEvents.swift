import Events
import Foundation

/// The CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes in `ce_*`
/// headers, data as the record value.
public enum CloudEvents {
    public static let idHeader = "ce_id"
    public static let typeHeader = "ce_type"
    public static let sourceHeader = "ce_source"
    public static let timeHeader = "ce_time"
    public static let subjectHeader = "ce_subject"
    public static let specVersionHeader = "ce_specversion"
    public static let contentTypeHeader = "content-type"

    /// The record carrying an envelope on a topic, keyed by the envelope's key.
    public static func record(for envelope: Envelope, topic: String) -> OutgoingRecord {
        record(
            topic: topic, id: envelope.id, type: envelope.type, source: envelope.source,
            time: EventJSON.formatInstant(envelope.time), subject: envelope.subject, key: envelope.key,
            data: envelope.data, contentType: envelope.contentType)
    }

    /// The record for attributes already in their wire form (`time` formatted as ISO 8601),
    /// as the outbox stores them: no parsing and re-formatting on the relay's hot path.
    public static func record(
        topic: String, id: String, type: String, source: String, time: String, subject: String?,
        key: String, data: Data, contentType: String
    ) -> OutgoingRecord {
        var headers = [
            KafkaHeader(name: specVersionHeader, string: Envelope.specVersion),
            KafkaHeader(name: idHeader, string: id),
            KafkaHeader(name: typeHeader, string: type),
            KafkaHeader(name: sourceHeader, string: source),
            KafkaHeader(name: timeHeader, string: time),
            KafkaHeader(name: contentTypeHeader, string: contentType),
        ]
        if let subject {
            headers.append(KafkaHeader(name: subjectHeader, string: subject))
        }
        return OutgoingRecord(topic: topic, key: Data(key.utf8), value: data, headers: headers)
    }

    /// Reads the envelope out of a consumed record.
    /// - Throws: `InvalidCloudEvent` (a poison record) when a required attribute is missing or malformed.
    public static func envelope(from record: ConsumerRecord) throws(InvalidCloudEvent) -> Envelope {
        func required(_ name: String) throws(InvalidCloudEvent) -> String {
            guard let value = record.header(name), !value.isEmpty else {
                throw InvalidCloudEvent(reason: "header \(name) is missing", topic: record.topic, offset: record.offset)
            }
            return value
        }
        let version = try required(specVersionHeader)
        guard version == Envelope.specVersion else {
            throw InvalidCloudEvent(reason: "unsupported ce_specversion \(version)", topic: record.topic, offset: record.offset)
        }
        let timeText = try required(timeHeader)
        guard let time = EventJSON.parseInstant(timeText) else {
            throw InvalidCloudEvent(reason: "ce_time '\(timeText)' is not an ISO 8601 instant", topic: record.topic, offset: record.offset)
        }
        guard let key = record.keyString, !key.isEmpty else {
            throw InvalidCloudEvent(reason: "record has no key (customer id)", topic: record.topic, offset: record.offset)
        }
        return Envelope(
            id: try required(idHeader),
            type: try required(typeHeader),
            source: try required(sourceHeader),
            time: time,
            subject: record.header(subjectHeader),
            key: key,
            data: record.value,
            contentType: record.header(contentTypeHeader) ?? "application/json"
        )
    }
}

/// A record that is not a valid CloudEvent: it goes to the dead-letter queue.
public struct InvalidCloudEvent: PoisonRecordError, CustomStringConvertible {
    public let reason: String
    public let topic: String
    public let offset: Int64

    public var description: String { "invalid CloudEvent at \(topic)@\(offset): \(reason)" }
}
