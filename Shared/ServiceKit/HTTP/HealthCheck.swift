import Foundation
import GRDB
import Messaging

/// A named readiness check: the database answers, the broker answers.
public struct HealthCheck: Sendable {
    public let name: String
    public let check: @Sendable () async throws -> Void

    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }

    /// The database answers `SELECT 1`.
    public static func database(_ reader: any DatabaseReader) -> HealthCheck {
        HealthCheck(name: "database") { _ = try await reader.read { try Int.fetchOne($0, sql: "SELECT 1") } }
    }

    /// The broker answers a metadata request within 2 s.
    public static func broker(_ admin: KafkaAdmin) -> HealthCheck {
        HealthCheck(name: "broker") { _ = try await admin.topicNames(timeout: .seconds(2)) }
    }

    /// The consumer, once assigned, holds every partition of its topics: for a service whose
    /// store is a projection of whole topics (it must see every customer), a second instance
    /// in the group would silently take half of them. Fails, naming the partitions missing,
    /// until the other member leaves.
    public static func soleConsumer(_ consumer: Consumer, topics: [String], admin: KafkaAdmin, group: String) -> HealthCheck {
        HealthCheck(name: "sole-consumer") {
            let assigned = consumer.assignedPartitions
            guard !assigned.isEmpty else { return }
            let counts = try await admin.partitionCounts(of: topics, timeout: .seconds(2))
            let missing = counts.flatMap { topic, count in
                (0..<count).map { TopicPartition(topic: topic, partition: Int32($0)) }.filter { !assigned.contains($0) }
            }
            guard missing.isEmpty else {
                throw SoleConsumerViolation(group: group, missing: missing.sorted())
            }
        }
    }
}

/// Another member of the consumer group holds partitions this single-instance service must read.
public struct SoleConsumerViolation: Error, CustomStringConvertible, Sendable {
    public let group: String
    public let missing: [TopicPartition]

    public var description: String {
        "another member of consumer group \(group) holds \(missing.count) partition(s) (\(missing.prefix(5).map(\.description).joined(separator: ", "))): this service runs as one instance; stop the other one"
    }
}
