import Events
import Foundation
import GRDB
import Logging
import Messaging
import RelanceTestSupport
import Storage
import Testing

struct SampleEvent: CustomerEvent {
    static let eventType = "relance.sample.happened.v1"
    static let topic = Topic.invoices
    var customerId: String
    var number: Int
    var subject: String? { "sample-\(number)" }
}

private func sampleMigrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("sample-v1") { db in
        try db.execute(sql: "CREATE TABLE effect (id INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL)")
    }
    return migrator
}

@Suite struct OutboxAndInboxTests {
    @Test func enqueuedEventsRollBackWithTheirTransaction() throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO effect (note) VALUES ('x')")
                try Outbox.enqueue(SampleEvent(customerId: "c1", number: 1), source: "/t", time: Date(), in: db)
                throw Boom()
            }
        }
        #expect(try database.read { try Outbox.pendingCount($0) } == 0)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM effect") } == 0)
        _ = try database.write { db in
            try Outbox.enqueue(SampleEvent(customerId: "c1", number: 2), source: "/t", time: Date(), in: db)
        }
        #expect(try database.read { try Outbox.pendingCount($0) } == 1)
    }

    @Test func redeliveredEventHasNoSecondEffect() async throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let envelope = try Envelope(SampleEvent(customerId: "c1", number: 1), source: "/t", time: Date())
        let first = try await Inbox.process(envelope, in: database) { db in
            try db.execute(sql: "INSERT INTO effect (note) VALUES ('applied')")
            return "done"
        }
        let second = try await Inbox.process(envelope, in: database) { db in
            try db.execute(sql: "INSERT INTO effect (note) VALUES ('applied')")
            return "done"
        }
        #expect(first == "done")
        #expect(second == nil)
        #expect(try await database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM effect") } == 1)
    }

    @Test func failedEffectLeavesTheEventUnprocessed() async throws {
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let envelope = try Envelope(SampleEvent(customerId: "c1", number: 1), source: "/t", time: Date())
        struct Busy: Error {}
        await #expect(throws: Busy.self) {
            _ = try await Inbox.process(envelope, in: database) { _ in throw Busy() }
        }
        #expect(try await database.read { try Inbox.contains(source: envelope.source, id: envelope.id, $0) } == false)
    }

    @Test func fileDatabaseUsesWriteAheadLogging() throws {
        let directory = try TestPaths.temporaryDirectory()
        let pool = try DatabaseOpener.open(directory: directory, name: "sample", migrator: sampleMigrator())
        #expect(try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sample.sqlite").path))
    }
}

@Suite(.timeLimit(.minutes(3)))
struct OutboxRelayIntegrationTests {
    let logger = Logger(label: "storage-tests")

    private func enqueue(_ numbers: Range<Int>, into writer: any DatabaseWriter) async throws {
        try await writer.write { db in
            for number in numbers {
                try Outbox.enqueue(SampleEvent(customerId: "customer-\(number % 3)", number: number), source: "/t", time: Date(), in: db)
            }
        }
    }

    @Test func relayPublishesInCommitOrderPerKeyAndMarksRowsPublished() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic])
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let producer = try Producer(configuration: configuration, logger: logger)
        let relay = OutboxRelay(writer: database, producer: producer, topics: configuration.topics, logger: logger)
        try await withRunningServices([producer, relay]) {
            try await enqueue(0..<300, into: database)
            relay.notify()
            #expect(await eventually { (try? await database.read { try Outbox.pendingCount($0) }) == 0 })
        }
        let records = try await readTopic(topic, configuration: configuration, atLeast: 300)
        #expect(records.count == 300)
        for customer in 0..<3 {
            let numbers = try records.filter { $0.keyString == "customer-\(customer)" }
                .map { try CloudEvents.envelope(from: $0).decode(SampleEvent.self).number }
            #expect(numbers == Array(stride(from: customer, to: 300, by: 3)))
        }
        let first = try #require(records.first)
        #expect(first.header(CloudEvents.typeHeader) == SampleEvent.eventType)
    }

    @Test func rowsWrittenWhileTheBrokerIsDownArePublishedWhenItReturns() async throws {
        let broker = try await TestBroker.start()
        defer { broker.stop() }
        var configuration = broker.configuration()
        configuration.deliveryTimeout = .seconds(2)

        let topic = configuration.topics.name(of: .invoices)
        let admin = try KafkaAdmin(configuration: configuration, logger: logger)
        try await admin.createTopics([topic])
        let database = try DatabaseOpener.inMemory(migrator: sampleMigrator())
        let producer = try Producer(configuration: configuration, logger: logger)
        let relay = OutboxRelay(
            writer: database, producer: producer, topics: configuration.topics,
            configuration: .init(retryPolicy: RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))), logger: logger)
        try await withRunningServices([producer, relay]) {
            try await enqueue(0..<10, into: database)
            #expect(await eventually { (try? await database.read { try Outbox.pendingCount($0) }) == 0 })
            broker.stop()
            try await enqueue(10..<50, into: database)
            relay.notify()
            try await Task.sleep(for: .seconds(3))
            #expect(try await database.read { try Outbox.pendingCount($0) } == 40, "nothing is marked while the broker is down")
            try await broker.restart()
            try await admin.createTopics([topic]) // Tansu keeps topics in memory
            #expect(await eventually(timeout: .seconds(40)) { (try? await database.read { try Outbox.pendingCount($0) }) == 0 })
        }
        let records = try await readTopic(topic, configuration: configuration, atLeast: 40)
        let numbers = Set(try records.map { try CloudEvents.envelope(from: $0).decode(SampleEvent.self).number })
        #expect(numbers.isSuperset(of: Set(10..<50)))
    }

    @Test func processKilledBetweenCommitAndPublishLosesNothing() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic])
        let databasePath = try TestPaths.temporaryDirectory().appendingPathComponent("probe.sqlite").path
        let probe = TestPaths.executable("relance-outbox-probe")

        let writer = try ChildProcess(probe, ["write", databasePath, "200"])
        #expect(await writer.waitForOutput { $0.contains("committed") })
        writer.signal(SIGKILL)
        _ = await writer.waitForExit()

        let relay = try ChildProcess(probe, ["relay", databasePath, broker.bootstrapServers, configuration.topics.prefix])
        #expect(await relay.waitForExit(timeout: .seconds(60)) == 0)
        let records = try await readTopic(topic, configuration: configuration, atLeast: 200)
        #expect(Set(records.compactMap { $0.header(CloudEvents.idHeader) }) == Set((0..<200).map { "probe-\($0)" }))
    }

    @Test func processKilledWhilePublishingLosesNothing() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic])
        let databasePath = try TestPaths.temporaryDirectory().appendingPathComponent("probe.sqlite").path
        let probe = TestPaths.executable("relance-outbox-probe")
        let total = 3_000

        let first = try ChildProcess(probe, ["write-and-relay", databasePath, "\(total)", broker.bootstrapServers, configuration.topics.prefix])
        let progressed = await first.waitForOutput(timeout: .seconds(60)) { output in
            output.split(separator: "\n").contains { line in
                line.hasPrefix("published ") && (Int(line.dropFirst(10)) ?? 0) > 100
            }
        }
        #expect(progressed)
        first.signal(SIGKILL)
        _ = await first.waitForExit()

        // Finish the writes the killed process did not get to, then drain what is pending.
        let finisher = try ChildProcess(probe, ["write", databasePath, "\(total)"])
        #expect(await finisher.waitForOutput { $0.contains("committed") })
        finisher.signal(SIGKILL)
        _ = await finisher.waitForExit()
        let drain = try ChildProcess(probe, ["relay", databasePath, broker.bootstrapServers, configuration.topics.prefix])
        #expect(await drain.waitForExit(timeout: .seconds(60)) == 0)

        let records = try await readTopic(topic, configuration: configuration, atLeast: total)
        let ids = Set(records.compactMap { $0.header(CloudEvents.idHeader) })
        #expect(ids == Set((0..<total).map { "probe-\($0)" }))
    }
}
