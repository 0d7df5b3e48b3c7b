import Events
import Foundation
import Logging
import Messaging
import RelanceTestSupport
import Synchronization

/// Producer and consumer throughput of the Swift clients and of kcat, on one broker.
struct KafkaBench: Sendable {
    let options: BenchOptions
    /// Relance's defaults pointed at the bench broker (session timeout 6 s, idempotent producer...).
    let configuration: KafkaConfiguration
    let admin: KafkaAdmin
    let logger: Logger

    /// The librdkafka producer settings both sides use; Relance sets them, kcat gets them with `-X`.
    static let kcatProducerProperties = ["enable.idempotence=true", "acks=all", "linger.ms=5"]

    init(options: BenchOptions, logger: Logger) throws {
        self.options = options
        self.logger = logger
        configuration = KafkaConfiguration(
            bootstrapServers: options.brokers, clientId: "relance-bench", topics: .init(prefix: "bench."), partitions: 6)
        admin = try KafkaAdmin(configuration: configuration, logger: logger)
    }

    /// Fails fast when the broker does not answer.
    func checkBroker() async throws {
        do {
            _ = try await admin.topicNames(timeout: .seconds(5))
        } catch {
            throw BenchError("broker \(options.brokers) does not answer: \(error)")
        }
    }

    /// A fresh 6-partition topic.
    func freshTopic(_ label: String) async throws -> String {
        let name = TestNames.unique("bench-\(label)")
        try await admin.createTopics([name], partitions: 6)
        return name
    }

    // MARK: Producer

    /// Produces `count` keyless records of `size` bytes with the Swift ``Producer``: `batchSize`
    /// records per `send`, `concurrency` sends in flight. Timed from creating the producer to
    /// the last acknowledgement, like kcat's whole process.
    func produceWithSwift(
        topic: String, count: Int, size: Int, batchSize: Int, concurrency: Int,
        properties: [String: String] = [:]
    ) async throws -> Timed {
        let value = payload(size: size)
        let batches: [[OutgoingRecord]] = stride(from: 0, to: count, by: batchSize).map { start in
            Array(repeating: OutgoingRecord(topic: topic, key: nil, value: value), count: min(batchSize, count - start))
        }
        var configuration = self.configuration
        configuration.properties.merge(options.producerProperties) { $1 }
        configuration.properties.merge(properties) { $1 }
        let cpuBefore = cpuTime()
        let start = ContinuousClock.now
        let producer = try Producer(configuration: configuration, logger: logger)
        return try await withRunningServices([producer]) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<concurrency {
                    group.addTask {
                        for index in stride(from: lane, to: batches.count, by: concurrency) {
                            try await producer.send(batches[index])
                        }
                    }
                }
                try await group.waitForAll()
            }
            return Timed(wall: ContinuousClock.now - start, cpu: cpuTime() - cpuBefore)
        }
    }

    /// Writes `count` newline-terminated payloads of `size` bytes to a file for `kcat -P -l`.
    func payloadFile(count: Int, size: Int, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("payload-\(size)-\(count).txt")
        if FileManager.default.fileExists(atPath: url.path) { return url }
        var line = payload(size: size)
        line.append(10)
        var chunk = Data(capacity: line.count * 1_000)
        for _ in 0..<1_000 { chunk.append(line) }
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw BenchError("cannot create \(url.path)") }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        while written < count {
            let lines = min(1_000, count - written)
            try handle.write(contentsOf: lines == 1_000 ? chunk : chunk.prefix(lines * line.count))
            written += lines
        }
        return url
    }

    /// `kcat -P` with the same librdkafka settings, timed from process start until every
    /// record is acknowledged.
    ///
    /// kcat waits for its out-queue to drain (all delivery reports) and then calls
    /// `rd_kafka_destroy`, which logs "Terminating instance" under `-d generic`; that line is
    /// the end mark. The destroy itself is left out: it sometimes waits a full second for
    /// librdkafka's main thread, which says nothing about throughput.
    func produceWithKcat(topic: String, file: URL) async throws -> KcatRun {
        try await runKcat(options.kcat, ["-P", "-b", options.brokers, "-t", topic, "-d", "generic"]
            + Self.kcatProducerProperties.flatMap { ["-X", $0] }
            + options.producerProperties.sorted { $0.key < $1.key }.flatMap { ["-X", "\($0.key)=\($0.value)"] }
            + ["-l", file.path],
            endMarker: "Terminating instance")
    }

    // MARK: Consumer

    /// What a consumer run measured.
    struct ConsumeTiming: Sendable {
        /// Start to first record: client creation, group join, first fetch.
        var join: Duration
        /// First record to the `count`-th: the throughput part.
        var steady: Duration
        /// CPU time of the whole run (user + system).
        var cpu: Duration
    }

    /// Reads `count` records from the beginning of `topic` with the Swift ``Consumer`` in a
    /// fresh group; the handler only counts.
    func consumeWithSwift(topic: String, count: Int, maxBatchSize: Int = 500, properties: [String: String] = [:]) async throws -> ConsumeTiming {
        var configuration = self.configuration
        configuration.properties.merge(options.consumerProperties) { $1 }
        configuration.properties.merge(properties) { $1 }
        let tally = ConsumeProgress(target: count)
        let cpuBefore = cpuTime()
        let start = ContinuousClock.now
        // Never used (the handler does not fail); built from the plain configuration so the
        // consumer-only properties raise no "ignored by this producer" warnings.
        let deadLetters = try Producer(configuration: self.configuration, logger: logger)
        let consumer = try Consumer(
            configuration: configuration, groupId: TestNames.unique("bench-group"), topics: [topic],
            deadLetters: deadLetters, maxBatchSize: maxBatchSize, logger: logger
        ) { _ in tally.recordOne() }
        let marks = try await withRunningServices([deadLetters, consumer]) {
            guard await eventually(timeout: .seconds(180), every: .milliseconds(2), { tally.isDone }) else {
                throw BenchError("Swift consumer read \(tally.count) of \(count) records of \(topic) in 180 s")
            }
            if ProcessInfo.processInfo.environment["RELANCE_BENCH_TRACE"] != nil {
                progress("consumer 5 % steps (ms): \(tally.steps)")
            }
            return (tally.marks, cpuTime() - cpuBefore)
        }
        guard let first = marks.0.first, let last = marks.0.last else { throw BenchError("consumer marks missing") }
        return ConsumeTiming(join: first - start, steady: last - first, cpu: marks.1)
    }

    /// `kcat -C -G` (a consumer group, like ours) from the earliest offset, exiting after
    /// `count` records. The steady part runs from the first output byte to the moment kcat
    /// starts closing the consumer ("Closing consumer" under `-d cgrp`), which it does right
    /// after handling the `count`-th record; its last output bytes come later, at exit, because
    /// stdout to a pipe is block-buffered.
    func consumeWithKcat(topic: String, count: Int, recordSize: Int, properties: [String: String] = [:]) async throws -> ConsumeTiming {
        let extra = options.consumerProperties.merging(properties) { $1 }
        let run = try await runKcat(options.kcat, [
            "-C", "-b", options.brokers, "-G", TestNames.unique("bench-kcat"),
            "-X", "auto.offset.reset=earliest", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=2000",
        ] + extra.sorted { $0.key < $1.key }.flatMap { ["-X", "\($0.key)=\($0.value)"] } + [
            "-d", "cgrp", "-e", "-q", "-c", String(count), topic,
        ], endMarker: "Closing consumer")
        // Records are fixed-size and newline-free, so the byte count proves the record count.
        guard run.outputBytes == count * (recordSize + 1) else {
            throw BenchError("kcat printed \(run.outputBytes) bytes for \(topic), expected \(count) records of \(recordSize + 1)")
        }
        guard let first = run.firstOutput, let last = run.marked ?? run.lastOutput else { throw BenchError("kcat printed nothing") }
        return ConsumeTiming(join: first, steady: last - first, cpu: run.cpu)
    }
}

/// Wall-clock and CPU time of one run.
struct Timed: Sendable {
    var wall: Duration
    var cpu: Duration
}

/// Counts records in the consumer handler and notes when the first and the last arrived.
final class ConsumeProgress: Sendable {
    private let counter = Atomic<Int>(0)
    private let times = Mutex<(first: ContinuousClock.Instant?, last: ContinuousClock.Instant?)>((nil, nil))
    let target: Int

    init(target: Int) { self.target = target }

    private let milestones = Mutex<[ContinuousClock.Instant]>([])

    func recordOne() {
        let seen = counter.add(1, ordering: .relaxed).newValue
        if seen == 1 { times.withLock { $0.first = .now } }
        if seen == target { times.withLock { $0.last = .now } }
        if seen % max(1, target / 20) == 0 { milestones.withLock { $0.append(.now) } }
    }

    /// Time between successive 5 % steps, in milliseconds.
    var steps: [Int] {
        let marks = milestones.withLock { $0 }
        return zip(marks, marks.dropFirst()).map { Int((($1 - $0).seconds * 1000).rounded()) }
    }

    var count: Int { counter.load(ordering: .relaxed) }
    var isDone: Bool { count >= target }
    var marks: (first: ContinuousClock.Instant?, last: ContinuousClock.Instant?) { times.withLock { $0 } }
}
