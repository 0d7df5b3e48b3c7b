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
/// backoff; they are published when it is back. A batch refused for good (``KafkaError/isPermanent``,
/// e.g. a record over `message.max.bytes`) is split in halves until the refused rows are
/// found; those are parked (see ``Outbox/parkedRows(after:limit:_:)``) with the later rows of
/// their topic and key, and everything else is published. Run one relay per database (one writer).
public final class OutboxRelay: Service, Sendable {
    /// Tuning of the relay.
    public struct Configuration: Sendable, Hashable {
        /// Most rows sent per batch. Default: 2,000.
        public var batchSize: Int
        /// How often to look for new rows when nobody called ``notify()``. Default: 100 ms.
        public var pollInterval: Duration
        /// Backoff after a failed publish. Default: 200 ms doubling to 10 s.
        public var retryPolicy: RetryPolicy

        /// A configuration; every default is in its property's description. (Pruning of
        /// published rows moved to ``StoreMaintenance``.)
        public init(
            batchSize: Int = 2_000, pollInterval: Duration = .milliseconds(100),
            retryPolicy: RetryPolicy = RetryPolicy(initialDelay: .milliseconds(200), maximumDelay: .seconds(10))
        ) {
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.retryPolicy = retryPolicy
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
    private let parked = Gauge(label: "relance_outbox_parked")
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
            while !stopping.load(ordering: .relaxed) {
                do {
                    let sent = try await publishBatch()
                    attempt = 0
                    guard sent < configuration.batchSize else { continue }
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

    /// Sends one batch of pending rows.
    /// - Returns: how many pending rows the batch handled (published, or parked).
    func publishBatch() async throws -> Int {
        let limit = configuration.batchSize
        let topics = self.topics
        let (rows, pendingTotal, parkedTotal) = try await writer.read { db in
            let rows = try Outbox.fetchPending(limit: limit, topics: topics, db)
            return (rows, try rows.first.map { try Outbox.pendingCount(from: $0.sequence, db) } ?? 0, try Outbox.parkedCount(db))
        }
        pending.record(pendingTotal)
        parked.record(parkedTotal)
        guard !rows.isEmpty else { return 0 }
        var batch = rows
        if parkedTotal > 0 {
            // Keys behind a parked row wait; an operator may have requeued rows since the read.
            batch = try await holdBlocked(rows)
        }
        // Finish the batch even if shutdown starts meanwhile: it is already with librdkafka.
        do {
            try await send(batch)
        } catch let error as KafkaError where error.isPermanent {
            try await isolate(batch, refusal: error)
        }
        pending.record(max(0, pendingTotal - rows.count))
        return rows.count
    }

    /// Sends rows as one producer batch and marks them published.
    /// - Throws: the producer's `KafkaError`, or GRDB's error when marking failed (the rows are
    ///   then published again on the next attempt: duplicates, never loss).
    private func send(_ rows: [Outbox.Row]) async throws {
        guard !rows.isEmpty else { return }
        try await producer.send(rows.map(\.record))
        try await markPublished(rows[...])
    }

    /// Marks delivered rows published.
    private func markPublished(_ rows: ArraySlice<Outbox.Row>) async throws {
        guard let first = rows.first, let last = rows.last else { return }
        let now = Date()
        try await writer.write { db in
            try Outbox.markPublished(through: first.sequence...last.sequence, at: now, db)
        }
        published.increment(by: rows.count)
        publishedCount.add(rows.count, ordering: .relaxed)
    }

    /// Finds the rows Kafka refuses for good in a batch it refused. When librdkafka refused a
    /// row at enqueue, the error names it: the rows before it were delivered, it is parked and
    /// the rest is sent on. Otherwise (a broker's refusal) halves are sent in order, a refused
    /// half is split again and a single refused row is parked. The later rows of a parked
    /// row's topic and key are held behind it. A transient failure stops the search (thrown):
    /// the rows not yet published stay pending and the next attempt starts again from them.
    private func isolate(_ rows: [Outbox.Row], refusal: KafkaError) async throws {
        logger.warning("outbox batch refused by Kafka, looking for the rows at fault", metadata: [
            "relance.error": "\(refusal)", "relance.outbox.rows": "\(rows.count)",
            "relance.outbox.sequence": "\(rows.first?.sequence ?? 0)...\(rows.last?.sequence ?? 0)",
        ])
        // A stack of slices still to send, the next one on top; each is a run of the batch in order.
        var slices: [ArraySlice<Outbox.Row>] = try await setAsideNamedRow(rows[...], refusal: refusal).map { [$0] }
            ?? Self.halves(rows[...]).reversed()
        while let slice = slices.popLast() {
            let batch = try await holdBlocked(Array(slice))
            guard !batch.isEmpty else { continue }
            do {
                try await send(batch)
            } catch let error as KafkaError where error.isPermanent {
                if let rest = try await setAsideNamedRow(batch[...], refusal: error) {
                    slices.append(rest)
                    continue
                }
                guard batch.count == 1, let row = batch.first else {
                    slices.append(contentsOf: Self.halves(batch[...]).reversed())
                    continue
                }
                try await park(row, refusal: error)
            }
        }
    }

    /// When the refusal names the row librdkafka refused at enqueue: marks the rows before it
    /// published (they were delivered) and parks it.
    /// - Returns: the rows after it, still to send; `nil` when the refusal names no row.
    private func setAsideNamedRow(_ rows: ArraySlice<Outbox.Row>, refusal: KafkaError) async throws -> ArraySlice<Outbox.Row>? {
        guard let offset = refusal.refusedRecordIndex, offset < rows.count else { return nil }
        let index = rows.startIndex + offset
        try await markPublished(rows[..<index])
        try await park(rows[index], refusal: refusal)
        return rows[(index + 1)...]
    }

    private func park(_ row: Outbox.Row, refusal: KafkaError) async throws {
        let now = Date()
        let reason = refusal.description
        let moved = try await writer.write { db in
            try Outbox.park(sequence: row.sequence, reason: reason, blockedBy: nil, at: now, db)
        }
        guard moved else { return }
        parked.record(try await writer.read(Outbox.parkedCount))
        logger.warning("outbox row refused by Kafka for good, parked; later rows of its key wait behind it", metadata: [
            "relance.outbox.sequence": "\(row.sequence)", "relance.event.id": "\(row.eventId)",
            "relance.kafka.topic": "\(row.record.topic)", "relance.event.size": "\(row.record.value.count)",
            "relance.error": "\(reason)",
        ])
    }

    /// Parks the rows whose key waits behind a parked row and drops those no longer pending.
    /// - Returns: the rows to send, in order.
    private func holdBlocked(_ rows: [Outbox.Row]) async throws -> [Outbox.Row] {
        let now = Date()
        let (send, held) = try await writer.write { db in try Outbox.holdBlocked(rows, at: now, db) }
        if let first = held.first {
            logger.warning("outbox rows held behind a parked row of the same key", metadata: [
                "relance.outbox.held": "\(held.count)", "relance.outbox.sequence": "\(first.row.sequence)",
                "relance.event.id": "\(first.row.eventId)", "relance.outbox.blocked_by": "\(first.behind)",
            ])
            parked.record(try await writer.read(Outbox.parkedCount))
        }
        return send
    }

    private static func halves(_ rows: ArraySlice<Outbox.Row>) -> [ArraySlice<Outbox.Row>] {
        guard rows.count > 1 else { return [rows] }
        let middle = rows.startIndex + rows.count / 2
        return [rows[..<middle], rows[middle...]]
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
