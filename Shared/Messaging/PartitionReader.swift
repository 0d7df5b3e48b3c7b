import Foundation
import Logging

/// Reads partitions from their beginning up to their end as of the call, in order per
/// partition: how a changelog-backed store restores the state of the partitions it was just
/// assigned, before it processes their input.
///
/// "The end" is a barrier record this reader writes into each partition first (header
/// ``barrierHeader``, a value unique to the read), then reads up to: it works whatever the
/// broker reports as high watermark (Tansu's ListOffsets counts batches, not records), and
/// anything acknowledged before the barrier is read. Readers of such a topic skip records
/// carrying the header; they share one key per partition, so compaction keeps one.
///
/// A plain reader: it joins no group and commits nothing. Blocking (it runs on the consumer's
/// poll thread inside a rebalance hook, or off the cooperative pool).
public enum PartitionReader {
    /// The header marking a barrier record.
    public static let barrierHeader = "relance_barrier"

    /// Reads `partitions` to their current end.
    /// - Parameters:
    ///   - timeout: the longest the whole read may take.
    ///   - barrier: the barrier's value (unique per read): a fence (``PartitionTail``) can
    ///     tell this reader's barrier from another's.
    ///   - body: called per record (barriers excluded), in offset order within a partition.
    /// - Returns: how many records were read.
    /// - Throws: `KafkaError` (the barrier could not be written, or the end was not reached
    ///   within `timeout`), or the error `body` threw.
    @discardableResult
    public static func readToEnd(
        _ partitions: [TopicPartition], configuration: KafkaConfiguration, logger: Logger, timeout: Duration = .seconds(60),
        barrier: String = UUID().uuidString.lowercased(), _ body: (ConsumerRecord) throws -> Void
    ) throws -> Int {
        guard !partitions.isEmpty else { return 0 }
        let deadline = ContinuousClock.now + timeout
        try writeBarriers(barrier, into: partitions, configuration: configuration, logger: logger, deadline: deadline)

        var properties = configuration.consumerProperties(groupId: "relance-reader-\(barrier)")
        properties["enable.auto.commit"] = "false"
        let client = try KafkaClient(kind: .consumer, properties: properties, logger: logger)
        try client.assignFromBeginning(partitions)
        var pending = Set(partitions)
        var count = 0
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else {
                client.closeConsumer()
                throw KafkaError(.broker, "reading \(pending.sorted()) to their end took longer than \(timeout)")
            }
            let wait = Int32(clamping: max(Duration.milliseconds(1), min(.milliseconds(100), deadline - .now)).milliseconds)
            for record in client.pollBatch(maxRecords: 500, timeoutMilliseconds: wait) {
                let partition = TopicPartition(topic: record.topic, partition: record.partition)
                guard pending.contains(partition) else { continue }
                if let mark = record.headers.first(where: { $0.name == barrierHeader }) {
                    if mark.stringValue == barrier { pending.remove(partition) }
                    continue
                }
                try body(record)
                count += 1
            }
        }
        client.closeConsumer()
        return count
    }

    private static func writeBarriers(
        _ barrier: String, into partitions: [TopicPartition], configuration: KafkaConfiguration, logger: Logger,
        deadline: ContinuousClock.Instant
    ) throws(KafkaError) {
        let producer = try KafkaClient(kind: .producer, properties: configuration.producerProperties, logger: logger)
        let records = partitions.map { partition in
            OutgoingRecord(topic: partition.topic, key: Data("relance.barrier".utf8), value: Data(barrier.utf8),
                           headers: [KafkaHeader(name: barrierHeader, string: barrier)], partition: partition.partition)
        }
        let tracker = DeliveryTracker(expecting: records.count)
        let (enqueued, failure) = producer.produce(records[...], tracker: tracker)
        if let failure {
            tracker.complete(nil, count: records.count - enqueued)
            _ = producer.flush(timeoutMilliseconds: 1_000)
            throw KafkaError(.delivery, "writing the restore barrier: \(failure.reason)", librdkafkaCode: failure.code)
        }
        while !tracker.outcome.done {
            guard ContinuousClock.now < deadline else { throw KafkaError(.delivery, "the restore barrier was not acknowledged in time") }
            producer.poll(timeoutMilliseconds: 50)
        }
        if let error = tracker.outcome.error { throw KafkaError(.delivery, "the restore barrier was refused: \(error)") }
    }
}
