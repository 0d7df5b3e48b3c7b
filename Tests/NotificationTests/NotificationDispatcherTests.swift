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

    static func command(recipients: Int = 1, fallback: NotificationChannel? = nil) -> NotificationRequested {
        var command = NotificationRequested.templateSample
        command.channel = .email
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
