// relance-bench: producer, consumer and outbox-relay throughput against one broker, with
// kcat (same librdkafka) as the yardstick. Run it through `make bench` / Deploy/local/run-bench.sh.
// Exit status is non-zero only when the harness fails; a missed target says "below target".
import Foundation
import Logging
import Messaging
import Storage

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .warning
    return handler
}

do {
    let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    var logger = Logger(label: "relance.bench")
    logger.logLevel = .warning
    let kafka = try KafkaBench(options: options, logger: logger)
    try await kafka.checkBroker()
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("relance-bench-\(getpid())")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    var rows: [ResultRow] = []
    var notes: [String] = []
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
        let average = load.split(separator: " ").prefix(3).joined(separator: " ")
        notes.append("load average at start: \(average) on \(ProcessInfo.processInfo.activeProcessorCount) cores"
            + ((Double(load.split(separator: " ").first ?? "") ?? 0) > 1 ? " — the machine is busy; numbers are noisy" : ""))
    }
    let records = options.records

    if !options.scenarios.isDisjoint(with: ["producer", "consumer", "explore"]) {
        // Warm-up: connections, broker allocations, page cache of the payload files.
        progress("warming up")
        let warmFile = try kafka.payloadFile(count: 20_000, size: 300, in: scratch)
        _ = try await kafka.produceWithKcat(topic: try await kafka.freshTopic("warmup"), file: warmFile)
        _ = try await kafka.produceWithSwift(
            topic: try await kafka.freshTopic("warmup"), count: 20_000, size: 300,
            batchSize: options.batchSize, concurrency: options.concurrentBatches)
    }

    if options.scenarios.contains("producer") || options.scenarios.contains("consumer") {
        for (size, count) in [(300, records), (1_024, records / 2)] {
            let label = size == 1_024 ? "1 KiB" : "\(size) B"
            let file = try kafka.payloadFile(count: count, size: size, in: scratch)
            var swiftRuns: [Timed] = []
            var kcatRuns: [Timed] = []
            var readTopic: String?
            // Alternate who goes first, so a slower broker phase does not always hit the same side.
            for run in 0..<options.repeats {
                for side in run.isMultiple(of: 2) ? ["kcat", "swift"] : ["swift", "kcat"] {
                    let topic = try await kafka.freshTopic("\(side)-\(size)")
                    progress("producer \(label), run \(run + 1)/\(options.repeats): \(side)")
                    if side == "kcat" {
                        let result = try await kafka.produceWithKcat(topic: topic, file: file)
                        kcatRuns.append(Timed(wall: result.untilMark, cpu: result.cpu))
                    } else {
                        swiftRuns.append(try await kafka.produceWithSwift(
                            topic: topic, count: count, size: size,
                            batchSize: options.batchSize, concurrency: options.concurrentBatches))
                        readTopic = readTopic ?? topic
                    }
                }
            }
            if options.scenarios.contains("producer") {
                rows.append(try row("producer \(label)", count: count, size: size, swift: swiftRuns, kcat: kcatRuns, notes: &notes))
            }
            guard options.scenarios.contains("consumer"), let readTopic else { continue }
            // Both read the topic the first Swift producer run wrote, each time in a fresh group:
            // first with Relance's consumer settings, then with the suggested fetch.queue.backoff.ms.
            for (suffix, properties) in [("", [String: String]()), (", fetch.queue.backoff.ms=10", ["fetch.queue.backoff.ms": "10"])] {
                var swiftReads: [Timed] = []
                var kcatReads: [Timed] = []
                var joins: (swift: Duration, kcat: Duration) = (.zero, .zero)
                for run in 0..<options.repeats {
                    for side in run.isMultiple(of: 2) ? ["kcat", "swift"] : ["swift", "kcat"] {
                        progress("consumer \(label)\(suffix), run \(run + 1)/\(options.repeats): \(side)")
                        if side == "kcat" {
                            let result = try await kafka.consumeWithKcat(topic: readTopic, count: count, recordSize: size, properties: properties)
                            kcatReads.append(Timed(wall: result.steady, cpu: result.cpu))
                            joins.kcat = result.join
                        } else {
                            let result = try await kafka.consumeWithSwift(
                                topic: readTopic, count: count, maxBatchSize: options.consumerBatch, properties: properties)
                            swiftReads.append(Timed(wall: result.steady, cpu: result.cpu))
                            joins.swift = result.join
                        }
                    }
                }
                rows.append(try row("consumer \(label)\(suffix)", count: count, size: size, swift: swiftReads, kcat: kcatReads, notes: &notes))
                if suffix.isEmpty {
                    notes.append("consumer \(label): group join + first fetch (excluded) Swift \(format(joins.swift.seconds, 2)) s, kcat \(format(joins.kcat.seconds, 2)) s")
                }
            }
        }
    }

    if options.scenarios.contains("outbox") {
        let outbox = OutboxBench(kafka: kafka)
        let events = options.outboxEvents
        let defaults = OutboxRelay.Configuration()

        // Durability: the same commits with synchronous=NORMAL (before) and FULL (services
        // now), alternating which goes first, best of `repeats` each.
        let durabilityCases = [("tx of 1,000", 1_000, events), ("tx of 10", 10, min(events, 20_000)), ("tx of 1", 1, min(events, 5_000))]
        for (label, transactionSize, count) in durabilityCases {
            var best: [DatabaseOpener.Synchronous: (time: Duration, bytes: Int)] = [:]
            for run in 0..<options.repeats {
                for mode in run.isMultiple(of: 2) ? [DatabaseOpener.Synchronous.normal, .full] : [.full, .normal] {
                    progress("outbox write \(label), synchronous=\(mode.rawValue), run \(run + 1)/\(options.repeats)")
                    let timing = try await outbox.writeOnly(events: count, transactionSize: transactionSize, synchronous: mode)
                    if best[mode].map({ timing.time < $0.time }) ?? true { best[mode] = timing }
                }
            }
            for mode in [DatabaseOpener.Synchronous.normal, .full] {
                guard let timing = best[mode] else { continue }
                rows.append(ResultRow(
                    scenario: "outbox write, \(label), synchronous=\(mode.rawValue) (SQLite only)", records: count,
                    seconds: timing.time.seconds, bytes: timing.bytes, ratioTarget: nil))
            }
            if let normal = best[.normal], let full = best[.full] {
                let commits = (count + transactionSize - 1) / transactionSize
                notes.append("outbox write \(label): FULL takes \(format(full.time.seconds / normal.time.seconds, 2))× the time of NORMAL "
                    + "(\(format((full.time - normal.time).seconds / Double(commits) * 1e6, 0)) µs more per commit, \(grouped(Double(commits))) commits)")
            }
        }

        progress("outbox relay: backlog of \(events), default configuration")
        let backlog = try await outbox.relayBacklog(events: events)
        rows.append(ResultRow(
            scenario: "outbox write before relay, tx of 1,000, synchronous=FULL", records: events, seconds: backlog.write.seconds,
            bytes: backlog.bytes, ratioTarget: nil))
        rows.append(ResultRow(
            scenario: "outbox relay, backlog (batch \(grouped(Double(defaults.batchSize))))", records: events,
            seconds: backlog.relay.seconds, bytes: backlog.bytes, ratioTarget: nil, absoluteTarget: 20_000))

        func perEvent(_ cpu: Duration) -> String { "\(format(cpu.seconds / Double(events) * 1e6, 1)) µs" }
        notes.append("outbox CPU per event (whole process): write \(perEvent(backlog.writeCPU)), relay \(perEvent(backlog.relayCPU)) "
            + "(batch \(grouped(Double(defaults.batchSize)))); events are built before timing (UUID() reads /dev/urandom per call)")
        let tunedBatch = 10_000
        progress("outbox relay: backlog of \(events), batch \(tunedBatch)")
        let tuned = try await outbox.relayBacklog(events: events, relayConfiguration: .init(batchSize: tunedBatch))
        rows.append(ResultRow(
            scenario: "outbox relay, backlog (batch \(grouped(Double(tunedBatch))))", records: events,
            seconds: tuned.relay.seconds, bytes: tuned.bytes, ratioTarget: nil, absoluteTarget: 20_000))
        notes.append("outbox CPU per event, relay batch \(grouped(Double(tunedBatch))): \(perEvent(tuned.relayCPU))")

        progress("outbox relay: writing concurrently, unpaced")
        let concurrent = try await outbox.relayWhileWriting(events: events, transactionSize: 1_000, pace: nil)
        rows.append(ResultRow(
            scenario: "outbox commit→ack, writing concurrently (tx 1,000)", records: events,
            seconds: concurrent.total.seconds, bytes: concurrent.bytes, ratioTarget: nil, absoluteTarget: 20_000))
        notes.append("outbox commit→ack unpaced: latency per transaction p50 \(milliseconds(concurrent.percentile(0.5))), "
            + "p99 \(milliseconds(concurrent.percentile(0.99))), max \(milliseconds(concurrent.percentile(1)))")

        let pacedEvents = min(events, 50_000)
        progress("outbox relay: writing concurrently, paced 10,000 events/s")
        let paced = try await outbox.relayWhileWriting(events: pacedEvents, transactionSize: 100, pace: .milliseconds(10))
        rows.append(ResultRow(
            scenario: "outbox commit→ack, paced 10,000 ev/s (tx 100)", records: pacedEvents,
            seconds: paced.total.seconds, bytes: paced.bytes, ratioTarget: nil))
        notes.append("outbox commit→ack paced: latency per transaction p50 \(milliseconds(paced.percentile(0.5))), "
            + "p99 \(milliseconds(paced.percentile(0.99))), max \(milliseconds(paced.percentile(1)))")
    }

    if options.scenarios.contains("explore") {
        try await explore(kafka, records: records, repeats: options.repeats, scratch: scratch)
    }

    if !rows.isEmpty {
        print("")
        printReport(rows, notes: notes + [
            "Kafka rows: best of \(options.repeats) runs per side, sides alternating. MB/s counts record values only (10^6 bytes).",
            "Swift producer: Relance's `Producer` defaults (idempotent, acks=all, linger.ms=5, batch.num.messages=10000), "
                + "\(grouped(Double(options.batchSize))) keyless records per `send`, \(options.concurrentBatches) sends in flight; "
                + "timed from creating the producer to the last ack.",
            "kcat -P: `kcat -P -b BROKER -t TOPIC -d generic -X enable.idempotence=true -X acks=all -X linger.ms=5 -l FILE`, "
                + "timed from process start to all delivery reports in (its \"Terminating instance\" debug line; rd_kafka_destroy excluded).",
            "Swift consumer: `Consumer` with Relance's defaults, maxBatchSize \(options.consumerBatch), fresh group, handler only counts; "
                + "first record to N-th.",
            "kcat -C: `kcat -C -b BROKER -G GROUP -X auto.offset.reset=earliest -X session.timeout.ms=6000 -X heartbeat.interval.ms=2000 "
                + "-d cgrp -e -q -c N TOPIC` (a consumer group, like ours); first output byte to \"Closing consumer\" (right after the N-th record).",
            "Rows \"fetch.queue.backoff.ms=10\" pass that property to both sides. librdkafka's default (1 s) is how long a partition "
                + "stops fetching once the prefetch queue is over queued.max.messages.kbytes (Relance: 16 MB, kcat: 64 MB); "
                + "a consumer slower than the broker then stalls for whole seconds.",
        ])
    }
} catch {
    FileHandle.standardError.write(Data("relance-bench: \(error)\n".utf8))
    exit(1)
}

/// The fastest of the runs of each side makes the row; every run goes into the notes.
func row(_ scenario: String, count: Int, size: Int, swift: [Timed], kcat: [Timed], notes: inout [String]) throws -> ResultRow {
    guard let bestSwift = swift.min(by: { $0.wall < $1.wall }), let bestKcat = kcat.min(by: { $0.wall < $1.wall }) else {
        throw BenchError("\(scenario): no run")
    }
    func rates(_ runs: [Timed]) -> String {
        runs.map { grouped(Double(count) / $0.wall.seconds) }.joined(separator: ", ")
    }
    func cpuPerRecord(_ runs: [Timed]) -> String {
        let best = runs.map { $0.cpu.seconds }.min() ?? 0
        return "\(format(best / Double(count) * 1e6, 2)) µs"
    }
    notes.append("\(scenario): records/s per run Swift [\(rates(swift))], kcat [\(rates(kcat))]; "
        + "CPU per record Swift \(cpuPerRecord(swift)), kcat \(cpuPerRecord(kcat))")
    return ResultRow(
        scenario: scenario, records: count, seconds: bestSwift.wall.seconds, bytes: count * size,
        kcatRecordsPerSecond: Double(count) / bestKcat.wall.seconds)
}

func milliseconds(_ duration: Duration) -> String {
    "\(format(duration.seconds * 1_000, 1)) ms"
}
