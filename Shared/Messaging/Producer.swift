import Dispatch
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// An idempotent Kafka producer (`enable.idempotence=true`, `acks=all`).
///
/// `send` returns once the broker acknowledged the record (its delivery report), or throws.
/// The producer must be running (``run()``, usually in the process's `ServiceGroup`): its run
/// loop serves delivery reports on a dedicated thread, replaces the librdkafka client after a
/// fatal error, and flushes what is in flight at shutdown, within
/// ``KafkaConfiguration/shutdownFlushTimeout``. A send after the producer stopped fails at once
/// with `KafkaError.Code.closed`; a cancelled send stops waiting with `.cancelled`.
public final class Producer: Service, Sendable {
    /// The live client; ``reset()`` swaps in a fresh one.
    private let current: Mutex<KafkaClient>
    private let configuration: KafkaConfiguration
    private let logger: Logger
    private let pollQueue = DispatchQueue(label: "relance.kafka.producer.poll")
    private let stopPolling = Atomic<Bool>(false)
    /// Set once the run loop has flushed: nobody serves delivery reports any more.
    private let stopped = Atomic<Bool>(false)
    private let resets = Atomic<Int>(0)
    private let produced = Counter(label: "relance_kafka_produced_total")
    private let failed = Counter(label: "relance_kafka_produce_failed_total")
    private let fatalResets = Counter(label: "relance_kafka_producer_fatal_resets_total")

    /// Creates the producer; nothing is sent before ``run()`` starts.
    /// - Throws: `KafkaError` `.configuration` when a pass-through property is refused.
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.logger = logger
        self.current = Mutex(try KafkaClient(kind: .producer, properties: configuration.producerProperties, logger: logger))
    }

    private var client: KafkaClient { current.withLock { $0 } }

    /// How many times the librdkafka client was replaced (``reset()`` or a fatal error).
    public var resetCount: Int { resets.load(ordering: .relaxed) }

    /// Replaces the librdkafka producer with a fresh one (new producer id). Records in flight
    /// on the old one fail with a "purged" error, so their senders retry.
    ///
    /// Needed when a broker lost its idempotence state (an in-memory broker restarted): the old
    /// producer id is then refused forever with `UNKNOWN_PRODUCER_ID`; and after a fatal error,
    /// which the run loop detects and handles by calling this.
    /// - Throws: `KafkaError` when the new client cannot be created.
    public func reset() async throws(KafkaError) {
        let fresh = try KafkaClient(kind: .producer, properties: configuration.producerProperties, logger: logger)
        let old = current.withLock { client in
            defer { client = fresh }
            return client
        }
        resets.add(1, ordering: .relaxed)
        await runBlocking(on: DispatchQueue.global()) { old.purgeAndFlush(timeoutMilliseconds: 5_000) }
        logger.warning("producer recreated")
    }

    /// Raises a librdkafka fatal error on the live client, as a broken idempotence sequence
    /// would. For tests of the recovery path.
    func raiseFatalErrorForTesting() {
        client.raiseFatalErrorForTesting()
    }

    /// Sends one record and waits for the broker's acknowledgement.
    /// - Throws: `KafkaError` `.delivery` when the record could not be delivered in time,
    ///   `.closed` when the producer has stopped, `.cancelled` when the task was cancelled.
    public func send(_ record: OutgoingRecord) async throws(KafkaError) {
        try await send([record])
    }

    /// Sends records (kept in order per partition) and waits until all are acknowledged.
    /// - Throws: `KafkaError` with the first failure (other records may have been delivered):
    ///   `.delivery`, `.closed` when the producer has stopped, `.cancelled` when the task was
    ///   cancelled while waiting (records already enqueued may still be delivered).
    public func send(_ records: [OutgoingRecord]) async throws(KafkaError) {
        guard !records.isEmpty else { return }
        guard !stopped.load(ordering: .sequentiallyConsistent) else {
            throw KafkaError(.closed, "the producer has stopped (shutdown): \(records.count) record(s) not sent")
        }
        let client = self.client
        let tracker = DeliveryTracker(expecting: records.count)
        var next = records.startIndex
        while next < records.endIndex {
            let (enqueued, failure) = client.produce(records[next...], tracker: tracker)
            next += enqueued
            guard let failure else { continue }
            let error: KafkaError
            if failure.code == KafkaClient.queueFullCode {
                // librdkafka's queue is full: wait for reports to drain it (back-pressure),
                // unless nobody will ever drain it.
                if Task.isCancelled {
                    error = KafkaError(.cancelled, "send cancelled while librdkafka's queue was full")
                } else if stopped.load(ordering: .sequentiallyConsistent) {
                    error = KafkaError(.closed, "the producer stopped while librdkafka's queue was full")
                } else {
                    try? await Task.sleep(for: .milliseconds(2))
                    continue
                }
            } else {
                // Refused at enqueue: the records before it were enqueued; once they are all
                // delivered, say which record was refused so a caller can set it aside.
                tracker.complete(nil, count: records.count - next)
                let earlier = await tracker.wait()
                failed.increment(by: records.count - next)
                throw earlier ?? KafkaError(
                    .delivery, "enqueue of record \(next) to \(records[next].topic): \(failure.reason)",
                    librdkafkaCode: failure.code, refusedRecordIndex: next - records.startIndex)
            }
            tracker.complete(error, count: records.count - next)
            _ = await tracker.wait()
            failed.increment(by: records.count - next)
            throw error
        }
        if self.client !== client || stopped.load(ordering: .sequentiallyConsistent) {
            // reset() replaced the client, or the run loop stopped, while we were enqueueing:
            // nobody polls this client any more, so fail what we left on it now instead of
            // waiting forever.
            await runBlocking(on: DispatchQueue.global()) { client.purgeAndFlush(timeoutMilliseconds: 5_000) }
        }
        if let error = await tracker.wait() {
            failed.increment(by: records.count)
            throw error
        }
        produced.increment(by: records.count)
    }

    /// Serves delivery reports until graceful shutdown or cancellation, replacing the client
    /// after a fatal error; then flushes what is still in flight, for at most
    /// ``KafkaConfiguration/shutdownFlushTimeout``, and fails what is left.
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            while !stopPolling.load(ordering: .relaxed) {
                let client = self.client
                await runBlocking(on: pollQueue) { [self] in
                    // Until stop, a fatal error, or reset() swapped in another client.
                    while !stopPolling.load(ordering: .relaxed) && !client.hasFatalError && self.client === client {
                        client.poll(timeoutMilliseconds: 100)
                    }
                }
                guard client.hasFatalError, !stopPolling.load(ordering: .relaxed) else { continue }
                logger.error("idempotent producer fatal error: replacing the client", metadata: [
                    "relance.kafka.error": "\(client.fatalErrorReason() ?? "unknown")",
                ])
                fatalResets.increment()
                do {
                    try await reset()
                } catch {
                    logger.error("producer could not be recreated, will retry", metadata: ["relance.error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopPolling.store(true, ordering: .relaxed)
        }
        let client = self.client
        let timeout = Int32(clamping: min(configuration.shutdownFlushTimeout, configuration.deliveryTimeout).milliseconds)
        let left = await runBlocking(on: pollQueue) { client.flush(timeoutMilliseconds: timeout) }
        stopped.store(true, ordering: .sequentiallyConsistent)
        if left > 0 {
            logger.warning("producer stopped with records undelivered", metadata: ["relance.kafka.in_flight": "\(left)"])
        }
        // Fail what the flush left (and anything enqueued meanwhile) so no sender waits forever.
        await runBlocking(on: pollQueue) { client.purgeAndFlush(timeoutMilliseconds: 1_000) }
    }
}
