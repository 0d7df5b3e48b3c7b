// Invoicing benchmarks (run by `make bench` through Deploy/local/run-bench.sh):
//   1. CSV import of 1,000,000 invoices for 50,000 customers: rows/s from file to committed
//      rows with every invoice.issued acknowledged by the broker, and peak memory (VmHWM).
//   2. Outstanding for one customer with 10,000 invoices: median and p95 latency.
//   The import runs once per SQLite `synchronous` mode (env RELANCE_BENCH_SYNCHRONOUS, default
//   `normal,full`), each on a fresh store, so the cost of FULL reads side by side.
// Usage: relance-invoicing-bench BROKERS [INVOICES] [CUSTOMERS]
import CSV
import Events
import Foundation
import GRDB
import Invoicing
import Logging
import Messaging
import Money
import ServiceLifecycle
import Storage

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Peak resident memory of this process in MiB (Linux `VmHWM`).
func peakMemoryMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return -1 }
    return kilobytes / 1024
}

/// Resets the peak so the next phase is measured on its own.
func resetPeakMemory() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

func writeFile(_ url: URL, rows: Int, header: String, row: (Int) -> String) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var buffer = header + "\n"
    for index in 0..<rows {
        buffer += row(index)
        buffer += "\n"
        if buffer.utf8.count > 1 << 20 {
            handle.write(Data(buffer.utf8))
            buffer.removeAll(keepingCapacity: true)
        }
    }
    handle.write(Data(buffer.utf8))
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    say("usage: relance-invoicing-bench BROKERS [INVOICES] [CUSTOMERS]")
    exit(64)
}
let brokers = arguments[1]
let invoiceCount = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
let customerCount = arguments.count > 3 ? Int(arguments[3]) ?? 50_000 : 50_000
// `RELANCE_BENCH_SYNCHRONOUS`: the modes to import with, in order (default `normal,full`:
// the store before and after the switch to FULL, side by side). Outstanding runs on the last.
let modes = (ProcessInfo.processInfo.environment["RELANCE_BENCH_SYNCHRONOUS"] ?? "normal,full")
    .split(separator: ",").compactMap { DatabaseOpener.Synchronous(rawValue: $0.trimmingCharacters(in: .whitespaces).uppercased()) }
guard let lastMode = modes.last else {
    say("RELANCE_BENCH_SYNCHRONOUS: give normal, full or both (comma-separated)")
    exit(64)
}

var logger = Logger(label: "relance.bench")
logger.logLevel = .error
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relance-invoicing-bench-\(UUID().uuidString.prefix(8))")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

// Input files (generation is not timed).
let customersFile = directory.appendingPathComponent("customers.csv")
let invoicesFile = directory.appendingPathComponent("invoices.csv")
try writeFile(customersFile, rows: customerCount, header: "customerNumber,legalName,country,currency,paymentTerms,creditLimit") { index in
    "C\(index),Customer \(index) SAS,FR,EUR,\(index % 3 == 0 ? "eom+10" : "net:30"),"
}
try writeFile(invoicesFile, rows: invoiceCount, header: "invoiceNumber,customerNumber,issueDate,dueDate,currency,total,orderReference") { index in
    let month = 1 + index % 12
    let day = 1 + index % 28
    return "F\(index),C\(index % customerCount),2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),,EUR,\(100 + index % 9_000).\(index % 100 < 10 ? "0" : "")\(index % 100),PO-\(index % 1000)"
}
let fileMiB = Double((try FileManager.default.attributesOfItem(atPath: invoicesFile.path)[.size] as? Int) ?? 0) / 1_048_576

/// What the runs share: the broker, the scratch directory and the input files.
struct BenchInputs: Sendable {
    var brokers: String
    var directory: URL
    var customersFile: URL
    var invoicesFile: URL
    var logger: Logger
}

/// What one import run measured.
struct ImportRun: Sendable {
    var customers = 0
    var customerSeconds = 0.0
    var invoices = 0
    var committedSeconds = 0.0
    var seconds = 0.0
    var peakMiB = 0.0
    var rejected = 0
    var firstRejection = ""
    /// Outstanding latency (median, p95 in ms), when asked for.
    var outstanding: (median: Double, p95: Double)?
}

/// One import run on a fresh store opened with `synchronous`, its relay publishing to a fresh
/// topic catalog; then, if asked, the outstanding latency on that store.
func importRun(_ inputs: BenchInputs, synchronous: DatabaseOpener.Synchronous, measureOutstanding: Bool) async throws -> ImportRun {
    let storeDirectory = inputs.directory.appendingPathComponent("store-\(synchronous.rawValue.lowercased())")
    defer { try? FileManager.default.removeItem(at: storeDirectory) }
    let logger = inputs.logger
    let configuration = KafkaConfiguration(bootstrapServers: inputs.brokers, topics: TopicCatalog(prefix: "bench-\(UUID().uuidString.prefix(6)).".lowercased()))
    try await KafkaAdmin(configuration: configuration, logger: logger).createTopicCatalog()
    let pool = try DatabaseOpener.open(directory: storeDirectory, name: "invoicing", migrator: InvoicingDatabase.migrator, synchronous: synchronous)
    let producer = try Producer(configuration: configuration, logger: logger)
    let relay = OutboxRelay(writer: pool, producer: producer, topics: configuration.topics, configuration: .init(batchSize: 5_000), logger: logger)
    let database = try InvoicingDatabase(pool, onEventsWritten: { relay.notify() })
    let group = ServiceGroup(configuration: .init(services: [producer, relay], logger: logger))
    @Sendable func pending() async throws -> Int { try await pool.read { try Outbox.pendingCount($0) } }

    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var run = ImportRun()
        let customerStart = ContinuousClock.now
        let customerReport = try await database.importCustomers(from: CSVReader(url: inputs.customersFile))
        while try await pending() > 0 { try await Task.sleep(for: .milliseconds(20)) }
        run.customers = customerReport.created
        run.customerSeconds = (ContinuousClock.now - customerStart) / .seconds(1)

        resetPeakMemory()
        let start = ContinuousClock.now
        let report = try await database.importInvoices(from: CSVReader(url: inputs.invoicesFile))
        run.committedSeconds = (ContinuousClock.now - start) / .seconds(1)
        while try await pending() > 0 { try await Task.sleep(for: .milliseconds(20)) }
        run.seconds = (ContinuousClock.now - start) / .seconds(1)
        run.peakMiB = peakMemoryMiB()
        run.invoices = report.created
        run.rejected = report.rejectedCount
        run.firstRejection = report.rejected.first.map { "\($0)" } ?? ""

        if measureOutstanding {
            run.outstanding = try await outstandingLatency(database, directory: inputs.directory)
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return run
    }
}

/// Outstanding for one customer with 10,000 invoices: median and p95 in milliseconds.
func outstandingLatency(_ database: InvoicingDatabase, directory: URL) async throws -> (median: Double, p95: Double) {
    let bigCustomer = try await database.registerCustomer(CustomerDraft(
        customerNumber: "BIG", legalName: "Big Customer SA", country: try CountryCode("FR"), language: .fr,
        timeZone: try TimeZoneIdentifier("Europe/Paris"), defaultCurrency: .eur, creditLimit: Money(minorUnits: 1_000_000_00, currency: .eur)))
    let bigFile = directory.appendingPathComponent("big.csv")
    try writeFile(bigFile, rows: 10_000, header: "invoiceNumber,customerNumber,issueDate,currency,total") { index in
        "BIG-\(index),BIG,2026-\(1 + index % 11 < 10 ? "0" : "")\(1 + index % 11)-15,EUR,\(50 + index % 500).00"
    }
    _ = try await database.importInvoices(from: CSVReader(url: bigFile))
    let asOf = try CalendarDate(iso8601: "2026-11-29")
    _ = try await database.outstanding(customerId: bigCustomer.id, asOf: asOf) // warm-up
    var latencies: [Double] = []
    for _ in 0..<200 {
        let begin = ContinuousClock.now
        let outstanding = try await database.outstanding(customerId: bigCustomer.id, asOf: asOf)
        latencies.append((ContinuousClock.now - begin) / .milliseconds(1))
        precondition(outstanding.openInvoiceCount == 10_000)
    }
    latencies.sort()
    return (latencies[latencies.count / 2], latencies[latencies.count * 95 / 100])
}

let inputs = BenchInputs(brokers: brokers, directory: directory, customersFile: customersFile, invoicesFile: invoicesFile, logger: logger)
var runs: [(DatabaseOpener.Synchronous, ImportRun)] = []
for (index, mode) in modes.enumerated() {
    FileHandle.standardError.write(Data("relance-invoicing-bench: import with synchronous=\(mode.rawValue)\n".utf8))
    runs.append((mode, try await importRun(inputs, synchronous: mode, measureOutstanding: index == modes.count - 1)))
}

say("")
say("| invoicing scenario | rows | seconds | rows/s | peak memory | target |")
say("|---|---:|---:|---:|---:|---|")
for (mode, run) in runs {
    let sync = "synchronous=\(mode.rawValue)"
    say(String(format: "| import customers (CSV → SQLite → broker ack), %@ | %d | %.2f | %.0f | | |", sync, run.customers, run.customerSeconds, Double(run.customers) / run.customerSeconds))
    say(String(format: "| import invoices, committed (%.0f MiB CSV), %@ | %d | %.2f | %.0f | | |", fileMiB, sync, run.invoices, run.committedSeconds, Double(run.invoices) / run.committedSeconds))
    say(String(format: "| import invoices, every invoice.issued acked, %@ | %d | %.2f | %.0f | %.0f MiB | ≥ 20,000/s, < 300 MiB: %@ |",
                sync, run.invoices, run.seconds, Double(run.invoices) / run.seconds, run.peakMiB,
                Double(run.invoices) / run.seconds >= 20_000 && run.peakMiB < 300 ? "met" : "below target"))
    if run.rejected > 0 { say("rejected rows (\(sync)): \(run.rejected), first: \(run.firstRejection)") }
}
if let (median, p95) = runs.last?.1.outstanding {
    say(String(format: "| outstanding, 1 customer × 10,000 invoices (200 runs), synchronous=%@ | | median %.2f ms | p95 %.2f ms | | < 10 ms median: %@ |",
                lastMode.rawValue, median, p95, median < 10 ? "met" : "below target"))
}
if let normal = runs.first(where: { $0.0 == .normal })?.1, let full = runs.first(where: { $0.0 == .full })?.1 {
    say(String(format: "- FULL vs NORMAL: invoice import committed %.2f× the time, acked %.2f× (%d transactions of 1,000 rows)",
                full.committedSeconds / normal.committedSeconds, full.seconds / normal.seconds, (full.invoices + 999) / 1_000))
}
