import Events
import Foundation
import Logging
import RelanceTestSupport
import Testing

@testable import Messaging

/// Producer and admin behaviour around fatal errors, cancellation and shutdown.
@Suite(.timeLimit(.minutes(2)))
struct ProducerLifecycleTests {
    let logger = Logger(label: "producer-lifecycle-tests")

    /// A configuration pointing at a loopback port nobody listens on.
    private func unreachable(_ properties: [String: String] = [:]) throws -> KafkaConfiguration {
        KafkaConfiguration(
            bootstrapServers: "127.0.0.1:\(try FreePort.find())", clientId: "relance-tests",
            topics: .init(prefix: TestNames.unique("t") + "."), deliveryTimeout: .seconds(30),
            shutdownFlushTimeout: .seconds(1), properties: properties)
    }

    /// Runs a producer against the test broker: sends one record, runs `replace` (which must
    /// get the producer a new client), then expects one more send to be acknowledged.
    private func expectSendingGoesOn(after replace: (Producer) async throws -> Void) async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let topic = configuration.topics.name(of: .invoices)
        try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic])
        let producer = try Producer(configuration: configuration, logger: logger)
        try await withRunningServices([producer]) {
            try await producer.send(OutgoingRecord(topic: topic, key: nil, value: Data("before".utf8)))
            try await replace(producer)
            #expect(producer.resetCount == 1)
            try await producer.send(OutgoingRecord(topic: topic, key: nil, value: Data("after".utf8)))
        }
    }

    @Test func aFatalIdempotenceErrorReplacesTheClientAndSendingGoesOn() async throws {
        try await expectSendingGoesOn { producer in
            producer.raiseFatalErrorForTesting()
            _ = await eventually(timeout: .seconds(10)) { producer.resetCount == 1 }
        }
    }

    @Test func aProducerResetFromOutsideKeepsServingDeliveryReports() async throws {
        // What the outbox relay does after repeated failures.
        try await expectSendingGoesOn { producer in try await producer.reset() }
    }

    /// Sends `records` to an unreachable broker from a task, cancels it after `delay`, and
    /// expects the send to end promptly with `.cancelled` (the delivery timeout is 30 s: only
    /// cancellation ends it this early).
    private func expectCancelledSendEndsPromptly(
        _ records: [OutgoingRecord], properties: [String: String] = [:], cancelAfter delay: Duration
    ) async throws {
        let producer = try Producer(configuration: try unreachable(properties), logger: logger)
        try await withRunningServices([producer]) {
            let send = Task { try await producer.send(records) }
            try await Task.sleep(for: delay)
            send.cancel()
            let clock = ContinuousClock()
            let start = clock.now
            let result = await send.result
            // Far from the 30 s delivery timeout, with room for a loaded CI machine.
            #expect(clock.now - start < .seconds(15))
            if case .failure(let error as KafkaError) = result {
                #expect(error.code == .cancelled)
            } else {
                Issue.record("a send to an unreachable broker cannot succeed")
            }
        }
    }

    @Test func aCancelledSendStopsWaitingForItsDeliveryReport() async throws {
        try await expectCancelledSendEndsPromptly(
            [OutgoingRecord(topic: "nowhere", key: nil, value: Data("x".utf8))], cancelAfter: .milliseconds(200))
    }

    @Test func aCancelledSendDoesNotSpinOnAFullQueue() async throws {
        // 100 records, room for 10 in librdkafka's queue: the sender waits on QUEUE_FULL.
        try await expectCancelledSendEndsPromptly(
            (0..<100).map { OutgoingRecord(topic: "nowhere", key: nil, value: Data("\($0)".utf8)) },
            properties: ["queue.buffering.max.messages": "10"], cancelAfter: .milliseconds(300))
    }

    @Test func shutdownFlushIsBoundedAndLaterSendsFailFast() async throws {
        let producer = try Producer(configuration: try unreachable(), logger: logger)
        let clock = ContinuousClock()
        let pending = Task<Result<Void, KafkaError>, Never> {
            do throws(KafkaError) {
                try await producer.send(OutgoingRecord(topic: "nowhere", key: nil, value: Data("x".utf8)))
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        let stoppedIn = try await clock.measure {
            try await withRunningServices([producer]) {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        // Bounded by shutdownFlushTimeout (1 s), not the 30 s delivery timeout.
        #expect(stoppedIn < .seconds(15))
        let outcome = await pending.value
        #expect((try? outcome.get()) == nil, "the record in flight at shutdown failed instead of hanging")
        let start = clock.now
        do throws(KafkaError) {
            try await producer.send(OutgoingRecord(topic: "nowhere", key: nil, value: Data("late".utf8)))
            Issue.record("a send after the producer stopped must fail")
        } catch {
            #expect(error.code == .closed)
        }
        #expect(clock.now - start < .seconds(10), "failed fast, not after the 30 s delivery timeout")
    }

    @Test func adminServesItsEventQueueAndAsksOnlyForCatalogTopics() async throws {
        let down = try KafkaAdmin(configuration: try unreachable(), logger: logger)
        for _ in 0..<3 {
            _ = try? await down.topicNames(timeout: .milliseconds(700))
        }
        #expect(down.queuedEventCount == 0, "errors of an unreachable broker do not pile up in an unpolled queue")

        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let admin = try KafkaAdmin(configuration: configuration, logger: logger)
        let stranger = TestNames.unique("not-in-the-catalog")
        try await admin.createTopics([stranger, configuration.topics.name(of: .customers)], partitions: 1)
        let names = try await admin.topicNames(timeout: .seconds(5))
        #expect(names.contains(configuration.topics.name(of: .customers)))
        #expect(!names.contains(stranger))
        #expect(!names.contains(configuration.topics.name(of: .payments)), "a missing catalog topic is neither listed nor auto-created")
        #expect(!(try await admin.topicNames(timeout: .seconds(5))).contains(configuration.topics.name(of: .payments)))
    }
}
