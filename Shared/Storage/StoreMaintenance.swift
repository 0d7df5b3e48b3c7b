import Foundation
import GRDB
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Keeps a store's shared tables bounded: purges inbox entries past the inbox retention,
/// published outbox rows past the outbox retention, parked rows an operator resolved
/// (retried or discarded) as long ago, and HTTP idempotency keys past the idempotency retention.
///
/// Runs a pass at start and then every ``Configuration/interval``, deleting in chunks of
/// ``Configuration/chunkSize`` rows, one write transaction each, so the single writer is never
/// held for long: other writes are served between chunks. Outside the outbox relay's publish
/// loop, so pruning never delays publishing.
public final class StoreMaintenance: Service, Sendable {
    /// Retentions and pace.
    public struct Configuration: Sendable, Hashable {
        /// How long a consumed event's id is remembered. Default: 30 days. Must be at least the
        /// retention of the topics consumed (an event older than that cannot be redelivered;
        /// a younger one could be, e.g. after a consumer group reset to the earliest offset).
        public var inboxRetention: Duration
        /// How long published outbox rows and resolved parked rows are kept. Default: 1 day.
        public var outboxRetention: Duration
        /// How long an HTTP `Idempotency-Key` and its stored response are kept: a retry after
        /// that runs again. Default: 1 day.
        public var idempotencyRetention: Duration
        /// Time between passes. Default: 5 min.
        public var interval: Duration
        /// Rows deleted per transaction. Default: 1,000.
        public var chunkSize: Int

        /// A configuration; every default is in its property's description.
        public init(
            inboxRetention: Duration = .seconds(30 * 86_400), outboxRetention: Duration = .seconds(86_400),
            idempotencyRetention: Duration = .seconds(86_400), interval: Duration = .seconds(300), chunkSize: Int = 1_000
        ) {
            self.inboxRetention = inboxRetention
            self.outboxRetention = outboxRetention
            self.idempotencyRetention = idempotencyRetention
            self.interval = interval
            self.chunkSize = chunkSize
        }
    }

    /// What one pass deleted.
    public struct Report: Sendable, Hashable {
        /// Inbox entries older than the inbox retention.
        public var inboxPurged: Int
        /// Published outbox rows older than the outbox retention.
        public var outboxPruned: Int
        /// Retried or discarded parked rows resolved before the outbox retention.
        public var parkedPruned: Int
        /// Idempotency keys claimed before the idempotency retention.
        public var idempotencyPurged: Int
        /// Write transactions used.
        public var transactions: Int

        /// A report; all counts default to zero.
        public init(inboxPurged: Int = 0, outboxPruned: Int = 0, parkedPruned: Int = 0, idempotencyPurged: Int = 0, transactions: Int = 0) {
            self.inboxPurged = inboxPurged
            self.outboxPruned = outboxPruned
            self.parkedPruned = parkedPruned
            self.idempotencyPurged = idempotencyPurged
            self.transactions = transactions
        }
    }

    private let writer: any DatabaseWriter
    private let configuration: Configuration
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let wakeUp = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    private let inboxPurged = Counter(label: "relance_inbox_purged_total")
    private let outboxPruned = Counter(label: "relance_outbox_pruned_total")
    private let idempotencyPurged = Counter(label: "relance_idempotency_purged_total")

    /// - Parameters:
    ///   - writer: the store.
    ///   - now: the clock (injected so tests can move through time).
    public init(
        writer: any DatabaseWriter, configuration: Configuration = Configuration(), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        self.now = now
    }

    /// Runs a pass now, then one every interval, until graceful shutdown or cancellation. A
    /// failed pass is logged and tried again at the next interval.
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                do {
                    let report = try await runOnce()
                    if report.inboxPurged + report.outboxPruned + report.parkedPruned + report.idempotencyPurged > 0 {
                        logger.info("store maintenance pass", metadata: [
                            "relance.inbox.purged": "\(report.inboxPurged)", "relance.outbox.pruned": "\(report.outboxPruned)",
                            "relance.outbox.parked_pruned": "\(report.parkedPruned)",
                            "relance.idempotency.purged": "\(report.idempotencyPurged)",
                        ])
                    }
                } catch {
                    logger.warning("store maintenance pass failed, will try again", metadata: ["relance.error": "\(error)"])
                }
                await wakeUp.wait(timeout: configuration.interval)
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .relaxed)
            wakeUp.signal()
        }
    }

    /// One pass: deletes, chunk by chunk, everything past its retention at ``now``. Stops
    /// between chunks when the service is asked to stop.
    /// - Returns: what was deleted.
    /// - Throws: GRDB's errors (what was deleted before stays deleted).
    @discardableResult
    public func runOnce() async throws -> Report {
        let date = now()
        let inboxCutoff = date.addingTimeInterval(-configuration.inboxRetention.timeInterval)
        let outboxCutoff = date.addingTimeInterval(-configuration.outboxRetention.timeInterval)
        let idempotencyCutoff = date.addingTimeInterval(-configuration.idempotencyRetention.timeInterval)
        let limit = max(configuration.chunkSize, 1)
        var report = Report()
        report.inboxPurged = try await inChunks(&report.transactions) { db in
            try Inbox.purge(processedBefore: inboxCutoff, limit: limit, db)
        }
        inboxPurged.increment(by: report.inboxPurged)
        report.outboxPruned = try await inChunks(&report.transactions) { db in
            try Outbox.prunePublished(before: outboxCutoff, limit: limit, db)
        }
        outboxPruned.increment(by: report.outboxPruned)
        report.parkedPruned = try await inChunks(&report.transactions) { db in
            try Outbox.pruneResolvedParked(before: outboxCutoff, limit: limit, db)
        }
        report.idempotencyPurged = try await inChunks(&report.transactions) { db in
            try IdempotencyStore.purge(createdBefore: idempotencyCutoff, limit: limit, db)
        }
        idempotencyPurged.increment(by: report.idempotencyPurged)
        return report
    }

    /// Runs `chunk` in its own write transaction until it deletes nothing.
    /// - Returns: rows deleted in all.
    private func inChunks(_ transactions: inout Int, _ chunk: @escaping @Sendable (Database) throws -> Int) async throws -> Int {
        var total = 0
        while !stopping.load(ordering: .relaxed) {
            let deleted = try await writer.write(chunk)
            transactions += 1
            total += deleted
            guard deleted > 0 else { break }
            await Task.yield()
        }
        return total
    }
}

extension Duration {
    /// Seconds, as `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
