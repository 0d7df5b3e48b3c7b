import Foundation

/// A record header: a name and raw bytes.
public struct KafkaHeader: Sendable, Hashable {
    public var name: String
    public var value: Data

    public init(name: String, value: Data) {
        self.name = name
        self.value = value
    }

    public init(name: String, string: String) {
        self.init(name: name, value: Data(string.utf8))
    }

    /// The value read as UTF-8.
    public var stringValue: String { String(decoding: value, as: UTF8.self) }
}

/// A record to produce.
public struct OutgoingRecord: Sendable, Hashable {
    public var topic: String
    /// The partitioning key: the customer id on Relance topics.
    public var key: Data?
    public var value: Data
    public var headers: [KafkaHeader]
    /// An explicit partition; nil lets the key choose (the usual case). A changelog sets it to
    /// the partition of the input record it records, as Kafka Streams does, so that the state
    /// of input partition p is in changelog partition p.
    public var partition: Int32?

    public init(topic: String, key: Data?, value: Data, headers: [KafkaHeader] = [], partition: Int32? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}

/// A record read from the broker.
public struct ConsumerRecord: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: Data?
    public var value: Data
    public var headers: [KafkaHeader]
    /// Producer or broker timestamp, when the broker gave one.
    public var timestamp: Date?

    public init(
        topic: String, partition: Int32, offset: Int64, key: Data?, value: Data,
        headers: [KafkaHeader], timestamp: Date? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// The value of the first header with that name, as UTF-8.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.stringValue
    }

    /// The key as UTF-8 text.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }
}

/// A topic partition, e.g. for reporting assignments.
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    public var description: String { "\(topic)[\(partition)]" }
}
