import Events
import Foundation
import GRDB
import Logging
import Messaging
import Metrics
import ServiceLifecycle
import Synchronization

/// Publishes the outbox to Kafka, in commit order, and marks rows published only after the
/// broker acknowledged them.
///
/// While the broker is unreachable the rows wait in SQLite and the relay retries with capped
/// backoff; they are published when it is back. Run one relay per database (one writer).
public final class OutboxRelay: Service, Sendable {
    /// Tuning of the relay.
    public struct Configuration: Sendable, Hashable {
        /// Most rows sent per batch. Default: 2,000.
        public var batchSize: Int
        /// How often to look for new rows when nobody called ``notify()``. Default: 100 ms.
        public var pollInterval: Duration
        /// Backoff after a failed publish. Default: 200 ms doubling to 10 s.
        public var retryPolicy: RetryPolicy
        /// Published rows are deleted after this long. Default: 1 day.
        public var retention: Duration

        public init(
            batchSize: Int = 2_000, pollInterval: Duration = .milliseconds(100),
            retryPolicy: RetryPolicy = RetryPolicy(initialDelay: .milliseconds(200), maximumDelay: .seconds(10)),
            retention: Duration = .seconds(86_400)
        ) {
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retryPolicy = retryPolicy
            self.retention = retention
        }
    }

    private let writer: any DatabaseWriter
    private let producer: Producer
    private let topics: TopicCatalog
    private let configuration: Configuration
    private let logger: Logger
    private let wakeUp = WakeSignal()
    private let published = Counter(label: "relance_outbox_published_total")
    private let pending = Gauge(label: "relance_outbox_pending")
    private let publishedCount = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)

    public init(
        writer: any DatabaseWriter, producer: Producer, topics: TopicCatalog,
        configuration: Configuration = Configuration(), logger: Logger
    ) {
        self.writer = writer
        self.producer = producer
        self.topics = topics
        self.configuration = configuration
        self.logger = logger
    }

    /// Tells the relay new rows were committed, so it publishes without waiting for its poll.
    public func notify() {
        wakeUp.signal()
    }

    /// Rows published by this relay since it started.
    public var publishedSinceStart: Int { publishedCount.load(ordering: .relaxed) }

    /// Publishes until graceful shutdown or cancellation; a batch in flight is finished and
    /// marked first, so a clean stop re-publishes nothing.
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            var attempt = 0
            var lastPrune = ContinuousClock.now
            while !stopping.load(ordering: .relaxed) {
                do {
                    let sent = try await publishBatch()
                    attempt = 0
                    guard sent < configuration.batchSize else { continue }
                    if ContinuousClock.now - lastPrune > .seconds(60) {
                        try await prune()
                        lastPrune = .now
                    }
                    await waitForWork(timeout: configuration.pollInterval)
                } catch {
                    attempt += 1
                    logger.warning("outbox publish failed, will retry", metadata: [
                        "relance.error": "\(error)", "relance.outbox.attempt": "\(attempt)",
                    ])
                    if attempt.isMultiple(of: 3) {
                        // Repeated failures may mean the broker forgot our producer id (an
                        // in-memory broker restarted); a fresh producer gets a new one.
                        try? await producer.reset()
                    }
                    await waitForWork(timeout: configuration.retryPolicy.delay(afterAttempt: attempt), ignoringNotifications: true)
                }
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .relaxed)
            wakeUp.signal()
        }
    }

    /// Sends one batch of pending rows. - Returns: how many rows were published.
    func publishBatch() async throws -> Int {
        let limit = configuration.batchSize
        let topics = self.topics
        let (rows, pendingTotal) = try await writer.read { db in
            let rows = try Outbox.fetchPending(limit: limit, topics: topics, db)
            return (rows, try rows.first.map { try Outbox.pendingCount(from: $0.sequence, db) } ?? 0)
        }
        pending.record(pendingTotal)
        guard let first = rows.first, let last = rows.last else { return 0 }
        let records = rows.map(\.record)
        // Finish the batch even if shutdown starts meanwhile: it is already with librdkafka.
        try await producer.send(records)
        let now = Date()
        try await writer.write { db in
            try Outbox.markPublished(through: first.sequence...last.sequence, at: now, db)
        }
        published.increment(by: rows.count)
        publishedCount.add(rows.count, ordering: .relaxed)
        pending.record(pendingTotal - rows.count)
        return rows.count
    }

    private func prune() async throws {
        let cutoff = Date().addingTimeInterval(-Double(configuration.retention.components.seconds))
        try await writer.write { db in try Outbox.prunePublished(before: cutoff, db) }
    }

    /// Sleeps until `timeout`, a ``notify()`` (unless ignored) or shutdown.
    private func waitForWork(timeout: Duration, ignoringNotifications: Bool = false) async {
        let deadline = ContinuousClock.now + timeout
        repeat {
            await wakeUp.wait(timeout: deadline - ContinuousClock.now)
            if !ignoringNotifications { return }
        } while ContinuousClock.now < deadline && !stopping.load(ordering: .relaxed)
    }
}
