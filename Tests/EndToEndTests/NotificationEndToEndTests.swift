import Events
import Foundation
import Logging
import Messaging
import NotificationTemplates
import Money
import RelanceTestSupport
import Synchronization
import Testing

/// Runs the real `notification` executable against the real broker and a real SMTP server.
@Suite(.timeLimit(.minutes(5)))
struct NotificationEndToEndTests {
    let logger = Logger(label: "notification-e2e")

    static func settings(_ sink: SMTPSink) -> [String: String] {
        ["RELANCE_EMAIL_TRANSPORT": "smtp", "RELANCE_SMTP_HOST": "127.0.0.1", "RELANCE_SMTP_PORT": "\(sink.port)",
         "RELANCE_SMTP_STARTTLS": "off", "RELANCE_EMAIL_FROM": "relances@creancier.test"]
    }

    /// `count` distinct commands (one recipient each), as records of `notification-requests`.
    static func commands(_ count: Int, topic: String, tag: String) throws -> [(id: String, record: OutgoingRecord)] {
        try (0..<count).map { index in
            var command = NotificationRequested.templateSample
            command.customerId = "cust-\(tag)-\(index % 97)"
            command.channel = .email
            command.fallbackChannel = nil
            command.recipients = [NotificationRecipient(contactId: "ct-\(index)", name: "Compta \(index)", role: "accounting",
                                                        email: "compta\(index)@client.test")]
            command.invoices = command.invoices.map { invoice in
                var invoice = invoice
                invoice.invoiceId = "\(tag)-inv-\(index)"
                return invoice
            }
            command.notificationId = command.derivedNotificationId
            let envelope = try Envelope(command, source: "/relance/scenario-scheduler", time: Date())
            return (command.notificationId, CloudEvents.record(for: envelope, topic: topic))
        }
    }

    @Test func aRedeliveredOrReplayedCommandIsSentOnce() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let first = try ServiceProcess("notification", broker: broker, prefix: configuration.topics.prefix, environment: Self.settings(sink))
        defer { first.stop() }
        try await first.waitUntilReady()

        // Given 40 commands, and the first 10 again (a redelivery, a scheduler replay)
        let topic = configuration.topics.name(of: .notificationRequests)
        let commands = try Self.commands(40, topic: topic, tag: "once")
        let producer = try Producer(configuration: configuration, logger: logger)
        try await withRunningServices([producer]) {
            try await producer.send(commands.map(\.record) + commands.prefix(10).map(\.record))
        }
        // Then 40 e-mails arrive, one per id
        #expect(await eventually(timeout: .seconds(60)) { sink.count >= 40 })
        try await Task.sleep(for: .seconds(2))
        let ids = sink.messageIds()
        #expect(ids.count == 40)
        #expect(Set(ids).count == 40)
        #expect(Set(ids.map { String($0.dropFirst().prefix(36)) }) == Set(commands.map(\.id)), "Message-IDs derive from the notification ids")
        let sent = try await readTopic(configuration.topics.name(of: .notifications), configuration: configuration, atLeast: 40)
        #expect(Set(sent.compactMap { $0.header(CloudEvents.subjectHeader) }).count == 40)

        // When a new instance with an empty store takes over (new group: the whole topic replays)
        #expect(await first.terminate() == 0)
        let second = try ServiceProcess("notification", broker: broker, prefix: configuration.topics.prefix, environment: Self.settings(sink))
        defer { second.stop() }
        try await second.waitUntilReady()
        try await Task.sleep(for: .seconds(8))
        // Then its ledger, restored from the changelog, sends nothing again
        #expect(sink.count == 40)
        let entry = try await second.get("/v1/notifications/\(commands[0].id)")
        #expect(entry["state"] as? String == "sent", "the ledger came back from the changelog")
        #expect(await second.terminate() == 0)
    }

    @Test func threeInstancesOneKilledAndAFourthAddedSendEachNotificationAtMostOnce() async throws {
        let total = Int(ProcessInfo.processInfo.environment["RELANCE_SCALE_COMMANDS"] ?? "") ?? 3_000
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let sink = try await SMTPSink()
        defer { sink.stop() }
        let group = "notification-\(UUID().uuidString.prefix(8))"
        var environment = Self.settings(sink)
        environment["RELANCE_KAFKA_GROUP"] = group
        // A run's sends are in flight together: the window a SIGKILL leaves is runs, not sends.
        let run = 4
        environment["RELANCE_DELIVERY_RUN"] = "\(run)"
        var instances: [ServiceProcess] = []
        defer { instances.forEach { $0.stop() } }
        for _ in 0..<3 {
            let instance = try ServiceProcess("notification", broker: broker, prefix: configuration.topics.prefix, environment: environment)
            instances.append(instance)
        }
        for instance in instances { try await instance.waitUntilReady() }
        let topic = configuration.topics.name(of: .notificationRequests)
        let commands = try Self.commands(total, topic: topic, tag: "scale-\(group)")
        let producer = try Producer(configuration: configuration, logger: logger)
        try await withRunningServices([producer]) {
            try await producer.send(commands.map(\.record))
        }
        // Kill one instance in the middle of the run, then add a fourth.
        #expect(await eventually(timeout: .seconds(60)) { sink.count >= total / 4 })
        instances[0].process.signal(SIGKILL)
        let fourth = try ServiceProcess("notification", broker: broker, prefix: configuration.topics.prefix, environment: environment)
        instances.append(fourth)
        try await fourth.waitUntilReady()

        // Every notification is sent, or unconfirmed (the documented window), none twice.
        func unconfirmed() async -> Set<String> {
            var ids: Set<String> = []
            for instance in instances.dropFirst() {
                let page = try? await instance.get("/v1/notifications?state=unconfirmed&limit=500")
                for item in (page?["items"] as? [[String: Any]]) ?? [] {
                    if let id = item["notificationId"] as? String { ids.insert(id) }
                }
            }
            return ids
        }
        func delivered() -> Set<String> { Set(sink.messageIds().map { String($0.dropFirst().prefix(36)) }) }
        let all = Set(commands.map(\.id))
        let done = await eventually(timeout: .seconds(120), every: .seconds(1)) {
            delivered().union(await unconfirmed()) == all
        }
        try await Task.sleep(for: .seconds(3))
        let ids = sink.messageIds()
        let unsure = await unconfirmed()
        let deliveredIds = delivered()
        print("scale test: \(total) commands over 3 instances (one SIGKILLed, a fourth added): \(ids.count) e-mails at the SMTP server, "
              + "\(deliveredIds.count) distinct ids, \(unsure.count) unconfirmed of which \(unsure.intersection(deliveredIds).count) had in fact been delivered")
        #expect(done, "every id is delivered or unconfirmed")
        #expect(ids.count == deliveredIds.count, "no notification id was sent twice")
        #expect(deliveredIds.union(unsure) == all, "none lost outside the unconfirmed window")
        // The killed instance owned 2 of the 6 partitions (3 at most), each with one run in flight.
        #expect(unsure.count <= 3 * run, "at most the sends in flight in the killed instance are unconfirmed")
    }
}
