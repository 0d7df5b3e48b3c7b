// A small executable for the crash tests: it writes business rows and their outbox events in
// one SQLite transaction, and can be SIGKILLed at any point by the test.
//
//   relance-outbox-probe write DB COUNT                       commit COUNT rows, print "committed", then hang
//   relance-outbox-probe write-and-relay DB COUNT BROKERS PREFIX  commit while relaying; prints "published N"
//   relance-outbox-probe relay DB BROKERS PREFIX              relay until the outbox is empty, then exit 0
// A database another process holds (one instance per store): prints the error on stderr, exits 75.
import Events
import Foundation
import GRDB
import Logging
import Messaging
import ServiceLifecycle
import Storage

struct ProbeEvent: CustomerEvent {
    static let eventType = "relance.probe.happened.v1"
    static let topic = Topic.invoices
    var sequence: Int
    var customerId: String
    var subject: String? { "probe-\(sequence)" }
}

func openDatabase(_ path: String) throws -> DatabasePool {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("probe-v1") { db in
        try db.execute(sql: "CREATE TABLE probe_effect (sequence INTEGER PRIMARY KEY)")
    }
    let url = URL(fileURLWithPath: path)
    return try DatabaseOpener.open(
        directory: url.deletingLastPathComponent(), name: url.deletingPathExtension().lastPathComponent, migrator: migrator)
}

func write(_ pool: DatabasePool, count: Int, relay: OutboxRelay?) async throws {
    let start = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence) + 1, 0) FROM probe_effect") ?? 0 }
    for batchStart in stride(from: start, to: count, by: 50) {
        try await pool.write { db in
            for sequence in batchStart..<min(batchStart + 50, count) {
                try db.execute(sql: "INSERT INTO probe_effect (sequence) VALUES (?)", arguments: [sequence])
                let envelope = try Envelope(
                    ProbeEvent(sequence: sequence, customerId: "customer-\(sequence % 7)"),
                    source: "/relance/probe", time: Date(), id: "probe-\(sequence)")
                try Outbox.enqueue(envelope, on: .invoices, in: db)
            }
        }
        relay?.notify()
    }
}

func runRelay(_ pool: DatabasePool, brokers: String, prefix: String, extra: (@Sendable (OutboxRelay) async throws -> Void)) async throws {
    var logger = Logger(label: "relance.probe")
    logger.logLevel = .warning
    let configuration = KafkaConfiguration(bootstrapServers: brokers, topics: TopicCatalog(prefix: prefix), deliveryTimeout: .seconds(5))
    let producer = try Producer(configuration: configuration, logger: logger)
    let relay = OutboxRelay(writer: pool, producer: producer, topics: configuration.topics, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [producer, relay], logger: logger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        try await extra(relay)
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// Unbuffered, so the test reads each line as soon as it is written.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: relance-outbox-probe write|write-and-relay|relay DB ...\n".utf8))
    exit(64)
}
let pool: DatabasePool
do {
    pool = try openDatabase(arguments[2])
} catch {
    FileHandle.standardError.write(Data("relance-outbox-probe: \(error)\n".utf8))
    exit(75) // EX_TEMPFAIL
}
switch arguments[1] {
case "write":
    try await write(pool, count: Int(arguments[3]) ?? 0, relay: nil)
    say("committed")
    while true { try await Task.sleep(for: .seconds(60)) } // the test kills us here
case "write-and-relay":
    let count = Int(arguments[3]) ?? 0
    try await runRelay(pool, brokers: arguments[4], prefix: arguments[5]) { relay in
        async let reporting: Void = {
            while true {
                say("published \(relay.publishedSinceStart)")
                try await Task.sleep(for: .milliseconds(20))
            }
        }()
        try await write(pool, count: count, relay: relay)
        try await reporting
    }
case "relay":
    try await runRelay(pool, brokers: arguments[3], prefix: arguments[4]) { _ in
        while try await pool.read({ try Outbox.pendingCount($0) }) > 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
    say("drained")
default:
    FileHandle.standardError.write(Data("unknown mode \(arguments[1])\n".utf8))
    exit(64)
}
