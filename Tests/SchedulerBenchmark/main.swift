// Scenario-scheduler benchmark (issue 9, "Benchmark"; run by `make bench` through
// Deploy/local/run-bench.sh): 1,000,000 open invoices of 50,000 customers under dunning, on a
// file-backed store opened as the service opens it (DatabaseOpener: WAL, synchronous=FULL).
//   1. Ingest: the customers, then the invoices, through the projection
//      (`SchedulerDatabase.apply`): a sample one event per transaction (what the consumer does
//      today), the rest in batches of one transaction each (`apply([Envelope])`).
//   2. Busy tick: every invoice but one in ten has its courtesy reminder due at the same
//      instant; one `runDueActions()`: invoices processed and commands written per second.
//   3. Catch-up: the scheduler stopped for 30 days, then one `runDueActions()`: total time,
//      commands written, and from the outbox the most `notification.requested` any customer
//      got per channel (target: 1).
// Targets: >= 50,000 due actions/s, memory bounded, catch-up in < 60 s, <= 1 message per
// customer per channel. The tables say whether each is met; the exit code does not.
// Usage: relance-scheduler-bench [--customers N] [--invoices N] [--batch N] [--sample N]
//        [--tick-batch N] [--synchronous full|normal] [--keep]
import Events
import Foundation
import GRDB
import Money
import ScenarioScheduler
import Storage

func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func progress(_ line: String) {
    FileHandle.standardError.write(Data(("  " + line + "\n").utf8))
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

/// CPU time (user + system) of this process, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// Wall and CPU time of what `body` does, summed over calls.
struct Stopwatch {
    var wall = 0.0
    var cpu = 0.0

    mutating func time<T>(_ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now, cpuStart = cpuSeconds()
        defer {
            wall += (ContinuousClock.now - start) / .seconds(1)
            cpu += cpuSeconds() - cpuStart
        }
        return try await body()
    }
}

func grouped(_ value: Double) -> String {
    let digits = String(Int(value.rounded()))
    var result = ""
    for (index, character) in digits.reversed().enumerated() {
        if index > 0 && index.isMultiple(of: 3) && character != "-" { result.append(",") }
        result.append(character)
    }
    return String(result.reversed())
}

func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

// MARK: Options

struct Options {
    var customers = 50_000
    var invoices = 1_000_000
    /// Events per batched transaction.
    var batch = 5_000
    /// Events of each kind applied one per transaction (at the end of their phase, store full).
    var sample = 2_000
    /// Customers per tick transaction; nil: the policy's default.
    var tickBatch: Int?
    var synchronous = DatabaseOpener.Synchronous.full
    var keep = false

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 1
        func value() -> String {
            index += 1
            guard index < arguments.count else { usage("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        func number() -> Int {
            let text = value()
            guard let number = Int(text.replacingOccurrences(of: "_", with: "")), number >= 0 else { usage("not a number: \(text)") }
            return number
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--customers": options.customers = max(1, number())
            case "--invoices": options.invoices = number()
            case "--batch": options.batch = max(1, number())
            case "--sample": options.sample = number()
            case "--tick-batch": options.tickBatch = max(1, number())
            case "--synchronous":
                let text = value()
                guard let mode = DatabaseOpener.Synchronous(rawValue: text.uppercased()) else { usage("--synchronous: full or normal") }
                options.synchronous = mode
            case "--keep": options.keep = true
            case "--help", "-h": usage(nil)
            default: usage("unknown argument \(arguments[index])")
            }
            index += 1
        }
        return options
    }
}

func usage(_ problem: String?) -> Never {
    if let problem { say("relance-scheduler-bench: \(problem)") }
    say("""
        usage: relance-scheduler-bench [--customers N] [--invoices N] [--batch N] [--sample N] [--tick-batch N] [--synchronous full|normal] [--keep]
          --customers   customers (default 50,000)
          --invoices    open invoices, spread evenly over the customers (default 1,000,000)
          --batch       events per transaction of the batched ingest (default 5,000)
          --sample      customers and invoices also applied one event per transaction (default 2,000)
          --tick-batch  customers per tick transaction (default: the policy's, as the service runs)
          --synchronous SQLite synchronous mode of the store (default full, as services run)
          --keep        keep the store directory (its path is printed)
        quick run: --customers 5000 --invoices 100000
        """)
    exit(problem == nil ? 0 : 64)
}

// MARK: The portfolio

/// A deterministic portfolio: customer `c` is strategic (gentle scenario) when c % 5 == 1,
/// high risk (firm) when c % 5 == 2, else standard-b2b. Invoice `i` belongs to customer
/// i % customers (the ledger issues them interleaved); the customer's j-th invoice is due
/// on `firstDue` + 2 × (j % 5) days, except every tenth, due 20 days later (issued later: not
/// due at the busy tick, a different step at the catch-up).
struct Portfolio {
    let customers: Int
    let invoices: Int
    static let source = "/relance/bench"
    static let paris = TimeZone(identifier: "Europe/Paris") ?? .current
    /// Saturday 20 June 2026.
    static let firstDue = CalendarDate(date: Date(timeIntervalSince1970: 1_781_956_800), in: paris)

    func customerId(_ index: Int) -> String { "c-\(index)" }

    func customerRegistered(_ index: Int, at time: Date) throws -> Envelope {
        let id = customerId(index)
        let contacts = [
            ContactSnapshot(contactId: "\(id)-ap", name: "Comptabilité \(index)", email: "compta-\(index)@client.test", phone: "+33100000000",
                            role: "accounting", preferredChannel: "email", isDunningRecipient: true),
            ContactSnapshot(contactId: "\(id)-dg", name: "Direction \(index)", email: "direction-\(index)@client.test", phone: nil,
                            role: "management", preferredChannel: "email", isDunningRecipient: false),
        ]
        let snapshot = CustomerSnapshot(
            customerId: id, customerNumber: "N\(index)", legalName: "Client \(index) SAS", country: "FR", language: "fr",
            timeZone: "Europe/Paris", defaultCurrency: .eur, paymentTerms: "net:30", creditLimit: nil, segment: nil,
            riskCategory: index % 5 == 2 ? "high" : nil, strategic: index % 5 == 1, tags: [], contacts: contacts,
            billingAddress: PostalAddressSnapshot(lines: ["\(index) rue des Lilas"], postalCode: "75011", city: "Paris", country: "FR"))
        return try Envelope(CustomerRegistered(customer: snapshot, customerVersion: 1), source: Self.source, time: time)
    }

    func dueDate(_ invoice: Int) -> CalendarDate {
        let nth = invoice / customers
        return nth % 10 == 9 ? Self.firstDue.adding(days: 20) : Self.firstDue.adding(days: 2 * (nth % 5))
    }

    func invoiceIssued(_ index: Int, at time: Date) throws -> Envelope {
        let customer = index % customers
        let due = dueDate(index)
        let issued = InvoiceIssued(
            customerId: customerId(customer), customerNumber: "N\(customer)", invoiceId: "inv-\(index)", number: "F\(index)",
            paymentReference: "RF\(index)", issueDate: due.adding(days: -30), dueDate: due,
            totalAmount: Money(minorUnits: Int64(150_00 + (index * 7_919) % 485_000), currency: .eur), netAmount: nil, vatAmount: nil,
            orderReference: "PO-\(index % 1_000)", dunningStartsOn: nil)
        return try Envelope(issued, source: Self.source, time: time)
    }

    /// What the payment-matching service publishes after each import; keeps the freshness
    /// guard (3 business days in production) open. The scheduler reads only its time.
    static func statementImported(at time: Date) -> Envelope {
        Envelope(type: StatementImported.eventType, source: source, time: time, key: "bench", data: Data("{}".utf8))
    }
}

// MARK: Phases

struct IngestFigures {
    var events = 0
    var watch = Stopwatch()
    var singleEvents = 0
    var single = Stopwatch()
    var generation = 0.0
    var peakMiB = 0.0
}

/// Applies `count` events made by `make`, the last `sample` one per transaction, the others
/// in batches; generating the events is timed apart.
func ingest(_ database: SchedulerDatabase, count: Int, options: Options, label: String,
            make: (Int) throws -> Envelope) async throws -> IngestFigures {
    var figures = IngestFigures()
    let singleFrom = max(0, count - options.sample)
    var index = 0
    var nextReport = count / 10
    while index < singleFrom {
        let end = min(singleFrom, index + options.batch)
        let start = ContinuousClock.now
        let envelopes = try (index..<end).map(make)
        figures.generation += (ContinuousClock.now - start) / .seconds(1)
        let results = try await figures.watch.time { try await database.apply(envelopes) }
        if let failure = results.first(where: { if case .failure = $0 { true } else { false } }) {
            throw BenchError("\(label): an event was refused: \(failure)")
        }
        figures.events += envelopes.count
        index = end
        if index >= nextReport, nextReport > 0 {
            progress("\(label): \(grouped(Double(index))) of \(grouped(Double(count))), \(format(figures.watch.wall, 1)) s")
            nextReport += count / 10
        }
    }
    while index < count {
        let start = ContinuousClock.now
        let envelope = try make(index)
        figures.generation += (ContinuousClock.now - start) / .seconds(1)
        let effect = try await figures.single.time { try await database.apply(envelope) }
        guard effect == .applied else { throw BenchError("\(label): event \(index) was \(effect)") }
        figures.singleEvents += 1
        index += 1
    }
    figures.peakMiB = peakMemoryMiB()
    return figures
}

struct TickFigures {
    var report = TickReport()
    var dueBefore = 0
    var watch = Stopwatch()
    var peakMiB = 0.0
    var commands = 0
    var maxPerCustomerChannel = 0
    var customersMessaged = 0
    var messagesByChannel: [String: Int] = [:]
    var clockMovedSeconds = 0.0
}

/// One `runDueActions()` at the clock's instant, after a statement import; what it wrote read
/// back from the outbox.
func tick(_ database: SchedulerDatabase, pool: DatabasePool) async throws -> TickFigures {
    var figures = TickFigures()
    let now = database.clock.now()
    let seconds = Int64(now.timeIntervalSince1970)
    try await database.apply(Portfolio.statementImported(at: now))
    let (dueBefore, before) = try await pool.read { db in
        (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM invoice WHERE next_action_at <= ?", arguments: [seconds]) ?? 0,
         try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM relance_outbox") ?? 0)
    }
    figures.dueBefore = dueBefore
    resetPeakMemory()
    figures.report = try await figures.watch.time { try await database.runDueActions() }
    figures.peakMiB = peakMemoryMiB()
    let (commands, rows) = try pool.read { db in
        (try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM relance_outbox WHERE sequence > ? AND type IN (?, ?, ?)
            """, arguments: [before, NotificationRequested.eventType, DunningTaskCreated.eventType, CollectionCaseOpened.eventType]) ?? 0,
         try Row.fetchAll(db, sql: """
            SELECT json_extract(data, '$.customerId') AS customer, json_extract(data, '$.channel') AS channel, COUNT(*) AS n
            FROM relance_outbox WHERE sequence > ? AND type = ? GROUP BY customer, channel
            """, arguments: [before, NotificationRequested.eventType]))
    }
    figures.commands = commands
    var customers = Set<String>()
    for row in rows {
        let count: Int = row["n"]
        figures.maxPerCustomerChannel = max(figures.maxPerCustomerChannel, count)
        figures.messagesByChannel[row["channel"] ?? "?", default: 0] += count
        customers.insert(row["customer"] ?? "")
    }
    figures.customersMessaged = customers.count
    return figures
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: Run

let options = Options.parse(CommandLine.arguments)
let portfolio = Portfolio(customers: options.customers, invoices: options.invoices)
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relance-scheduler-bench-\(UUID().uuidString.prefix(8))")
defer { if !options.keep { try? FileManager.default.removeItem(at: directory) } }

// The clock starts on Monday 1 June 2026, 08:00 in Paris: nothing is due while ingesting.
let start = Date(timeIntervalSince1970: 1_780_293_600)
let clock = SchedulerClock(adjustable: true) { start }
let pool = try DatabaseOpener.open(directory: directory, name: "scenario-scheduler", migrator: SchedulerDatabase.migrator,
                                   synchronous: options.synchronous)
// Production settings: the default policy (cap 2 per 7 days, 2 days' cooldown, freshness
// guard 3 business days, 200 customers per transaction) and calendar.
var policy = DunningPolicy()
if let tickBatch = options.tickBatch { policy.batchCustomers = tickBatch }
let database = try SchedulerDatabase(pool, source: "/relance/scenario-scheduler", clock: clock, settings: .init(policy: policy))
progress("store \(directory.path), synchronous=\(options.synchronous.rawValue), \(grouped(Double(options.customers))) customers, \(grouped(Double(options.invoices))) invoices")

resetPeakMemory()
let customers = try await ingest(database, count: options.customers, options: options, label: "customers") { index in
    try portfolio.customerRegistered(index, at: clock.now())
}
let invoices = try await ingest(database, count: options.invoices, options: options, label: "invoices") { index in
    try portfolio.invoiceIssued(index, at: clock.now())
}
try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
func fileMiB(_ name: String) -> Double {
    Double((try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0) / 1_048_576
}
let storeMiB = fileMiB("scenario-scheduler.sqlite")

// Busy tick: the courtesy reminder (due date - 5 days) of the latest due date among the
// first nine invoices in ten, at its first sending instant: every earlier one is due too.
let busyInstant = DunningClock.standard.firstSendInstant(onOrAfter: Portfolio.firstDue.adding(days: 8 - 5), in: Portfolio.paris)
try clock.advance(by: busyInstant.timeIntervalSince(clock.now()))
progress("busy tick at \(busyInstant)")
let busy = try await tick(database, pool: pool)

// Catch-up: stopped for 30 days. Should the instant fall outside the sending window, the
// clock moves on to its next opening (said in the notes).
let stoppedUntil = clock.now().addingTimeInterval(30 * 86_400)
let catchUpInstant = DunningClock.standard.earliestAllowedInstant(atOrAfter: stoppedUntil, in: Portfolio.paris)
try clock.advance(by: catchUpInstant.timeIntervalSince(clock.now()))
progress("catch-up tick at \(catchUpInstant)")
var catchUp = try await tick(database, pool: pool)
catchUp.clockMovedSeconds = catchUpInstant.timeIntervalSince(stoppedUntil)
let storeAfterMiB = fileMiB("scenario-scheduler.sqlite") + fileMiB("scenario-scheduler.sqlite-wal")

// MARK: Report

func rate(_ count: Int, _ seconds: Double) -> String { seconds > 0 ? grouped(Double(count) / seconds) : "—" }
func verdict(_ ok: Bool, _ target: String) -> String { "\(target): \(ok ? "ok" : "missed")" }

say("")
say("relance-scheduler-bench: \(grouped(Double(options.customers))) customers, \(grouped(Double(options.invoices))) invoices, "
    + "store on disk, WAL, synchronous=\(options.synchronous.rawValue), \(options.batch) events per batched transaction, "
    + "\(policy.batchCustomers) customers per tick transaction")
say("")
say("| scheduler ingest | events | wall s | CPU s | events/s | peak RSS | notes |")
say("|---|---:|---:|---:|---:|---:|---|")
func ingestRows(_ name: String, _ figures: IngestFigures) {
    if figures.events > 0 {
        say("| \(name), batched (1 transaction per \(options.batch)) | \(grouped(Double(figures.events))) | \(format(figures.watch.wall, 2)) | "
            + "\(format(figures.watch.cpu, 2)) | \(rate(figures.events, figures.watch.wall)) | \(format(figures.peakMiB, 0)) MiB | |")
    }
    if figures.singleEvents > 0 {
        let minutes = 1_000_000 / (Double(figures.singleEvents) / figures.single.wall) / 60
        say("| \(name), 1 transaction per event (last \(grouped(Double(figures.singleEvents)))) | \(grouped(Double(figures.singleEvents))) | "
            + "\(format(figures.single.wall, 2)) | \(format(figures.single.cpu, 2)) | \(rate(figures.singleEvents, figures.single.wall)) | | "
            + (name == "invoices" ? "1,000,000 at this rate: \(format(minutes, 0)) min" : "") + " |")
    }
}
ingestRows("customers", customers)
ingestRows("invoices", invoices)
say("")
say("- event generation (JSON encoding, not timed above): \(format(customers.generation + invoices.generation, 1)) s")
say("- store after ingest: \(format(storeMiB, 0)) MiB (after a WAL checkpoint); after both ticks: \(format(storeAfterMiB, 0)) MiB with its WAL")

say("")
say("| scheduler tick | due invoices | customers | invoices processed | commands | deferred | wall s | CPU s | invoices/s | commands/s | peak RSS | targets |")
say("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
func tickRow(_ name: String, _ figures: TickFigures, targets: String) {
    let report = figures.report
    say("| \(name) | \(grouped(Double(figures.dueBefore))) | \(grouped(Double(report.customers))) | \(grouped(Double(report.invoices))) | "
        + "\(grouped(Double(figures.commands))) | \(grouped(Double(report.deferred))) | \(format(figures.watch.wall, 2)) | \(format(figures.watch.cpu, 2)) | "
        + "\(rate(report.invoices, figures.watch.wall)) | \(rate(figures.commands, figures.watch.wall)) | \(format(figures.peakMiB, 0)) MiB | \(targets) |")
}
let busyRate = busy.watch.wall > 0 ? Double(busy.report.invoices) / busy.watch.wall : 0
tickRow("busy tick (courtesy reminders due at once)", busy, targets: verdict(busyRate >= 50_000, "≥ 50,000 invoices/s"))
tickRow("catch-up after 30 days stopped", catchUp, targets: verdict(catchUp.watch.wall < 60, "< 60 s") + ", "
    + verdict(catchUp.maxPerCustomerChannel <= 1, "≤ 1 message per customer per channel"))
say("")
func channels(_ figures: TickFigures) -> String {
    figures.messagesByChannel.sorted { $0.key < $1.key }.map { "\($0.key) \(grouped(Double($0.value)))" }.joined(separator: ", ")
}
say("- busy tick: notification.requested \(busy.report.notifications) (\(channels(busy))) to \(grouped(Double(busy.customersMessaged))) customers, "
    + "tasks \(busy.report.tasks), cases \(busy.report.cases); most messages to one customer on one channel: \(busy.maxPerCustomerChannel)")
say("- catch-up: notification.requested \(catchUp.report.notifications) (\(channels(catchUp))) to \(grouped(Double(catchUp.customersMessaged))) customers, "
    + "tasks \(catchUp.report.tasks), cases \(catchUp.report.cases); most messages to one customer on one channel: \(catchUp.maxPerCustomerChannel)"
    + (catchUp.clockMovedSeconds > 0 ? "; the 30 days ended outside the sending window: clock moved \(format(catchUp.clockMovedSeconds / 3600, 1)) h more to its opening" : ""))
say("- commands: notification.requested, dunning.task-created and collection-case.opened rows written to the outbox by the tick "
    + "(each with its dunning.step-executed); peak RSS is VmHWM reset before each tick")
if options.keep { say("- store kept at \(directory.path)") }
