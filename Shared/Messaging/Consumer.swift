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
/// - Any other error is transient: the record is retried with ``RetryPolicy`` backoff, at most
///   ``RetryPolicy/maxAttempts`` times, then dead-lettered like a poison record. While it backs
///   off, only its partition waits (paused, its fetch position rewound to the record): the
///   member keeps polling, so its other partitions go on and the group never drops it.
/// - Records come from librdkafka in batches of at most ``maxBatchSize``; the next batch is
///   polled only when the previous one is processed, so buffering is bounded and a rebalance
///   (which runs inside the poll) never revokes a partition with work in flight. Records of a
///   partition revoked while a batch was being gathered are dropped from it.
/// - A ``BatchHandler`` (instead of a per-record ``Handler``) gets each partition's records of
///   a poll as one run, for handlers that write a batch at once; a failure at one record is
///   handled as above and the records after it are handed again.
/// - On graceful shutdown the current record finishes, offsets of what was processed are
///   stored, and `rd_kafka_consumer_close` commits them and leaves the group.
public final class Consumer: Service, Sendable {
    /// Processes one record. Throw a ``PoisonRecordError`` for a record that can never succeed.
    public typealias Handler = @Sendable (ConsumerRecord) async throws -> Void

    /// Processes a run of records of one partition, in order, at once (e.g. one store
    /// transaction for all of them): returns how many leading records are done with and, when
    /// not all are, the error of the first one that is not, which is handled like a
    /// ``Handler``'s error (dead-lettered or retried); the records after it are handed again.
    public typealias BatchHandler = @Sendable ([ConsumerRecord]) async -> BatchResult

    /// What a ``BatchHandler`` did with a run of records.
    public struct BatchResult: Sendable {
        /// How many leading records of the run are done with.
        public var processed: Int
        /// Why the record after them is not: a ``PoisonRecordError`` dead-letters it, any
        /// other error backs its partition off. Nil when all are done.
        public var failure: (any Error)?

        public init(processed: Int, failure: (any Error)? = nil) {
            self.processed = processed
            self.failure = failure
        }
    }

    private enum Processing: Sendable {
        case each(Handler)
        case batch(BatchHandler)
    }

    /// DLQ header: the error that sent the record there.
    public static let dlqErrorHeader = "relance_dlq_error"
    /// DLQ headers: where the record came from.
    public static let dlqTopicHeader = "relance_dlq_topic"
    public static let dlqPartitionHeader = "relance_dlq_partition"
    public static let dlqOffsetHeader = "relance_dlq_offset"
    /// DLQ header: how many times the handler was tried.
    public static let dlqAttemptsHeader = "relance_dlq_attempts"

    private let client: KafkaClient
    private let topics: [String]
    private let deadLetters: Producer
    private let processing: Processing
    private let retryPolicy: RetryPolicy
    private let logger: Logger
    /// Most records handed over per poll. Default: 500.
    public let maxBatchSize: Int
    /// Whether the records of different partitions of a batch are handled concurrently (in
    /// order within each partition). Default: false.
    public let partitionsInParallel: Bool
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
    ///   - retryPolicy: backoff and attempt limit for transient handler errors.
    ///   - partitionsInParallel: handle the records of different partitions of a batch
    ///     concurrently, each partition's in order (for handlers that wait on the network, such
    ///     as notification's deliveries; order per key is kept, since a key has one partition).
    ///   - rebalanceHooks: state to restore on assignment and drop on revocation, before any
    ///     record of a new partition is handled (``RebalanceHooks``).
    /// - Throws: `KafkaError` `.configuration` for a refused pass-through property.
    public convenience init(
        configuration: KafkaConfiguration,
        groupId: String,
        topics: [String],
        deadLetters: Producer,
        retryPolicy: RetryPolicy = RetryPolicy(),
        maxBatchSize: Int = 500,
        partitionsInParallel: Bool = false,
        rebalanceHooks: RebalanceHooks? = nil,
        logger: Logger,
        handler: @escaping Handler
    ) throws(KafkaError) {
        try self.init(configuration: configuration, groupId: groupId, topics: topics, deadLetters: deadLetters, retryPolicy: retryPolicy,
                      maxBatchSize: maxBatchSize, partitionsInParallel: partitionsInParallel, rebalanceHooks: rebalanceHooks,
                      logger: logger, processing: .each(handler))
    }

    /// Creates a group member whose handler takes each partition's records of a poll as one
    /// run (``BatchHandler``); otherwise like ``init(configuration:groupId:topics:deadLetters:retryPolicy:maxBatchSize:partitionsInParallel:rebalanceHooks:logger:handler:)``.
    /// Without `partitionsInParallel` the runs are single records.
    /// - Throws: `KafkaError` `.configuration` for a refused pass-through property.
    public convenience init(
        configuration: KafkaConfiguration,
        groupId: String,
        topics: [String],
        deadLetters: Producer,
        retryPolicy: RetryPolicy = RetryPolicy(),
        maxBatchSize: Int = 500,
        partitionsInParallel: Bool = false,
        rebalanceHooks: RebalanceHooks? = nil,
        logger: Logger,
        batchHandler: @escaping BatchHandler
    ) throws(KafkaError) {
        try self.init(configuration: configuration, groupId: groupId, topics: topics, deadLetters: deadLetters, retryPolicy: retryPolicy,
                      maxBatchSize: maxBatchSize, partitionsInParallel: partitionsInParallel, rebalanceHooks: rebalanceHooks,
                      logger: logger, processing: .batch(batchHandler))
    }

    private init(
        configuration: KafkaConfiguration, groupId: String, topics: [String], deadLetters: Producer, retryPolicy: RetryPolicy,
        maxBatchSize: Int, partitionsInParallel: Bool, rebalanceHooks: RebalanceHooks?, logger: Logger, processing: Processing
    ) throws(KafkaError) {
        var logger = logger
        logger[metadataKey: "relance.kafka.group"] = "\(groupId)"
        self.client = try KafkaClient(kind: .consumer, properties: configuration.consumerProperties(groupId: groupId), logger: logger)
        if let rebalanceHooks { client.setRebalanceHooks(rebalanceHooks) }
        self.topics = topics
        self.deadLetters = deadLetters
        self.processing = processing
        self.retryPolicy = retryPolicy
        self.maxBatchSize = maxBatchSize
        self.partitionsInParallel = partitionsInParallel
        self.logger = logger
        let dimensions = [("group", groupId)]
        consumed = Counter(label: "relance_kafka_consumed_total", dimensions: dimensions)
        deadLettered = Counter(label: "relance_kafka_dead_lettered_total", dimensions: dimensions)
        retried = Counter(label: "relance_kafka_retries_total", dimensions: dimensions)
    }

    /// The partitions this member currently owns.
    public var assignedPartitions: Set<TopicPartition> { client.assignment }

    /// How many assignment changes (rebalance callbacks) this member has seen: it stays put
    /// while the member keeps its partitions.
    public var assignmentGeneration: Int { client.assignmentGeneration }

    /// Consumes until graceful shutdown or cancellation, then closes cleanly.
    /// - Throws: `KafkaError` when the subscription is refused.
    public func run() async throws {
        try client.subscribe(topics)
        let client = self.client
        let maxBatchSize = self.maxBatchSize
        await withTaskCancellationOrGracefulShutdownHandler {
            var backoffs = PartitionBackoffs()
            while !stopping.load(ordering: .relaxed) {
                client.resume(backoffs.takeDue(at: .now))
                let wait = backoffs.nextDue.map { max(.zero, min(.milliseconds(100), $0 - .now)) } ?? .milliseconds(100)
                let timeout = Int32(clamping: wait.milliseconds)
                let batch = await runBlocking(on: pollQueue) {
                    client.pollBatch(maxRecords: maxBatchSize, timeoutMilliseconds: timeout)
                }
                backoffs.keepOnly(client.assignment)
                var processed: [TopicPartition: Int64] = [:]
                var count = 0
                if partitionsInParallel {
                    (processed, count) = await processInParallel(batch, backoffs: &backoffs)
                } else {
                    var waiting: Set<TopicPartition> = []
                    for record in batch {
                        // Graceful shutdown stops after the current record, not the whole batch.
                        if stopping.load(ordering: .relaxed) { break }
                        let partition = TopicPartition(topic: record.topic, partition: record.partition)
                        // Later records of a partition that is backing off are read again after it.
                        if waiting.contains(partition) || backoffs.isWaiting(partition) { continue }
                        if await process([record], backoffs: &backoffs).done == 1 {
                            processed[partition] = record.offset
                            count += 1
                        } else {
                            waiting.insert(partition)
                            client.pause(partition, rewindingTo: record.offset)
                        }
                    }
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

    /// The batch's partitions, each in a task of its own, each in order; a partition stops at
    /// its first record that must back off (paused and rewound to it, as in the sequential loop).
    private func processInParallel(_ batch: [ConsumerRecord], backoffs: inout PartitionBackoffs) async -> ([TopicPartition: Int64], Int) {
        var byPartition: [TopicPartition: [ConsumerRecord]] = [:]
        for record in batch {
            let partition = TopicPartition(topic: record.topic, partition: record.partition)
            if backoffs.isWaiting(partition) { continue }
            byPartition[partition, default: []].append(record)
        }
        struct Outcome: Sendable {
            var partition: TopicPartition
            var lastProcessed: Int64?
            var count: Int
            var rewindTo: Int64?
            var backoffs: PartitionBackoffs
        }
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for (partition, records) in byPartition {
                let local = backoffs.only(partition)
                group.addTask {
                    var outcome = Outcome(partition: partition, lastProcessed: nil, count: 0, rewindTo: nil, backoffs: local)
                    let (done, blocked) = await self.process(records, backoffs: &outcome.backoffs)
                    outcome.count = done
                    if done > 0 { outcome.lastProcessed = records[done - 1].offset }
                    if blocked { outcome.rewindTo = records[done].offset }
                    return outcome
                }
            }
            var all: [Outcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        var processed: [TopicPartition: Int64] = [:]
        var count = 0
        for outcome in outcomes {
            backoffs.replace(outcome.partition, from: outcome.backoffs)
            if let last = outcome.lastProcessed { processed[outcome.partition] = last }
            count += outcome.count
            if let offset = outcome.rewindTo { client.pause(outcome.partition, rewindingTo: offset) }
        }
        return (processed, count)
    }

    /// Runs the handler on a run of records of one partition, in order, until graceful
    /// shutdown; a failed record is either dead-lettered (poison, or out of attempts; the run
    /// goes on after it) or scheduled for its next attempt (the run stops there).
    /// - Returns: how many leading records are done with (processed or dead-lettered), and
    ///   whether the partition must back off at the record after them.
    private func process(_ records: [ConsumerRecord], backoffs: inout PartitionBackoffs) async -> (done: Int, blocked: Bool) {
        var done = 0
        while done < records.count {
            if stopping.load(ordering: .relaxed) { return (done, false) }
            let partition = TopicPartition(topic: records[done].topic, partition: records[done].partition)
            let result: BatchResult
            switch processing {
            case .each(let handler):
                do {
                    try await handler(records[done])
                    result = BatchResult(processed: 1)
                } catch {
                    result = BatchResult(processed: 0, failure: error)
                }
            case .batch(let handler):
                let run = Array(records[done...])
                var answer = await handler(run)
                answer.processed = min(max(answer.processed, 0), run.count)
                if answer.processed == 0 && answer.failure == nil {
                    answer.failure = ConsumerHandlerError(description: "the batch handler processed none of \(run.count) record(s) and gave no error")
                }
                result = answer
            }
            if result.processed > 0 {
                backoffs.clear(partition)
                done += result.processed
            }
            guard let failure = result.failure, done < records.count else { continue }
            if await recordFailed(records[done], failure, backoffs: &backoffs) {
                done += 1
            } else {
                return (done, true)
            }
        }
        return (done, false)
    }

    /// A record's handling failed: dead-letters it (poison, or out of attempts) or schedules
    /// its next attempt.
    /// - Returns: `true` when the record is done with (dead-lettered), `false` when its
    ///   partition must back off.
    private func recordFailed(_ record: ConsumerRecord, _ failure: any Error, backoffs: inout PartitionBackoffs) async -> Bool {
        let partition = TopicPartition(topic: record.topic, partition: record.partition)
        let poison = failure is any PoisonRecordError
        let attempt = backoffs.recordFailure(of: partition, at: record.offset)
        if poison || attempt >= retryPolicy.maxAttempts {
            if await sendToDeadLetters(record, error: failure, attempts: attempt) {
                backoffs.clear(partition)
                return true
            }
        } else {
            logger.warning("record processing failed, will retry", metadata: [
                "relance.kafka.topic": "\(record.topic)", "relance.kafka.partition": "\(record.partition)",
                "relance.kafka.offset": "\(record.offset)", "relance.kafka.attempt": "\(attempt)",
                "relance.error": "\(failure)",
            ])
        }
        retried.increment()
        backoffs.schedule(partition, at: .now + retryPolicy.delay(afterAttempt: attempt))
        return false
    }

    /// A batch handler that broke its contract (nothing done, no error): retried like a
    /// transient failure.
    struct ConsumerHandlerError: Error, CustomStringConvertible {
        var description: String
    }

    private func sendToDeadLetters(_ record: ConsumerRecord, error: any Error, attempts: Int) async -> Bool {
        var headers = record.headers
        headers.append(KafkaHeader(name: Self.dlqErrorHeader, string: String(describing: error)))
        headers.append(KafkaHeader(name: Self.dlqTopicHeader, string: record.topic))
        headers.append(KafkaHeader(name: Self.dlqPartitionHeader, string: String(record.partition)))
        headers.append(KafkaHeader(name: Self.dlqOffsetHeader, string: String(record.offset)))
        headers.append(KafkaHeader(name: Self.dlqAttemptsHeader, string: String(attempts)))
        let deadLetter = OutgoingRecord(
            topic: TopicCatalog.deadLetterName(of: record.topic), key: record.key, value: record.value, headers: headers)
        do {
            try await deadLetters.send(deadLetter)
            deadLettered.increment()
            logger.warning("record sent to dead-letter queue", metadata: [
                "relance.kafka.topic": "\(record.topic)", "relance.kafka.partition": "\(record.partition)",
                "relance.kafka.offset": "\(record.offset)", "relance.kafka.attempt": "\(attempts)",
                "relance.error": "\(error)",
            ])
            return true
        } catch {
            logger.warning("dead-letter publish failed, will retry", metadata: ["relance.error": "\(error)"])
            return false
        }
    }
}
