import Events
import Foundation
import Logging
import Messaging
import RelanceTestSupport
import Testing

/// Against the real broker: every test has its own topics and groups.
@Suite(.timeLimit(.minutes(2)))
struct MessagingIntegrationTests {
    let logger = Logger(label: "messaging-tests")

    private func makeTopic(_ configuration: KafkaConfiguration, partitions: Int = 6) async throws -> String {
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger)
            .createTopics([topic, TopicCatalog.deadLetterName(of: topic)], partitions: partitions)
        return topic
    }

    @Test func recordRoundTripsWithKeyAndHeaders() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration)
        let producer = try Producer(configuration: configuration, logger: logger)
        let received = Collected<ConsumerRecord>()
        let consumer = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [topic],
            deadLetters: producer, logger: logger
        ) { record in await received.append(record) }

        try await withRunningServices([producer, consumer]) {
            try await producer.send(OutgoingRecord(
                topic: topic, key: Data("customer-42".utf8), value: Data("{\"a\":1}".utf8),
                headers: [KafkaHeader(name: "ce_type", string: "relance.test.v1"), KafkaHeader(name: "x-bin", value: Data([0, 255]))]))
            #expect(await eventually { await received.count == 1 })
        }
        let record = try #require(await received.items.first)
        #expect(record.keyString == "customer-42")
        #expect(record.value == Data("{\"a\":1}".utf8))
        #expect(record.header("ce_type") == "relance.test.v1")
        #expect(record.headers.first { $0.name == "x-bin" }?.value == Data([0, 255]))
    }

    @Test func envelopeSurvivesTheCloudEventsBinding() async throws {
        let envelope = Envelope(
            type: "relance.test.happened.v1", source: "/relance/tests", time: Date(timeIntervalSince1970: 1_700_000_000.5),
            subject: "inv-1", key: "cust-1", data: Data("{\"x\":2}".utf8))
        let outgoing = CloudEvents.record(for: envelope, topic: "t")
        let consumed = ConsumerRecord(topic: "t", partition: 0, offset: 7, key: outgoing.key, value: outgoing.value, headers: outgoing.headers)
        #expect(try CloudEvents.envelope(from: consumed) == envelope)

        let missingType = ConsumerRecord(topic: "t", partition: 0, offset: 8, key: outgoing.key, value: outgoing.value,
                                         headers: outgoing.headers.filter { $0.name != "ce_type" })
        #expect(throws: InvalidCloudEvent.self) { try CloudEvents.envelope(from: missingType) }
    }

    @Test func twoConsumersInOneGroupSplitPartitionsAndSeeEveryRecordOnce() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, partitions: 6)
        let group = TestNames.unique("g")
        let producer = try Producer(configuration: configuration, logger: logger)
        let seenByFirst = Collected<String>()
        let seenBySecond = Collected<String>()
        let first = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) {
            await seenByFirst.append(String(decoding: $0.value, as: UTF8.self))
        }
        let second = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) {
            await seenBySecond.append(String(decoding: $0.value, as: UTF8.self))
        }
        let total = 600
        try await withRunningServices([producer, first, second]) {
            let split = await eventually(timeout: .seconds(40)) {
                !first.assignedPartitions.isEmpty && !second.assignedPartitions.isEmpty
                    && first.assignedPartitions.count + second.assignedPartitions.count == 6
            }
            try #require(split, "both members should own partitions")
            #expect(first.assignedPartitions.isDisjoint(with: second.assignedPartitions))
            let records = (0..<total).map { index in
                OutgoingRecord(topic: topic, key: Data("customer-\(index % 50)".utf8), value: Data("\(index)".utf8))
            }
            try await producer.send(records)
            #expect(await eventually {
                let (a, b) = (await seenByFirst.count, await seenBySecond.count)
                return a + b >= total
            })
            try await Task.sleep(for: .milliseconds(300)) // would reveal late duplicates
        }
        let all = await seenByFirst.items + seenBySecond.items
        #expect(all.count == total)
        #expect(Set(all) == Set((0..<total).map(String.init)))
        #expect(await seenByFirst.count > 0)
        #expect(await seenBySecond.count > 0)
    }

    @Test func restartedConsumerResumesAfterItsLastCommit() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, partitions: 2)
        let group = TestNames.unique("g")
        let producer = try Producer(configuration: configuration, logger: logger)
        let firstRun = Collected<String>()
        let secondRun = Collected<String>()

        try await withRunningServices([producer]) {
            try await producer.send((0..<10).map { OutgoingRecord(topic: topic, key: Data("k\($0 % 3)".utf8), value: Data("old-\($0)".utf8)) })
            let consumer = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) {
                await firstRun.append(String(decoding: $0.value, as: UTF8.self))
            }
            try await withRunningServices([consumer]) {
                #expect(await eventually { await firstRun.count == 10 })
            }
            try await producer.send((0..<10).map { OutgoingRecord(topic: topic, key: Data("k\($0 % 3)".utf8), value: Data("new-\($0)".utf8)) })
            let restarted = try Consumer(configuration: configuration, groupId: group, topics: [topic], deadLetters: producer, logger: logger) {
                await secondRun.append(String(decoding: $0.value, as: UTF8.self))
            }
            try await withRunningServices([restarted]) {
                #expect(await eventually { await secondRun.count >= 10 })
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        #expect(Set(await secondRun.items) == Set((0..<10).map { "new-\($0)" }))
        #expect(await secondRun.count == 10)
    }

    @Test func poisonRecordGoesToTheDeadLetterQueueAndTheNextIsProcessed() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, partitions: 1)
        let producer = try Producer(configuration: configuration, logger: logger)
        let processed = Collected<String>()
        let deadLetters = Collected<ConsumerRecord>()
        let consumer = try Consumer(configuration: configuration, groupId: TestNames.unique("g"), topics: [topic], deadLetters: producer, logger: logger) { record in
            let text = String(decoding: record.value, as: UTF8.self)
            if text == "poison" { throw InvalidRecord("value 'poison' is not a valid event") }
            await processed.append(text)
        }
        let dlqReader = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [TopicCatalog.deadLetterName(of: topic)],
            deadLetters: producer, logger: logger
        ) { await deadLetters.append($0) }

        try await withRunningServices([producer, consumer, dlqReader]) {
            try await producer.send(["before", "poison", "after"].map { OutgoingRecord(topic: topic, key: Data("c1".utf8), value: Data($0.utf8)) })
            #expect(await eventually {
                let (done, dead) = (await processed.count, await deadLetters.count)
                return done == 2 && dead == 1
            })
        }
        #expect(await processed.items == ["before", "after"])
        let dead = try #require(await deadLetters.items.first)
        #expect(String(decoding: dead.value, as: UTF8.self) == "poison")
        #expect(dead.header(Consumer.dlqErrorHeader)?.contains("not a valid event") == true)
        #expect(dead.header(Consumer.dlqTopicHeader) == topic)
        #expect(dead.header(Consumer.dlqPartitionHeader) == "0")
        #expect(dead.header(Consumer.dlqOffsetHeader) == "1")
        #expect(dead.keyString == "c1")
    }

    @Test func transientFailureIsRetriedInOrderWithoutSkipping() async throws {
        struct DatabaseBusy: Error {}
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, partitions: 1)
        let producer = try Producer(configuration: configuration, logger: logger)
        let attempts = Collected<String>()
        let processed = Collected<String>()
        let consumer = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [topic], deadLetters: producer,
            retryPolicy: RetryPolicy(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(100)), logger: logger
        ) { record in
            let text = String(decoding: record.value, as: UTF8.self)
            await attempts.append(text)
            if text == "flaky", await attempts.items.filter({ $0 == "flaky" }).count < 3 { throw DatabaseBusy() }
            await processed.append(text)
        }
        try await withRunningServices([producer, consumer]) {
            try await producer.send(["one", "flaky", "three"].map { OutgoingRecord(topic: topic, key: Data("c".utf8), value: Data($0.utf8)) })
            #expect(await eventually { await processed.count == 3 })
        }
        #expect(await processed.items == ["one", "flaky", "three"])
        #expect(await attempts.items == ["one", "flaky", "flaky", "flaky", "three"])
    }

    @Test func retryDelaysGrowAndAreCapped() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        #expect(policy.delay(afterAttempt: 1) == .milliseconds(100))
        #expect(policy.delay(afterAttempt: 2) == .milliseconds(200))
        #expect(policy.delay(afterAttempt: 4) == .milliseconds(800))
        #expect(policy.delay(afterAttempt: 5) == .seconds(1))
        #expect(policy.delay(afterAttempt: 50) == .seconds(1))
    }
}
