import Dispatch
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// An idempotent Kafka producer (`enable.idempotence=true`, `acks=all`).
///
/// `send` returns once the broker acknowledged the record (its delivery report), or throws.
/// The producer must be running (``run()``, usually in the process's `ServiceGroup`): its run
/// loop serves delivery reports on a dedicated thread, and flushes what is in flight at shutdown.
public final class Producer: Service, Sendable {
    /// The live client; ``reset()`` swaps in a fresh one.
    private let current: Mutex<KafkaClient>
    private let configuration: KafkaConfiguration
    private let logger: Logger
    private let pollQueue = DispatchQueue(label: "relance.kafka.producer.poll")
    private let stopPolling = Atomic<Bool>(false)
    private let produced = Counter(label: "relance_kafka_produced_total")
    private let failed = Counter(label: "relance_kafka_produce_failed_total")

    /// Creates the producer; nothing is sent before ``run()`` starts.
    /// - Throws: `KafkaError` `.configuration` when a pass-through property is refused.
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        self.current = Mutex(try KafkaClient(kind: .producer, properties: configuration.producerProperties, logger: logger))
    }

    private var client: KafkaClient { current.withLock { $0 } }

    /// Replaces the librdkafka producer with a fresh one (new producer id). Records in flight
    /// on the old one fail with a "purged" error, so their senders retry.
    ///
    /// Needed when a broker lost its idempotence state (an in-memory broker restarted): the old
    /// producer id is then refused forever with `UNKNOWN_PRODUCER_ID`.
    /// - Throws: `KafkaError` when the new client cannot be created.
    public func reset() async throws(KafkaError) {
        let fresh = try KafkaClient(kind: .producer, properties: configuration.producerProperties, logger: logger)
        let old = current.withLock { client in
            defer { client = fresh }
            return client
        }
        await runBlocking(on: DispatchQueue.global()) { old.purgeAndFlush(timeoutMilliseconds: 5_000) }
        logger.warning("producer recreated")
    }

    /// Sends one record and waits for the broker's acknowledgement.
    /// - Throws: `KafkaError` `.delivery` when the record could not be delivered in time.
    public func send(_ record: OutgoingRecord) async throws(KafkaError) {
        try await send([record])
    }

    /// Sends records (kept in order per partition) and waits until all are acknowledged.
    /// - Throws: `KafkaError` with the first failure; other records may have been delivered.
    public func send(_ records: [OutgoingRecord]) async throws(KafkaError) {
        guard !records.isEmpty else { return }
        let client = self.client
        let tracker = DeliveryTracker(expecting: records.count)
        var next = records.startIndex
        while next < records.endIndex {
            let (enqueued, failure) = client.produce(records[next...], tracker: tracker)
            next += enqueued
            guard let failure else { continue }
            if failure.code == KafkaClient.queueFullCode {
                // librdkafka's queue is full: wait for reports to drain it (back-pressure).
                try? await Task.sleep(for: .milliseconds(2))
                continue
            }
            let topic = records[next].topic
            let error = KafkaError(.delivery, "enqueue to \(topic): \(failure.reason)", librdkafkaCode: failure.code)
            tracker.complete(error, count: records.count - next)
            _ = await tracker.wait()
            failed.increment(by: records.count - next)
            throw error
        }
        if self.client !== client {
            // reset() replaced the client while we were enqueueing: nobody polls the old one
            // any more, so fail what we left on it now instead of waiting forever.
            await runBlocking(on: DispatchQueue.global()) { client.purgeAndFlush(timeoutMilliseconds: 5_000) }
        }
        if let error = await tracker.wait() {
            failed.increment(by: records.count)
            throw error
        }
        produced.increment(by: records.count)
    }

    /// Serves delivery reports until graceful shutdown or cancellation, then flushes what is
    /// still in flight (bounded by the delivery timeout).
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            await runBlocking(on: pollQueue) { [self] in
                while !stopPolling.load(ordering: .relaxed) {
                    client.poll(timeoutMilliseconds: 100)
                }
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopPolling.store(true, ordering: .relaxed)
        }
        let timeout = Int32(clamping: configuration.deliveryTimeout.milliseconds)
        let left = await runBlocking(on: pollQueue) { [self] in client.flush(timeoutMilliseconds: timeout) }
        if left > 0 {
            logger.warning("producer stopped with records undelivered", metadata: ["relance.kafka.in_flight": "\(left)"])
        }
    }
}
