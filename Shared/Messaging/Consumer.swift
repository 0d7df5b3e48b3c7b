import Dispatch
import Events
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// A consumer-group member that hands records to an async handler, in order per partition,
/// and stores `offset + 1` only after the handler succeeded (at-least-once).
///
/// - A handler error conforming to ``PoisonRecordError`` sends the record to `<topic>.dlq`
///   with the error and its origin in headers; the consumer then moves on.
/// - Any other error is transient: the same record is retried with ``RetryPolicy`` backoff,
///   nothing is committed meanwhile.
/// - Records come from librdkafka in batches of at most ``maxBatchSize``; the next batch is
///   polled only when the previous one is processed, so buffering is bounded and a rebalance
///   (which runs inside the poll) never revokes a partition with work in flight.
/// - On graceful shutdown the current record finishes, offsets are stored, and
///   `rd_kafka_consumer_close` commits and leaves the group.
public final class Consumer: Service, Sendable {
    /// Processes one record. Throw a ``PoisonRecordError`` for a record that can never succeed.
    public typealias Handler = @Sendable (ConsumerRecord) async throws -> Void

    /// DLQ header: the error that sent the record there.
    public static let dlqErrorHeader = "relance_dlq_error"
    /// DLQ headers: where the record came from.
    public static let dlqTopicHeader = "relance_dlq_topic"
    public static let dlqPartitionHeader = "relance_dlq_partition"
    public static let dlqOffsetHeader = "relance_dlq_offset"

    private let client: KafkaClient
    private let topics: [String]
    private let deadLetters: Producer
    private let handler: Handler
    private let retryPolicy: RetryPolicy
    private let logger: Logger
    /// Most records handed over per poll. Default: 500.
    public let maxBatchSize: Int
    private let pollQueue = DispatchQueue(label: "relance.kafka.consumer.poll")
    private let stopping = Atomic<Bool>(false)
    private let consumed: Counter
    private let deadLettered: Counter
    private let retried: Counter

    /// Creates a group member; it subscribes when ``run()`` starts.
    /// - Parameters:
    ///   - groupId: the consumer group; members of one group split the partitions.
    ///   - topics: broker topic names to subscribe to.
    ///   - deadLetters: the producer used to publish poison records to `<topic>.dlq`.
    /// - Throws: `KafkaError` `.configuration` for a refused pass-through property.
    public init(
        configuration: KafkaConfiguration,
        groupId: String,
        topics: [String],
        deadLetters: Producer,
        retryPolicy: RetryPolicy = RetryPolicy(),
        maxBatchSize: Int = 500,
        logger: Logger,
        handler: @escaping Handler
    ) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "relance.kafka.group"] = "\(groupId)"
        self.client = try KafkaClient(kind: .consumer, properties: configuration.consumerProperties(groupId: groupId), logger: logger)
        self.topics = topics
        self.deadLetters = deadLetters
        self.handler = handler
        self.retryPolicy = retryPolicy
        self.maxBatchSize = maxBatchSize
        self.logger = logger
        let dimensions = [("group", groupId)]
        consumed = Counter(label: "relance_kafka_consumed_total", dimensions: dimensions)
        deadLettered = Counter(label: "relance_kafka_dead_lettered_total", dimensions: dimensions)
        retried = Counter(label: "relance_kafka_retries_total", dimensions: dimensions)
    }

    /// The partitions this member currently owns.
    public var assignedPartitions: Set<TopicPartition> { client.assignment }

    /// Consumes until graceful shutdown or cancellation, then closes cleanly.
    /// - Throws: `KafkaError` when the subscription is refused.
    public func run() async throws {
        try client.subscribe(topics)
        let client = self.client
        let maxBatchSize = self.maxBatchSize
        await withTaskCancellationOrGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                let batch = await runBlocking(on: pollQueue) {
                    client.pollBatch(maxRecords: maxBatchSize, timeoutMilliseconds: 100)
                }
                var processed: [TopicPartition: Int64] = [:]
                var count = 0
                for record in batch {
                    guard await process(record) else { break }
                    processed[TopicPartition(topic: record.topic, partition: record.partition)] = record.offset
                    count += 1
                }
                client.storeProcessed(processed)
                consumed.increment(by: count)
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .relaxed)
        }
        await runBlocking(on: pollQueue) { client.closeConsumer() }
        logger.info("consumer closed")
    }

    /// Runs the handler on one record until it succeeds or is dead-lettered.
    /// - Returns: `false` when shutdown interrupted a retry (the record stays uncommitted).
    private func process(_ record: ConsumerRecord) async -> Bool {
        var attempt = 0
        while true {
            do {
                try await handler(record)
                return true
            } catch let poison as any PoisonRecordError {
                if await sendToDeadLetters(record, error: poison) { return true }
            } catch {
                logger.warning("record processing failed, will retry", metadata: [
                    "relance.kafka.topic": "\(record.topic)", "relance.kafka.partition": "\(record.partition)",
                    "relance.kafka.offset": "\(record.offset)", "relance.error": "\(error)",
                ])
            }
            attempt += 1
            retried.increment()
            guard await sleepUnlessStopping(retryPolicy.delay(afterAttempt: attempt)) else { return false }
        }
    }

    private func sendToDeadLetters(_ record: ConsumerRecord, error: any Error) async -> Bool {
        var headers = record.headers
        headers.append(KafkaHeader(name: Self.dlqErrorHeader, string: String(describing: error)))
        headers.append(KafkaHeader(name: Self.dlqTopicHeader, string: record.topic))
        headers.append(KafkaHeader(name: Self.dlqPartitionHeader, string: String(record.partition)))
        headers.append(KafkaHeader(name: Self.dlqOffsetHeader, string: String(record.offset)))
        let deadLetter = OutgoingRecord(
            topic: TopicCatalog.deadLetterName(of: record.topic), key: record.key, value: record.value, headers: headers)
        do {
            try await deadLetters.send(deadLetter)
            deadLettered.increment()
            logger.warning("record sent to dead-letter queue", metadata: [
                "relance.kafka.topic": "\(record.topic)", "relance.kafka.partition": "\(record.partition)",
                "relance.kafka.offset": "\(record.offset)", "relance.error": "\(error)",
            ])
            return true
        } catch {
            logger.warning("dead-letter publish failed, will retry", metadata: ["relance.error": "\(error)"])
            return false
        }
    }

    /// Sleeps in short steps so a shutdown is noticed within 100 ms.
    private func sleepUnlessStopping(_ duration: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: duration)
        while clock.now < deadline {
            if stopping.load(ordering: .relaxed) || Task.isCancelled { return false }
            try? await Task.sleep(for: min(.milliseconds(100), deadline - clock.now))
        }
        return !stopping.load(ordering: .relaxed)
    }
}
