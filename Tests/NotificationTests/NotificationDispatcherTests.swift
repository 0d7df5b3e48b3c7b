import Events
import Foundation
import GRDB
import Logging
import Money
import Messaging
@testable import Notification
import NotificationTemplates
import Synchronization
import Testing

/// A transport that records what it was asked to deliver and answers from a script.
final class RecordingTransport: NotificationTransport, Sendable {
    let delivered = Mutex<[OutgoingMessage]>([])
    /// Errors to throw, in order, before succeeding.
    let script = Mutex<[DeliveryError]>([])

    init(failing errors: [DeliveryError] = []) {
        script.withLock { $0 = errors }
    }

    func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        if let error = script.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw error }
        delivered.withLock { $0.append(message) }
        return "provider-\(message.idempotencyKey)"
    }

    var count: Int { delivered.withLock { $0.count } }
}

@Suite struct NotificationDispatcherTests {
    static let templates = Result { try TemplateLibrary() }

    func makeDispatcher(email: RecordingTransport, letter: RecordingTransport = RecordingTransport(), maxAttempts: Int = 3)
        throws -> (NotificationDispatcher, NotificationLedger, DatabaseQueue) {
        let queue = try DatabaseQueue()
        let ledger = try NotificationLedger(queue)
        let dispatcher = NotificationDispatcher(
            ledger: ledger, templates: try Self.templates.get(), transports: ["email": email, "letter": letter, "registeredLetter": letter],
            changelog: nil, maxAttempts: maxAttempts, logger: Logger(label: "test"))
        return (dispatcher, ledger, queue)
    }

    static func command(recipients: Int = 1, fallback: NotificationChannel? = nil, customer: String? = nil,
                        template: NotificationTemplateId? = nil, channel: NotificationChannel = .email) -> NotificationRequested {
        var command = NotificationRequested.templateSample
        if let customer { command.customerId = customer }
        if let template {
            command.templateId = template
            command.scenario.stepId = template.rawValue
        }
        command.channel = channel
        command.fallbackChannel = fallback
        command.recipients = (0..<recipients).map { index in
            NotificationRecipient(contactId: "ct-\(index)", name: "Compta \(index)", role: "accounting", email: "compta\(index)@client.test",
                                  postalAddress: PostalAddressSnapshot(lines: ["1 rue A"], postalCode: "75001", city: "Paris", country: "FR"))
        }
        command.notificationId = command.derivedNotificationId
        return command
    }

    func events(_ queue: DatabaseQueue) throws -> [String] {
        try queue.read { try String.fetchAll($0, sql: "SELECT type FROM relance_outbox ORDER BY sequence") }
    }

    @Test func theSameCommandTwiceIsSentOnce() async throws {
        let email = RecordingTransport()
        let (dispatcher, ledger, queue) = try makeDispatcher(email: email)
        let command = Self.command(recipients: 2)
        #expect(try await dispatcher.handle(command, partition: 0) == .sent)
        #expect(try await dispatcher.handle(command, partition: 0) == .duplicate)
        #expect(email.count == 2, "one e-mail per recipient, once")
        #expect(try await ledger.entry(command.notificationId)?.state == .sent)
        #expect(try events(queue) == [NotificationSent.eventType])
        let subjects = email.delivered.withLock { $0.compactMap { $0.rendered.email?.subject } }
        #expect(subjects.allSatisfy { !$0.isEmpty })
    }

    @Test func aTransientFailureIsRetriedAndOnlyTheRecipientsLeftAreSentTo() async throws {
        let email = RecordingTransport()
        let command = Self.command(recipients: 2)
        // The first recipient goes, the second gets a 451.
        let flaky = FlakyTransport(inner: email, failOn: [1])
        let queue = try DatabaseQueue()
        let store = try NotificationLedger(queue)
        let subject = NotificationDispatcher(ledger: store, templates: try Self.templates.get(), transports: ["email": flaky], changelog: nil,
                                             maxAttempts: 3, logger: Logger(label: "test"))
        await #expect(throws: NotificationDispatcher.RetryLater.self) { try await subject.handle(command, partition: 2) }
        #expect(try await store.entry(command.notificationId)?.state == .received)
        #expect(try await subject.handle(command, partition: 2) == .sent)
        let keys = email.delivered.withLock { $0.map(\.idempotencyKey) }
        #expect(keys.sorted() == ["\(command.notificationId).0", "\(command.notificationId).1"], "each recipient once")
        #expect(try await store.entry(command.notificationId)?.attempts == 2)
    }

    @Test func transientFailuresBeyondTheLimitFailForGood() async throws {
        let email = RecordingTransport(failing: Array(repeating: DeliveryError(.transient, "451 try later"), count: 10))
        let (dispatcher, ledger, queue) = try makeDispatcher(email: email, maxAttempts: 2)
        let command = Self.command()
        await #expect(throws: NotificationDispatcher.RetryLater.self) { try await dispatcher.handle(command, partition: 0) }
        #expect(try await dispatcher.handle(command, partition: 0) == .failed)
        #expect(try await ledger.entry(command.notificationId)?.state == .failed)
        #expect(try events(queue) == [NotificationFailed.eventType])
        #expect(email.count == 0)
    }

    @Test func aHardBounceFallsBackToALetter() async throws {
        let email = RecordingTransport(failing: [DeliveryError(.permanent(.invalidAddress), "550 no such user")])
        let letter = RecordingTransport()
        let (dispatcher, ledger, queue) = try makeDispatcher(email: email, letter: letter)
        let command = Self.command(fallback: .letter)
        #expect(try await dispatcher.handle(command, partition: 0) == .sent)
        #expect(letter.count == 1)
        #expect(letter.delivered.withLock { $0.first?.rendered.letter != nil })
        #expect(try await ledger.entry(command.notificationId)?.fallbackUsed == "letter")
        #expect(try events(queue) == [NotificationSent.eventType])
    }

    @Test func aPermanentFailureWithoutFallbackPublishesFailed() async throws {
        let email = RecordingTransport(failing: [DeliveryError(.permanent(.invalidAddress), "550 no such user")])
        let (dispatcher, _, queue) = try makeDispatcher(email: email)
        #expect(try await dispatcher.handle(Self.command(), partition: 0) == .failed)
        let data = try await queue.read { try Data.fetchOne($0, sql: "SELECT data FROM relance_outbox") }
        let failed = try EventJSON.decoder.decode(NotificationFailed.self, from: try #require(data))
        #expect(failed.reason == .invalidAddress)
    }

    @Test func anIdFoundSendingIsNotSentAgain() async throws {
        let email = RecordingTransport()
        let (dispatcher, ledger, _) = try makeDispatcher(email: email)
        let command = Self.command()
        // What a previous owner left on the changelog: it called the provider and stopped.
        try await ledger.save(LedgerEntry(notificationId: command.notificationId, customerId: command.customerId, partition: 0,
                                                    channel: "email", state: .sending, attempts: 1, updatedAt: Date()))
        #expect(try await dispatcher.handle(command, partition: 0) == .unconfirmed)
        #expect(email.count == 0)
        #expect(try await ledger.entries(in: .unconfirmed).map(\.notificationId) == [command.notificationId])
    }

    @Test func anExtremeDaysOverdueRendersInsteadOfTrapping() async throws {
        let email = RecordingTransport()
        let (dispatcher, _, _) = try makeDispatcher(email: email)
        var command = Self.command()
        command.invoices[0].daysOverdue = Int.min
        command.notificationId = command.derivedNotificationId
        // Int.min negated overflows: the model must not negate it (the process would trap on every redelivery).
        #expect(try await dispatcher.handle(command, partition: 0) == .sent)
    }

    @Test func aCommandWhoseIdDoesNotMatchItsContentIsRefused() async throws {
        let (dispatcher, _, _) = try makeDispatcher(email: RecordingTransport())
        var command = Self.command()
        command.notificationId = "00000000-0000-8000-8000-000000000000"
        let envelope = try Envelope(command, source: "/relance/scenario-scheduler", time: Date())
        let outgoing = CloudEvents.record(for: envelope, topic: "relance.notification-requests")
        let record = ConsumerRecord(topic: outgoing.topic, partition: 0, offset: 0, key: outgoing.key, value: outgoing.value, headers: outgoing.headers)
        await #expect(throws: (any Error).self) { try await dispatcher.handle(record) }
    }
}

/// Runs: a partition's records of one poll handled together.
@Suite struct NotificationDispatcherRunTests {
    @Test func aRunCommitsItsOutcomesInOneTransactionAndARedeliveredRunSendsNothing() async throws {
        let email = RecordingTransport()
        let commits = Mutex(0)
        let queue = try DatabaseQueue()
        let ledger = try NotificationLedger(queue, onEventsWritten: { commits.withLock { $0 += 1 } })
        let dispatcher = NotificationDispatcher(ledger: ledger, templates: try NotificationDispatcherTests.templates.get(),
                                                transports: ["email": email], changelog: nil, logger: Logger(label: "test"))
        let commands = (0..<5).map { NotificationDispatcherTests.command(customer: "cus-\($0)") }
        let first = await dispatcher.handle(commands, partition: 1)
        #expect(first.outcomes == Array(repeating: .sent, count: 5))
        #expect(first.failure == nil)
        #expect(commits.withLock { $0 } == 1, "the five outcomes and their events in one transaction")
        let again = await dispatcher.handle(commands, partition: 1)
        #expect(again.outcomes == Array(repeating: .duplicate, count: 5))
        #expect(email.count == 5)
    }

    @Test func aRunHoldsAtMostMaxRunCommands() async throws {
        let commits = Mutex(0)
        let ledger = try NotificationLedger(try DatabaseQueue(), onEventsWritten: { commits.withLock { $0 += 1 } })
        let dispatcher = NotificationDispatcher(ledger: ledger, templates: try NotificationDispatcherTests.templates.get(),
                                                transports: ["email": RecordingTransport()], changelog: nil, maxRun: 2, logger: Logger(label: "test"))
        let result = await dispatcher.handle((0..<5).map { NotificationDispatcherTests.command(customer: "cus-\($0)") }, partition: 0)
        #expect(result.outcomes == Array(repeating: .sent, count: 5))
        #expect(commits.withLock { $0 } == 3, "runs of 2, 2 and 1")
    }

    @Test func twoCommandsOfOneCustomerInARunAreSentInOrder() async throws {
        // The first is slow to deliver: sent concurrently, the second would arrive first.
        let email = SlowFirstTransport()
        let queue = try DatabaseQueue()
        let ledger = try NotificationLedger(queue)
        let dispatcher = NotificationDispatcher(ledger: ledger, templates: try NotificationDispatcherTests.templates.get(),
                                                transports: ["email": email], changelog: nil, logger: Logger(label: "test"))
        let earlier = NotificationDispatcherTests.command(customer: "cus-a", template: .reminder1)
        let later = NotificationDispatcherTests.command(customer: "cus-a", template: .formalNotice)
        #expect(earlier.notificationId != later.notificationId)
        let result = await dispatcher.handle([earlier, NotificationDispatcherTests.command(customer: "cus-b"), later], partition: 0)
        #expect(result.outcomes == [.sent, .sent, .sent])
        let order = email.order.withLock { $0 }.filter { $0.hasPrefix(earlier.notificationId) || $0.hasPrefix(later.notificationId) }
        #expect(order == ["\(earlier.notificationId).0", "\(later.notificationId).0"])
    }

    @Test func aTransientFailureInARunStopsTheRunThereAndWhatFollowsIsADuplicateWhenHandedAgain() async throws {
        let email = RecordingTransport()
        let commands = (0..<3).map { NotificationDispatcherTests.command(customer: "cus-\($0)") }
        let flaky = FlakyIdTransport(inner: email, failOnce: [commands[1].notificationId])
        let ledger = try NotificationLedger(try DatabaseQueue())
        let dispatcher = NotificationDispatcher(ledger: ledger, templates: try NotificationDispatcherTests.templates.get(),
                                                transports: ["email": flaky], changelog: nil, logger: Logger(label: "test"))
        let first = await dispatcher.handle(commands, partition: 0)
        #expect(first.outcomes == [.sent], "done with the leading command only")
        #expect(first.failure is NotificationDispatcher.RetryLater)
        #expect(try await ledger.entry(commands[1].notificationId)?.state == .received)
        #expect(try await ledger.entry(commands[2].notificationId)?.state == .sent)
        let again = await dispatcher.handle(Array(commands[1...]), partition: 0)
        #expect(again.outcomes == [.sent, .duplicate])
        #expect(email.count == 3, "each once")
    }
}

/// Delivers the first message it is given after a delay, the others at once; records the
/// order of completion.
final class SlowFirstTransport: NotificationTransport, Sendable {
    let order = Mutex<[String]>([])
    let started = Mutex(false)

    func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        let first = started.withLock { started in
            defer { started = true }
            return !started
        }
        if first { try? await Task.sleep(for: .milliseconds(200)) }
        order.withLock { $0.append(message.idempotencyKey) }
        return "provider-\(message.idempotencyKey)"
    }
}

/// Fails transiently once for each given notification id, then delivers.
final class FlakyIdTransport: NotificationTransport, Sendable {
    let inner: RecordingTransport
    let failOnce: Mutex<Set<String>>

    init(inner: RecordingTransport, failOnce: Set<String>) {
        self.inner = inner
        self.failOnce = Mutex(failOnce)
    }

    func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        if failOnce.withLock({ $0.remove(message.notificationId) != nil }) { throw DeliveryError(.transient, "451 try later") }
        return try await inner.deliver(message)
    }
}

/// Fails transiently for the given recipient indexes on the first try of each, then delivers.
final class FlakyTransport: NotificationTransport, Sendable {
    let inner: RecordingTransport
    let failOn: Mutex<Set<Int>>

    init(inner: RecordingTransport, failOn: Set<Int>) {
        self.inner = inner
        self.failOn = Mutex(failOn)
    }

    func deliver(_ message: OutgoingMessage) async throws(DeliveryError) -> String {
        if failOn.withLock({ $0.remove(message.recipientIndex) != nil }) { throw DeliveryError(.transient, "451 greylisted") }
        return try await inner.deliver(message)
    }
}
