import Foundation
import Messaging

/// Publishes ledger entries to the changelog topic and waits for the broker's acknowledgement:
/// key = notification id, partition = the command's partition (so that the ledger of input
/// partition p is changelog partition p, as Kafka Streams keeps state).
///
/// Synchronous on purpose, not through the outbox: a `sending` entry must be on the broker
/// before the provider is called, or the partition's next owner (another instance, reading
/// the changelog, not this instance's outbox) would not know it was being sent.
public struct ChangelogWriter: Sendable {
    let producer: Producer
    /// The changelog topic's broker name.
    public let topic: String

    public init(producer: Producer, topic: String) {
        self.producer = producer
        self.topic = topic
    }

    /// Publishes one entry.
    /// - Throws: `KafkaError` when the broker did not acknowledge it.
    public func publish(_ entry: LedgerEntry) async throws {
        try await publish([entry])
    }

    /// Publishes entries together (in order per partition) and waits until all are
    /// acknowledged: one wait for a batch of commands.
    /// - Throws: `KafkaError` with the first failure; other entries may have been published.
    public func publish(_ entries: [LedgerEntry]) async throws {
        try await publish(entries, encoded: try entries.map(NotificationLedger.encode))
    }

    /// Publishes entries already encoded by the ledger's save (the same bytes as its rows),
    /// one value per entry.
    /// - Throws: `KafkaError` with the first failure; other entries may have been published.
    func publish(_ entries: [LedgerEntry], encoded: [Data]) async throws {
        let records = zip(entries, encoded).map { entry, value in
            OutgoingRecord(topic: topic, key: Data(entry.notificationId.utf8), value: value, partition: entry.partition)
        }
        try await producer.send(records)
    }
}
