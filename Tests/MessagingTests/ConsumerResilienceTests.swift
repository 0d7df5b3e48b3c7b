import Events
import Foundation
import Logging
import RelanceTestSupport
import Synchronization
import Testing

@testable import Messaging

/// Consumer behaviour under failing handlers, rebalances and shutdown, against the real broker.
@Suite(.timeLimit(.minutes(3)))
struct ConsumerResilienceTests {
    let logger = Logger(label: "consumer-resilience-tests")

    private func makeTopic(_ configuration: KafkaConfiguration, partitions: Int = 6) async throws -> String {
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger)
            .createTopics([topic, TopicCatalog.deadLetterName(of: topic)], partitions: partitions)
        return topic
    }

    private struct Processed: Sendable {
        let value: String
        let partition: Int32
        let at: ContinuousClock.Instant
    }

    @Test func aRecordThatAlwaysFailsIsDeadLetteredWhileOtherPartitionsGoOnAndTheMemberStays() async throws {
        struct StillBroken: Error {}
        let broker = try await TestBroker.shared()
        var configuration = broker.configuration()
        // The backoff below (0.5 + 1 + 2 + 4 s) is longer than this: a member that stopped
        // polling while it waits would be dropped from the group.
        configuration.maxPollInterval = .seconds(6)
        let topic = try await makeTopic(configuration)
        let producer = try Producer(configuration: configuration, logger: logger)
        let processed = Collected<Processed>()
        let deadLetters = Collected<(record: ConsumerRecord, at: ContinuousClock.Instant)>()
        let consumer = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [topic], deadLetters: producer,
            retryPolicy: RetryPolicy(initialDelay: .milliseconds(500), maximumDelay: .seconds(4), maxAttempts: 5), logger: logger
        ) { record in
            let value = String(decoding: record.value, as: UTF8.self)
            if value == "bad" { throw StillBroken() }
            await processed.append(Processed(value: value, partition: record.partition, at: .now))
        }
        let dlqReader = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [TopicCatalog.deadLetterName(of: topic)],
            deadLetters: producer, logger: logger
        ) { await deadLetters.append(($0, .now)) }
        let total = 3_000

        try await withRunningServices([producer, consumer, dlqReader]) {
            try #require(await eventually(timeout: .seconds(30)) { consumer.assignedPartitions.count == 6 })
            let generationWhenAssigned = consumer.assignmentGeneration
            var records = [OutgoingRecord(topic: topic, key: Data("customer-0".utf8), value: Data("bad".utf8))]
            records += (1..<total).map { OutgoingRecord(topic: topic, key: Data("customer-\($0 % 60)".utf8), value: Data("\($0)".utf8)) }
            try await producer.send(records)
            #expect(await eventually(timeout: .seconds(40)) {
                let (done, dead) = (await processed.count, await deadLetters.count)
                return done == total - 1 && dead == 1
            })
            #expect(consumer.assignmentGeneration == generationWhenAssigned, "the member was never kicked out of the group")
        }
        let dead = try #require(await deadLetters.items.first)
        #expect(String(decoding: dead.record.value, as: UTF8.self) == "bad")
        #expect(dead.record.header(Consumer.dlqAttemptsHeader) == "5")
        #expect(dead.record.header(Consumer.dlqErrorHeader)?.contains("StillBroken") == true)
        let blockedPartition = try #require(dead.record.header(Consumer.dlqPartitionHeader).flatMap { Int32($0) })
        let items = await processed.items
        #expect(Set(items.map(\.value)).count == total - 1, "each good record processed exactly once")
        let others = items.filter { $0.partition != blockedPartition }
        #expect(!others.isEmpty)
        #expect(others.allSatisfy { $0.at < dead.at }, "the other partitions did not wait for the failing record")
    }

    @Test(arguments: ["range,roundrobin", "cooperative-sticky"])
    func aMemberJoiningMidBatchNeitherLosesNorRepeatsRecords(strategy: String) async throws {
        let broker = try await TestBroker.shared()
        var configuration = broker.configuration()
        configuration.properties["partition.assignment.strategy"] = strategy
        let topic = try await makeTopic(configuration)
        let group = TestNames.unique("g")
        let producer = try Producer(configuration: configuration, logger: logger)
        let seen = Collected<String>()
        let seenBySecond = Collected<String>()
        let first = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) { record in
            try await Task.sleep(for: .milliseconds(2))
            await seen.append(String(decoding: record.value, as: UTF8.self))
        }
        let second = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) { record in
            try await Task.sleep(for: .milliseconds(2))
            let value = String(decoding: record.value, as: UTF8.self)
            await seen.append(value)
            await seenBySecond.append(value)
        }
        // ~2 ms a record, and more records keep coming until the second member has taken some
        // over: however long the group takes to rebalance (eager: one round, cooperative: two),
        // the first member is in the middle of batches when it happens.
        func records(_ range: Range<Int>) -> [OutgoingRecord] {
            range.map { OutgoingRecord(topic: topic, key: Data("customer-\($0 % 97)".utf8), value: Data("\($0)".utf8)) }
        }
        var total = 3_000

        try await withRunningServices([producer, first]) {
            try await producer.send(records(0..<total))
            try #require(await eventually(timeout: .seconds(30)) { await seen.count >= 500 })
            try await withRunningServices([second]) {
                let deadline = ContinuousClock.now + .seconds(60)
                while await seenBySecond.count == 0, ContinuousClock.now < deadline {
                    try await producer.send(records(total..<total + 500))
                    total += 500
                    try await Task.sleep(for: .milliseconds(500))
                }
                let expected = total
                #expect(await eventually(timeout: .seconds(90)) { await seen.count >= expected })
                try await Task.sleep(for: .milliseconds(500)) // would reveal late duplicates
            }
        }
        let values = await seen.items
        #expect(await seenBySecond.count > 0, "the second member took partitions over mid-way")
        #expect(Set(values) == Set((0..<total).map(String.init)), "no record lost")
        #expect(values.count == total, "no record processed twice (\(values.count - total) duplicates)")
    }

    @Test func gracefulShutdownStopsAfterTheCurrentRecordNotTheBatch() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, partitions: 1)
        let group = TestNames.unique("g")
        let producer = try Producer(configuration: configuration, logger: logger)
        let firstRun = Collected<Int>()
        let secondRun = Collected<Int>()
        let total = 400

        try await withRunningServices([producer]) {
            try await producer.send((0..<total).map { OutgoingRecord(topic: topic, key: Data("c".utf8), value: Data("\($0)".utf8)) })
            let consumer = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) { record in
                // Slow once the stop is near, so that the test's count and the stop request
                // (a few scheduler hops apart on a loaded machine) cannot be two records apart
                // by timing alone; a member that ignored the stop would still run ~395 more.
                try? await Task.sleep(for: await firstRun.count >= 5 ? .milliseconds(250) : .milliseconds(20))
                await firstRun.append(Int(String(decoding: record.value, as: UTF8.self)) ?? -1)
            }
            let processedWhenStopped = try await withRunningServices([consumer]) {
                try #require(await eventually { await firstRun.count >= 5 })
                return await firstRun.count
            }
            // Counted, not timed: after the stop request the member may finish the record in
            // hand (and one that raced the request), never the rest of its ~400-record batch.
            let processedAfterStop = await firstRun.count - processedWhenStopped
            #expect(processedAfterStop <= 2, "\(processedAfterStop) records processed after the stop request")
            let restarted = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) { record in
                await secondRun.append(Int(String(decoding: record.value, as: UTF8.self)) ?? -1)
            }
            try await withRunningServices([restarted]) {
                #expect(await eventually { await firstRun.count + secondRun.count >= total })
            }
        }
        // The restarted member starts right after the last record of the first run.
        #expect(await firstRun.items + secondRun.items == Array(0..<total))
    }
}
