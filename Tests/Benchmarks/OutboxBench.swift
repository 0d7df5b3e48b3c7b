import Events
import Foundation
import GRDB
import Logging
import Messaging
import RelanceTestSupport
import Storage
import Synchronization

/// Outbox relay throughput: SQLite (file, WAL, `synchronous=FULL` like services) to broker
/// acknowledgement; and the cost of `FULL` against `NORMAL` for the writes alone.
struct OutboxBench: Sendable {
    let kafka: KafkaBench

    /// A fresh outbox database in a temporary directory and a fresh topic catalog whose
    /// `invoices` topic exists with 6 partitions.
    struct Setup: Sendable {
        let directory: URL
        let database: DatabasePool
        let topics: TopicCatalog
    }

    func setUp(synchronous: DatabaseOpener.Synchronous = .full) async throws -> Setup {
        let directory = try TestPaths.temporaryDirectory()
        let database = try DatabaseOpener.open(directory: directory, name: "bench", migrator: DatabaseMigrator(), synchronous: synchronous)
        let topics = TopicCatalog(prefix: TestNames.unique("bench-outbox") + ".")
        try await kafka.admin.createTopics([topics.name(of: .invoices)], partitions: 6)
        return Setup(directory: directory, database: database, topics: topics)
    }

    func tearDown(_ setup: Setup) {
        try? FileManager.default.removeItem(at: setup.directory)
    }

    /// A realistic event: ~300 bytes of JSON, keyed by one of 1,000 customers.
    static func envelope(_ index: Int) -> Envelope {
        let customer = "customer-\(index % 1_000)"
        let json = """
            {"invoiceId":"inv-\(index)","customerId":"\(customer)","amount":{"minor":\(10_000 + index % 90_000),"currency":"EUR"},\
            "issuedOn":"2025-03-01","dueOn":"2025-03-31","lines":[{"label":"Subscription March","quantity":1,"unitPrice":{"minor":\
            \(10_000 + index % 90_000),"currency":"EUR"}}],"reference":"RF18 5390 0754 7034"}
            """
        return Envelope(
            type: "relance.invoice.issued.v1", source: "/relance/bench", time: Date(), subject: "inv-\(index)",
            key: customer, data: Data(json.utf8))
    }

    /// `count` envelopes, built before any timing starts: `UUID()` (the event id) opens
    /// `/dev/urandom` on every call on Linux, which would otherwise dominate the write numbers.
    static func envelopes(_ count: Int) -> [Envelope] {
        (0..<count).map(envelope)
    }

    /// Commits `envelopes[range]` with ``Outbox/enqueue(_:on:in:)`` in transactions of `transactionSize`.
    /// - Returns: payload bytes written.
    @discardableResult
    func write(_ envelopes: [Envelope], _ range: Range<Int>, transactionSize: Int, into database: DatabasePool) async throws -> Int {
        var bytes = 0
        for start in stride(from: range.lowerBound, to: range.upperBound, by: transactionSize) {
            let end = min(start + transactionSize, range.upperBound)
            bytes += try await database.write { db in
                var written = 0
                for envelope in envelopes[start..<end] {
                    try Outbox.enqueue(envelope, on: .invoices, in: db)
                    written += envelope.data.count
                }
                return written
            }
        }
        return bytes
    }

    /// Commits `events` outbox rows in transactions of `transactionSize` into a fresh file
    /// database opened with `synchronous` (SQLite only: no relay, no broker), and times it.
    /// - Returns: the time and the payload bytes written.
    func writeOnly(events: Int, transactionSize: Int, synchronous: DatabaseOpener.Synchronous) async throws -> (time: Duration, bytes: Int) {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try DatabaseOpener.open(directory: directory, name: "bench", migrator: DatabaseMigrator(), synchronous: synchronous)
        let envelopes = Self.envelopes(events)
        let start = ContinuousClock.now
        let bytes = try await write(envelopes, 0..<events, transactionSize: transactionSize, into: database)
        return (ContinuousClock.now - start, bytes)
    }

    struct BacklogTiming: Sendable {
        var write: Duration
        var relay: Duration
        var bytes: Int
        /// CPU time of the process while writing, and while relaying (librdkafka threads included).
        var writeCPU: Duration
        var relayCPU: Duration
    }

    /// Fills the outbox with `events` rows first, then starts the relay and times it until
    /// every row is acknowledged and marked (`pendingCount == 0`).
    func relayBacklog(
        events: Int, transactionSize: Int = 1_000, relayConfiguration: OutboxRelay.Configuration = .init(),
        producerProperties: [String: String] = [:]
    ) async throws -> BacklogTiming {
        let setup = try await setUp()
        defer { tearDown(setup) }
        let envelopes = Self.envelopes(events)
        let writeCPUStart = cpuTime()
        let writeStart = ContinuousClock.now
        let bytes = try await write(envelopes, 0..<events, transactionSize: transactionSize, into: setup.database)
        let writeTime = ContinuousClock.now - writeStart
        let writeCPU = cpuTime() - writeCPUStart

        var configuration = kafka.configuration
        configuration.properties.merge(producerProperties) { $1 }
        let producer = try Producer(configuration: configuration, logger: kafka.logger)
        let relay = OutboxRelay(
            writer: setup.database, producer: producer, topics: setup.topics, configuration: relayConfiguration,
            logger: kafka.logger)
        let relayCPUStart = cpuTime()
        let start = ContinuousClock.now
        let (relayTime, relayCPU) = try await withRunningServices([producer, relay]) {
            guard await eventually(timeout: .seconds(300), every: .milliseconds(1), { relay.publishedSinceStart >= events }) else {
                throw BenchError("relay published \(relay.publishedSinceStart) of \(events) events in 300 s")
            }
            let elapsed = ContinuousClock.now - start
            let cpu = cpuTime() - relayCPUStart
            let pending = try await setup.database.read(Outbox.pendingCount)
            guard pending == 0 else { throw BenchError("\(pending) outbox rows still pending after the relay reported all") }
            return (elapsed, cpu)
        }
        return BacklogTiming(write: writeTime, relay: relayTime, bytes: bytes, writeCPU: writeCPU, relayCPU: relayCPU)
    }

    struct EndToEndTiming: Sendable {
        /// First commit to last acknowledgement.
        var total: Duration
        var bytes: Int
        /// Commit of a transaction to the acknowledgement (and marking) of its last event.
        var latencies: [Duration]

        func percentile(_ fraction: Double) -> Duration {
            let sorted = latencies.sorted()
            guard !sorted.isEmpty else { return .zero }
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
        }
    }

    /// Writes while the relay runs, calling `notify()` after each commit, and measures commit
    /// to acknowledgement. `pace` spaces transactions (nil: as fast as SQLite takes them).
    ///
    /// The relay publishes in commit order and counts after marking, so a transaction is
    /// acknowledged once `publishedSinceStart` reaches the events committed up to it.
    func relayWhileWriting(
        events: Int, transactionSize: Int, pace: Duration?, relayConfiguration: OutboxRelay.Configuration = .init()
    ) async throws -> EndToEndTiming {
        let setup = try await setUp()
        defer { tearDown(setup) }
        let envelopes = Self.envelopes(events)
        let producer = try Producer(configuration: kafka.configuration, logger: kafka.logger)
        let relay = OutboxRelay(
            writer: setup.database, producer: producer, topics: setup.topics, configuration: relayConfiguration,
            logger: kafka.logger)
        return try await withRunningServices([producer, relay]) {
            // Watches the relay's counter: (instant, published) each time it moves.
            let samples = Locked<[(ContinuousClock.Instant, Int)]>([])
            let watcher = Task {
                var last = -1
                while last < events && !Task.isCancelled {
                    let now = relay.publishedSinceStart
                    if now != last {
                        samples.withLock { $0.append((.now, now)) }
                        last = now
                    }
                    try? await Task.sleep(for: .microseconds(500))
                }
            }
            var commits: [(cumulative: Int, at: ContinuousClock.Instant)] = []
            var bytes = 0
            let start = ContinuousClock.now
            for first in stride(from: 0, to: events, by: transactionSize) {
                let count = min(transactionSize, events - first)
                bytes += try await write(envelopes, first..<(first + count), transactionSize: count, into: setup.database)
                commits.append((first + count, .now))
                relay.notify()
                if let pace {
                    let next = start + pace * commits.count
                    if next > .now { try await Task.sleep(until: next) }
                }
            }
            let acknowledged = await eventually(timeout: .seconds(300), every: .milliseconds(5)) {
                relay.publishedSinceStart >= events
            }
            _ = await watcher.value
            guard acknowledged else {
                throw BenchError("relay published \(relay.publishedSinceStart) of \(events) events in 300 s")
            }
            let observed = samples.withLock { $0 }
            var latencies: [Duration] = []
            var cursor = 0
            for commit in commits {
                while cursor < observed.count && observed[cursor].1 < commit.cumulative { cursor += 1 }
                guard cursor < observed.count else { break }
                latencies.append(max(.zero, observed[cursor].0 - commit.at))
            }
            let end = observed.last?.0 ?? .now
            return EndToEndTiming(total: end - start, bytes: bytes, latencies: latencies)
        }
    }
}
