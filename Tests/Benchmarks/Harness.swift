import Foundation
import Synchronization

/// What the benchmark was asked to do, from its command line.
struct BenchOptions: Sendable {
    /// `host:port` of the broker.
    var brokers = "127.0.0.1:9092"
    /// The kcat executable (run with the inherited `LD_LIBRARY_PATH`, so librdkafka 2.8).
    var kcat = "kcat"
    /// Records per 300-byte producer/consumer row; the 1 KiB rows use half. Default: 600,000.
    var records = 600_000
    /// Records per `Producer.send` call. Default: 10,000.
    var batchSize = 10_000
    /// `send` calls in flight at once. Default: 4.
    var concurrentBatches = 4
    /// `Consumer.maxBatchSize`. Default: 500 (the `Consumer` default).
    var consumerBatch = 500
    /// Extra librdkafka properties for both Swift and kcat (`-X`). Default: none.
    var producerProperties: [String: String] = [:]
    var consumerProperties: [String: String] = [:]
    /// Events written to the outbox per relay row. Default: 100,000.
    var outboxEvents = 100_000
    /// Runs of each Kafka measurement; the fastest counts (the others absorb noise from
    /// whatever else the machine is doing). Default: 3.
    var repeats = 3
    /// Scenarios to run: `producer`, `consumer`, `outbox`, `explore`. Default: the first three.
    var scenarios: Set<String> = ["producer", "consumer", "outbox"]

    static let usage = """
        usage: relance-bench --brokers HOST:PORT [--kcat PATH] [--records N] [--batch N]
                             [--concurrency N] [--consumer-batch N]
                             [--outbox-events N] [--repeat N]
                             [--producer-property key=value]... [--consumer-property key=value]... [--only producer,consumer,outbox,explore]
        """

    static func parse(_ arguments: [String]) throws -> BenchOptions {
        var options = BenchOptions()
        var iterator = arguments.makeIterator()
        func value(_ flag: String) throws -> String {
            guard let next = iterator.next() else { throw BenchError("\(flag) needs a value\n\(usage)") }
            return next
        }
        func number(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let parsed = Int(text.replacingOccurrences(of: "_", with: "")), parsed > 0 else {
                throw BenchError("\(flag) expects a positive integer, got '\(text)'")
            }
            return parsed
        }
        while let argument = iterator.next() {
            switch argument {
            case "--brokers": options.brokers = try value(argument)
            case "--kcat": options.kcat = try value(argument)
            case "--records": options.records = try number(argument)
            case "--batch": options.batchSize = try number(argument)
            case "--concurrency": options.concurrentBatches = try number(argument)
            case "--consumer-batch": options.consumerBatch = try number(argument)
            case "--outbox-events": options.outboxEvents = try number(argument)
            case "--repeat": options.repeats = try number(argument)
            case "--producer-property", "--consumer-property":
                let text = try value(argument)
                guard let equals = text.firstIndex(of: "=") else { throw BenchError("\(argument) expects key=value, got '\(text)'") }
                let key = String(text[..<equals])
                let propertyValue = String(text[text.index(after: equals)...])
                if argument == "--producer-property" {
                    options.producerProperties[key] = propertyValue
                } else {
                    options.consumerProperties[key] = propertyValue
                }
            case "--only": options.scenarios = Set(try value(argument).split(separator: ",").map(String.init))
            case "-h", "--help": throw BenchError(usage)
            default: throw BenchError("unknown argument '\(argument)'\n\(usage)")
            }
        }
        return options
    }
}

/// A failure of the harness itself (broker unreachable, kcat failed...): exit non-zero.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// CPU time (user + system) of this process, or of its reaped children.
func cpuTime(children: Bool = false) -> Duration {
    var usage = rusage()
    getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
    func duration(_ time: timeval) -> Duration { .seconds(time.tv_sec) + .microseconds(time.tv_usec) }
    return duration(usage.ru_utime) + duration(usage.ru_stime)
}

extension Duration {
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}

/// Prints progress to standard error, so standard output holds only the report.
func progress(_ message: String) {
    FileHandle.standardError.write(Data("bench: \(message)\n".utf8))
}

/// A payload of `size` printable bytes without newline (kcat splits its input on newlines).
func payload(size: Int) -> Data {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
    return Data((0..<size).map { alphabet[$0 % alphabet.count] })
}

/// A kcat run: wall time of the whole process, and when its first output byte arrived.
struct KcatRun: Sendable {
    var total: Duration
    /// From start to the first time `endMarker` appeared on standard error.
    var marked: Duration?
    /// From start to the first byte on standard output (consumer: the group join and first fetch).
    var firstOutput: Duration?
    /// From start to the last byte on standard output.
    var lastOutput: Duration?
    var outputBytes: Int
    /// CPU time kcat used (user + system).
    var cpu: Duration

    /// Until the end mark, or the whole process when it never appeared.
    var untilMark: Duration { marked ?? total }
}

/// Runs kcat to completion. Standard output is read on its own thread (counting bytes and
/// timing the first and last byte); standard error is kept for the error message
/// and watched for `endMarker`.
///
/// Waits with `terminationHandler`, not `waitUntilExit()` (which spins at 100 % CPU on Linux
/// and would steal a core from the broker).
func runKcat(_ kcat: String, _ arguments: [String], endMarker: String? = nil) async throws -> KcatRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: kcat.contains("/") ? kcat : try which(kcat))
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice

    struct Reading: Sendable { var first: ContinuousClock.Instant?; var last: ContinuousClock.Instant?; var bytes = 0 }
    let reading = Locked(Reading())
    let errorText = Locked(Data())
    let marked = Locked<ContinuousClock.Instant?>(nil)
    let readersDone = DispatchGroup()
    let outputHandle = output.fileHandleForReading
    let errorHandle = errors.fileHandleForReading

    let cpuBefore = cpuTime(children: true)
    let start = ContinuousClock.now
    let finished: ContinuousClock.Instant = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { _ in continuation.resume(returning: ContinuousClock.now) }
        do {
            try process.run()
        } catch {
            continuation.resume(throwing: BenchError("cannot start \(kcat): \(error)"))
            return
        }
        readersDone.enter()
        Thread.detachNewThread {
            let descriptor = outputHandle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                // Only count: this thread shares two cores with kcat and the broker.
                reading.withLock { state in
                    let now = ContinuousClock.now
                    if state.first == nil { state.first = now }
                    state.last = now
                    state.bytes += count
                }
            }
            readersDone.leave()
        }
        readersDone.enter()
        Thread.detachNewThread {
            let descriptor = errorHandle.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                let now = ContinuousClock.now
                errorText.withLock { $0.append(contentsOf: buffer[0..<count]) }
                if let endMarker, marked.withLock({ $0 == nil }),
                   String(decoding: errorText.withLock { $0 }, as: UTF8.self).contains(endMarker) {
                    marked.withLock { $0 = now }
                }
            }
            readersDone.leave()
        }
    }
    await withCheckedContinuation { continuation in
        readersDone.notify(queue: .global()) { continuation.resume() }
    }
    guard process.terminationStatus == 0 else {
        let message = String(decoding: errorText.withLock { $0 }, as: UTF8.self)
        throw BenchError("kcat \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(message)")
    }
    let state = reading.withLock { $0 }
    return KcatRun(
        total: finished - start, marked: marked.withLock { $0 }.map { $0 - start }, firstOutput: state.first.map { $0 - start }, lastOutput: state.last.map { $0 - start },
        outputBytes: state.bytes, cpu: cpuTime(children: true) - cpuBefore)
}

private func which(_ name: String) throws -> String {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw BenchError("\(name) not found on PATH; pass --kcat PATH")
}

/// A `Mutex` in a class, so escaping closures and threads can share it.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
