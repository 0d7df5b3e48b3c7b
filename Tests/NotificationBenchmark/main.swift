// relance-notification-bench: e-mails per second through the `notification` executable into
// postfix's smtp-sink, with one and two instances, against the sink's own limit measured in the
// same run (postfix smtp-source), plus render time and the parts of a message's handling.
// Run by `make bench` through Deploy/local/run-bench.sh (which starts the broker). Prints
// markdown tables; figures only, never pass/fail on targets. Exit status is non-zero only when
// the harness fails.
import Foundation
import Logging
import Storage

let usage = """
    usage: relance-notification-bench --brokers HOST:PORT [options]

    sink      the sink's limit: postfix smtp-source into smtp-sink, 1, 2 and 4 sessions (each
              connection reused, no pipelining), messages of the rendered sample's size.
    one       --messages N (5000) notification.requested commands (the sample formal notice,
              French, one recipient, 97 customers) produced to a fresh notification-requests
              (6 partitions); one `notification` process delivers them over SMTP to smtp-sink:
              e-mails/s first to last accepted at the sink, CPU seconds and peak RSS (VmHWM).
    two       the same with two processes in one consumer group.
    linger0   one instance again with --kafka-property-linger-ms=0 (librdkafka's default 5 ms
              linger delays each of the dispatcher's synchronous changelog sends): a what-if.
    run64     one instance again with --delivery-run 64 (runs of 64 commands instead of 16: fewer
              transactions and changelog waits per e-mail, a larger unconfirmed window): a what-if.
    render    TemplateLibrary.render of the sample in process (--render N, 5000): µs per e-mail.
    parts     our SMTP client alone (one connection, one message after the other) into smtp-sink;
              one synchronous produce (send, await the broker's ack) with linger 5 ms and 0 ms;
              one SQLite write transaction (DatabaseOpener store, synchronous FULL and NORMAL).
    --only LIST (sink,one,two,linger0,render,parts; run64 only when named)  --notification PATH (the release executable,
    .build-bench/release/notification)  --smtp-sink PATH (/usr/sbin/smtp-sink)
    --smtp-source PATH (/usr/sbin/smtp-source)
    """

struct Options {
    static let all = ["sink", "one", "two", "linger0", "render", "parts"]
    /// Scenarios run only when `--only` names them.
    static let optional = ["run64"]
    var only = Set(all)
    var brokers = ""
    var messages = 5_000
    var renderIterations = 5_000
    var notification = ".build-bench/release/notification"
    var smtpSink = "/usr/sbin/smtp-sink"
    var smtpSource = "/usr/sbin/smtp-source"

    static func parse(_ arguments: [String]) throws(BenchFailure) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if argument == "--help" || argument == "-h" {
                say(usage)
                exit(0)
            }
            guard let value = iterator.next() else { throw BenchFailure("\(argument) needs a value\n\(usage)") }
            func number() throws(BenchFailure) -> Int {
                guard let number = Int(value.replacingOccurrences(of: "_", with: "")), number > 1 else {
                    throw BenchFailure("\(argument) wants an integer above 1, not '\(value)'")
                }
                return number
            }
            switch argument {
            case "--only":
                options.only = Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                let unknown = options.only.subtracting(all + optional)
                guard unknown.isEmpty else { throw BenchFailure("--only: unknown \(unknown.sorted()); use \((all + optional).joined(separator: ", "))") }
            case "--brokers": options.brokers = value
            case "--messages": options.messages = try number()
            case "--render": options.renderIterations = try number()
            case "--notification": options.notification = value
            case "--smtp-sink": options.smtpSink = value
            case "--smtp-source": options.smtpSource = value
            default: throw BenchFailure("unknown option \(argument)\n\(usage)")
            }
        }
        let needsBroker = !options.only.isDisjoint(with: ["one", "two", "linger0", "run64", "parts"])
        if needsBroker && options.brokers.isEmpty { throw BenchFailure("--brokers is required for \(options.only.sorted())\n\(usage)") }
        for path in [options.smtpSink, options.smtpSource] where !FileManager.default.isExecutableFile(atPath: path) {
            throw BenchFailure("\(path) not found: postfix's smtp-sink and smtp-source are the yardstick (Deploy/local/bootstrap.sh installs postfix)")
        }
        if !options.only.isDisjoint(with: ["one", "two", "linger0", "run64"]) && !FileManager.default.isExecutableFile(atPath: options.notification) {
            throw BenchFailure("no notification executable at \(options.notification): swift build -c release --scratch-path .build-bench --product notification")
        }
        return options
    }
}

func format(_ value: Double, _ decimals: Int = 0) -> String { String(format: "%.\(decimals)f", value) }

do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    var logger = Logger(label: "relance.notification-bench")
    logger.logLevel = .warning
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
        progress("load average at start: \(load.split(separator: " ").prefix(3).joined(separator: " ")) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relance-notification-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)

    // The wire size of the sample sets smtp-source's message size.
    let render = try measureRender(iterations: options.only.contains("render") ? options.renderIterations : 200)
    var sinkRows: [(sessions: Int, rate: Double, accepted: Int)] = []
    if options.only.contains("sink") {
        for sessions in [1, 2, 4] {
            progress("sink: smtp-source, \(sessions) session(s), \(grouped(options.messages)) messages of \(grouped(render.bytes)) bytes")
            let result = try await measureSinkLimit(messages: options.messages, sessions: sessions, size: render.bytes, options: options)
            sinkRows.append((sessions, result.rate, result.accepted))
        }
    }
    var runs: [EndToEndResult] = []
    for (key, label, count, arguments) in [("one", "one instance", 1, [String]()), ("two", "two instances, one group", 2, []),
                                           ("linger0", "one instance, linger.ms=0 (what-if)", 1, ["--kafka-property-linger-ms", "0"]),
                                           ("run64", "one instance, delivery.run=64 (what-if)", 1, ["--delivery-run", "64"])]
        where options.only.contains(key) {
        runs.append(try await runEndToEnd(label: label, instances: count, messages: options.messages, options: options,
                                          arguments: arguments, directory: directory, logger: logger))
    }
    var smtpClientRate: Double?
    var produceMillis: [(String, Double)] = []
    var sqliteMillis: [(String, Double)] = []
    if options.only.contains("parts") {
        progress("parts: SMTP client alone, synchronous produce")
        smtpClientRate = try await measureSMTPClient(messages: min(options.messages, 2_000), options: options, logger: logger)
        produceMillis.append(("linger.ms 5 (the services' setting)", try await measureSynchronousProduce(records: 300, properties: [:], options: options, logger: logger)))
        produceMillis.append(("linger.ms 0", try await measureSynchronousProduce(records: 300, properties: ["linger.ms": "0"], options: options, logger: logger)))
        for synchronous in DatabaseOpener.Synchronous.allCases {
            sqliteMillis.append((synchronous.rawValue, try await measureSQLiteCommit(commits: 300, synchronous: synchronous, directory: directory)))
        }
    }

    let sinkLimit = sinkRows.map(\.rate).max()
    say("")
    say("| notification e-mail throughput (\(grouped(options.messages)) messages of \(grouped(render.bytes)) bytes) | accepted | e-mails/s (first to last accepted at the sink) | CPU s per instance | peak RSS per instance |")
    say("| --- | ---: | ---: | ---: | ---: |")
    for row in sinkRows {
        say("| sink limit: postfix smtp-source, \(row.sessions) session(s) → smtp-sink | \(grouped(row.accepted)) | \(format(row.rate)) | n/a | n/a |")
    }
    for run in runs {
        say("| \(run.label) | \(grouped(run.accepted)) of \(grouped(run.expected)) | **\(format(run.rate))** | "
            + run.cpuSeconds.map { format($0, 1) }.joined(separator: ", ") + " | "
            + run.peakMiB.map { format($0) + " MiB" }.joined(separator: ", ") + " |")
    }
    if options.only.contains("render") {
        say("| render: TemplateLibrary.render, in process | \(grouped(options.renderIterations)) | \(format(1e6 / render.renderMicros)) (\(format(render.renderMicros, 1)) µs/e-mail; with RFC 5322 bytes \(format(render.withMIMEMicros, 1)) µs) | n/a | n/a |")
    }
    if let smtpClientRate {
        say("| parts: our SMTPClient alone, one connection, sequential | \(grouped(min(options.messages, 2_000))) | \(format(smtpClientRate)) (\(format(1e6 / max(smtpClientRate, 1e-9))) µs/e-mail) | n/a | n/a |")
    }
    for (label, millis) in produceMillis {
        say("| parts: one synchronous produce (await ack), \(label) | 300 | \(format(1e3 / millis)) (\(format(millis, 2)) ms/record) | n/a | n/a |")
    }
    for (mode, millis) in sqliteMillis {
        say("| parts: one SQLite write transaction (ledger upsert), synchronous=\(mode)\(mode == "FULL" ? " (the services' setting)" : "") | 300 | \(format(1e3 / millis)) (\(format(millis, 2)) ms/commit) | n/a | n/a |")
    }
    say("")
    if let sinkLimit, let one = runs.first(where: { $0.instances == 1 }) {
        let target = min(0.5 * sinkLimit, 1_000)
        say("Target: one instance ≥ 50 % of the sink's limit or ≥ 1,000 e-mails/s, whichever is lower: "
            + "\(format(target)) e-mails/s here (sink limit \(format(sinkLimit)) e-mails/s). One instance: \(format(one.rate)) "
            + "(\(format(100 * one.rate / sinkLimit, 1)) % of the limit).")
    }
    for run in runs where run.produceSeconds > 0 {
        say("\(run.label): commands produced in \(format(run.produceSeconds, 2)) s before delivery; CPU is the instance's own from the first command to the last acceptance.")
    }
    try? FileManager.default.removeItem(at: directory)
} catch {
    FileHandle.standardError.write(Data("relance-notification-bench: \(error)\n".utf8))
    exit(1)
}
