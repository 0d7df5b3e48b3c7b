import Events
import Foundation
import Logging
import RelanceTestSupport
import Synchronization
import Testing

@testable import Messaging

/// What a changelog-backed store needs from the shared layer, against the real broker: an
/// explicit partition on produce, a reader that stops at a partition's end, and rebalance
/// hooks that run before any record of a new partition is handled.
@Suite(.timeLimit(.minutes(3)))
struct PartitionStateTests {
    let logger = Logger(label: "partition-state-tests")

    private func makeTopic(_ configuration: KafkaConfiguration, _ kind: Topic, partitions: Int = 6) async throws -> String {
        let topic = configuration.topics.name(of: kind)
        try await KafkaAdmin(configuration: configuration, logger: logger)
            .createTopics([topic, TopicCatalog.deadLetterName(of: topic)], partitions: partitions)
        return topic
    }

    @Test func aRecordWithAnExplicitPartitionLandsThereAndTheReaderStopsAtTheEnd() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, .notifications)
        let producer = try Producer(configuration: configuration, logger: logger)
        try await withRunningServices([producer]) {
            // Same key, three partitions: the key alone would put them together.
            var records: [OutgoingRecord] = []
            for partition in [Int32(1), 3, 5] {
                for index in 0..<10 {
                    records.append(OutgoingRecord(topic: topic, key: Data("same-key".utf8), value: Data("\(partition)-\(index)".utf8), partition: partition))
                }
            }
            try await producer.send(records)
        }
        var read: [Int32: [String]] = [:]
        let count = try PartitionReader.readToEnd([1, 3, 4].map { TopicPartition(topic: topic, partition: $0) },
                                                  configuration: configuration, logger: logger) { record in
            read[record.partition, default: []].append(String(decoding: record.value, as: UTF8.self))
        }
        #expect(count == 20, "partitions 1 and 3 hold 10 each; 4 is empty; 5 was not asked")
        // A second read sees the same records: the first read's barriers are skipped.
        #expect(try PartitionReader.readToEnd([TopicPartition(topic: topic, partition: 1)], configuration: configuration, logger: logger) { _ in } == 10)
        #expect(read[1] == (0..<10).map { "1-\($0)" })
        #expect(read[3] == (0..<10).map { "3-\($0)" })
        #expect(read[4] == nil)
        #expect(read[5] == nil)
    }

    @Test func theAssignHookRunsBeforeAnyRecordOfItsPartitionsAndTheRevokeHookOnLeaving() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, .notificationRequests)
        let producer = try Producer(configuration: configuration, logger: logger)
        try await withRunningServices([producer]) {
            try await producer.send((0..<60).map { OutgoingRecord(topic: topic, key: Data("c-\($0)".utf8), value: Data("\($0)".utf8)) })
        }
        // What the hooks restored (the partitions), and records handled before their partition was restored.
        let restored = Mutex<Set<Int32>>([])
        let revoked = Mutex<Set<Int32>>([])
        let early = Mutex(0)
        let handled = Collected<Int32>()
        let hooks = RebalanceHooks(
            assigned: { partitions in
                // A slow restore: records must still wait for it.
                Thread.sleep(forTimeInterval: 0.5)
                restored.withLock { $0.formUnion(partitions.map(\.partition)) }
            },
            revoked: { partitions in revoked.withLock { $0.formUnion(partitions.map(\.partition)) } })
        let deadLetters = try Producer(configuration: configuration, logger: logger)
        let consumer = try Consumer(configuration: configuration, groupId: TestNames.unique("g"), topics: [topic], deadLetters: deadLetters,
                                    rebalanceHooks: hooks, logger: logger) { record in
            if !restored.withLock({ $0.contains(record.partition) }) { early.withLock { $0 += 1 } }
            await handled.append(record.partition)
        }
        try await withRunningServices([deadLetters, consumer]) {
            #expect(await eventually(timeout: .seconds(30)) { await handled.count == 60 })
        }
        #expect(early.withLock { $0 } == 0, "no record was handled before its partition was restored")
        #expect(restored.withLock { $0 } == Set(0..<6))
        #expect(revoked.withLock { $0 } == Set(0..<6), "leaving the group revokes every partition through the hook")
    }

    @Test func partitionsHandledInParallelKeepTheOrderOfEachKeyAndRetryAFailureAlone() async throws {
        struct Flaky: Error {}
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = try await makeTopic(configuration, .collectionUpdates)
        let producer = try Producer(configuration: configuration, logger: logger)
        let seen = Collected<(key: String, value: Int)>()
        let failedOnce = Mutex(false)
        let inFlight = Mutex((now: 0, most: 0))
        let consumer = try Consumer(configuration: configuration, groupId: TestNames.unique("g"), topics: [topic], deadLetters: producer,
                                    retryPolicy: RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), maxAttempts: 5),
                                    partitionsInParallel: true, logger: logger) { record in
            let key = String(decoding: record.key ?? Data(), as: UTF8.self)
            let value = Int(String(decoding: record.value, as: UTF8.self)) ?? -1
            // The first try of one record fails: only its partition waits.
            if key == "k-3", value == 5, failedOnce.withLock({ done in defer { done = true }; return !done }) { throw Flaky() }
            inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try? await Task.sleep(for: .milliseconds(2))
            inFlight.withLock { $0.now -= 1 }
            await seen.append((key, value))
        }
        try await withRunningServices([producer, consumer]) {
            try #require(await eventually(timeout: .seconds(30)) { consumer.assignedPartitions.count == 6 })
            var records: [OutgoingRecord] = []
            for value in 0..<20 {
                for key in 0..<12 { records.append(OutgoingRecord(topic: topic, key: Data("k-\(key)".utf8), value: Data("\(value)".utf8))) }
            }
            try await producer.send(records)
            #expect(await eventually(timeout: .seconds(30)) { await seen.count == 240 })
        }
        let items = await seen.items
        for key in 0..<12 {
            let values = items.filter { $0.key == "k-\(key)" }.map(\.value)
            #expect(values == Array(0..<20), "key k-\(key) handled in order, each once")
        }
        #expect(inFlight.withLock { $0.most } > 1, "records of different partitions were handled at the same time")
    }
}
