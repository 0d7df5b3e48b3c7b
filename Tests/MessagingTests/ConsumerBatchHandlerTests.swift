import Events
import Foundation
import Logging
import RelanceTestSupport
import Synchronization
import Testing

@testable import Messaging

/// A consumer with a batch handler: each partition's records of a poll as one run, in order;
/// a failure at a record dead-letters or retries it and hands the records after it again.
@Suite(.timeLimit(.minutes(3)))
struct ConsumerBatchHandlerTests {
    let logger = Logger(label: "consumer-batch-tests")

    @Test func runsArePerPartitionInOrderAndAPoisonRecordIsDeadLetteredWhileTheRestGoesOn() async throws {
        struct Poison: PoisonRecordError, CustomStringConvertible {
            var description: String { "poison" }
        }
        struct NotYet: Error {}
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic, TopicCatalog.deadLetterName(of: topic)], partitions: 3)
        let producer = try Producer(configuration: configuration, logger: logger)
        let processed = Collected<(value: String, partition: Int32)>()
        let runs = Collected<Int>()
        let mixedRuns = Atomic<Int>(0)
        let flaky = Mutex<Set<String>>(["7"])
        let deadLetters = Collected<ConsumerRecord>()
        let consumer = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [topic], deadLetters: producer,
            retryPolicy: RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .milliseconds(200), maxAttempts: 5),
            maxBatchSize: 500, partitionsInParallel: true, logger: logger,
            batchHandler: { records in
                if Set(records.map(\.partition)).count > 1 { mixedRuns.add(1, ordering: .relaxed) }
                await runs.append(records.count)
                for (index, record) in records.enumerated() {
                    let value = String(decoding: record.value, as: UTF8.self)
                    if value == "bad" { return Consumer.BatchResult(processed: index, failure: Poison()) }
                    // "7" fails once (transient): it is retried and the records after it come again.
                    if flaky.withLock({ $0.remove(value) != nil }) { return Consumer.BatchResult(processed: index, failure: NotYet()) }
                    await processed.append((value, record.partition))
                }
                return Consumer.BatchResult(processed: records.count)
            })
        let dlqReader = try Consumer(
            configuration: configuration, groupId: TestNames.unique("g"), topics: [TopicCatalog.deadLetterName(of: topic)],
            deadLetters: producer, logger: logger
        ) { await deadLetters.append($0) }
        let total = 600
        try await withRunningServices([producer, consumer, dlqReader]) {
            try #require(await eventually(timeout: .seconds(30)) { consumer.assignedPartitions.count == 3 })
            // Key = value % 3: values of one key go to one partition, in increasing order.
            var records = (0..<total).map { OutgoingRecord(topic: topic, key: Data("k\($0 % 3)".utf8), value: Data("\($0)".utf8)) }
            records.insert(OutgoingRecord(topic: topic, key: Data("k1".utf8), value: Data("bad".utf8)), at: 300)
            try await producer.send(records)
            #expect(await eventually(timeout: .seconds(40)) {
                let (done, dead) = (await processed.count, await deadLetters.count)
                return done == total && dead == 1
            })
        }
        let items = await processed.items
        #expect(Set(items.map(\.value)).count == total, "each good record processed once")
        for key in 0..<3 {
            let values = items.filter { (Int($0.value) ?? -1) % 3 == key }.map { Int($0.value) ?? -1 }
            #expect(values == values.sorted(), "partition of k\(key) in order")
        }
        #expect(mixedRuns.load(ordering: .relaxed) == 0, "a run holds one partition's records")
        #expect(await runs.items.contains { $0 > 1 }, "records come in runs, not one by one")
        #expect(await deadLetters.items.map { String(decoding: $0.value, as: UTF8.self) } == ["bad"])
    }
}
