import Events
import Foundation
import Logging
import Messaging
import Money
import NotificationTemplates
import RelanceTestSupport
import ServiceLifecycle
import SMTP
import Storage
import GRDB

/// The sample command with one recipient, as the end-to-end runs produce it.
func sampleCommand(_ index: Int) -> NotificationRequested {
    var command = NotificationRequested.templateSample
    command.channel = .email
    command.fallbackChannel = nil
    command.recipients = [NotificationRecipient(contactId: "ct-\(index)", name: "Compta \(index)", role: "accounting",
                                                email: "compta\(index)@client.test")]
    return command
}

/// The e-mail the service would send for a rendered sample (as `SMTPTransport` builds it).
func emailMessage(_ rendered: RenderedNotification, index: Int) throws -> EmailMessage {
    guard case .email(let email) = rendered.content else { throw BenchFailure("the sample did not render as an e-mail") }
    return EmailMessage(
        from: try EmailAddress("relances@creancier.test", name: "Créancier Exemple SAS"),
        to: [try EmailAddress("compta\(index)@client.test", name: "Compta \(index)")],
        subject: email.subject, messageID: "bench-\(index)-\(UUID().uuidString)@creancier.test", date: Date(),
        textBody: email.text, htmlBody: email.html)
}

/// `TemplateLibrary.render` of the sample (formal notice, French, one recipient), in process.
/// - Returns: microseconds per e-mail (render only, and render + RFC 5322 bytes) and the size
///   of the message on the wire.
func measureRender(iterations: Int) throws -> (renderMicros: Double, withMIMEMicros: Double, bytes: Int) {
    let library = try TemplateLibrary()
    let today = try CalendarDate(year: 2027, month: 1, day: 10)
    let commands = (0..<64).map(sampleCommand)
    for command in commands { _ = try library.render(command, for: command.recipients[0], date: today) }
    let clock = ContinuousClock()
    let start = clock.now
    for index in 0..<iterations {
        let command = commands[index % commands.count]
        _ = try library.render(command, for: command.recipients[0], date: today)
    }
    let render = (clock.now - start).seconds
    var bytes = 0
    let mimeStart = clock.now
    for index in 0..<iterations {
        let command = commands[index % commands.count]
        let rendered = try library.render(command, for: command.recipients[0], date: today)
        bytes = try emailMessage(rendered, index: index).rendered().count
    }
    let withMIME = (clock.now - mimeStart).seconds
    return (render / Double(iterations) * 1e6, withMIME / Double(iterations) * 1e6, bytes)
}

/// Postfix `smtp-source` into a fresh smtp-sink: `sessions` parallel connections, each
/// reused for its messages (`-d`), messages of `size` bytes. Timed at the sink.
func measureSinkLimit(messages: Int, sessions: Int, size: Int, options: Options) async throws -> (rate: Double, accepted: Int) {
    let sink = try SMTPSinkProcess(binary: options.smtpSink)
    defer { sink.stop() }
    try await sink.waitUntilListening()
    let source = Process()
    source.executableURL = URL(fileURLWithPath: options.smtpSource)
    source.arguments = ["-s", "\(sessions)", "-m", "\(messages)", "-l", "\(size)", "-d",
                        "-f", "relances@creancier.test", "-t", "compta@client.test", "127.0.0.1:\(sink.port)"]
    source.standardOutput = FileHandle.nullDevice
    source.standardError = FileHandle.nullDevice
    try source.run()
    _ = await sink.waitFor(messages, stall: .seconds(30))
    // Not waitUntilExit(): on Linux it spins a run loop.
    for _ in 0..<500 where source.isRunning { try await Task.sleep(for: .milliseconds(10)) }
    if source.isRunning { kill(source.processIdentifier, SIGKILL) }
    guard let span = sink.span else { return (0, 0) }
    return (Double(sink.accepted - 1) / max((span.last - span.first).seconds, 1e-9), sink.accepted)
}

/// Our SMTP client alone (one connection, as one instance uses it): `messages` rendered sample
/// e-mails sent one after the other to a fresh smtp-sink. Timed at the sink.
func measureSMTPClient(messages: Int, options: Options, logger: Logger) async throws -> Double {
    let sink = try SMTPSinkProcess(binary: options.smtpSink)
    defer { sink.stop() }
    try await sink.waitUntilListening()
    let library = try TemplateLibrary()
    let today = try CalendarDate(year: 2027, month: 1, day: 10)
    let command = sampleCommand(0)
    let rendered = try library.render(command, for: command.recipients[0], date: today)
    let emails = try (0..<messages).map { try emailMessage(rendered, index: $0) }
    let client = try SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .off), logger: logger)
    for email in emails { _ = try await client.send(email) }
    await client.close()
    _ = await sink.waitFor(messages, stall: .seconds(10))
    guard let span = sink.span else { return 0 }
    return Double(sink.accepted - 1) / max((span.last - span.first).seconds, 1e-9)
}

/// One record at a time, each awaited until the broker acknowledges it: what the dispatcher
/// does twice per message on the changelog. - Returns: milliseconds per acknowledged record.
func measureSynchronousProduce(records: Int, properties: [String: String], options: Options, logger: Logger) async throws -> Double {
    let prefix = "nbench-produce-\(UUID().uuidString.prefix(8).lowercased())."
    let configuration = KafkaConfiguration(bootstrapServers: options.brokers, clientId: "relance-notification-bench",
                                           topics: .init(prefix: prefix), partitions: 6, properties: properties)
    let topic = configuration.topics.name(of: .notificationLedger)
    try await KafkaAdmin(configuration: configuration, logger: logger).createTopics([topic])
    let producer = try Producer(configuration: configuration, logger: logger)
    let value = Data(repeating: 0x61, count: 400)
    return try await withRunningServices([producer]) {
        for index in 0..<20 { try await producer.send(OutgoingRecord(topic: topic, key: Data("warm-\(index)".utf8), value: value, partition: Int32(index % 6))) }
        let start = ContinuousClock.now
        for index in 0..<records {
            try await producer.send(OutgoingRecord(topic: topic, key: Data("id-\(index)".utf8), value: value, partition: Int32(index % 6)))
        }
        return (ContinuousClock.now - start).seconds / Double(records) * 1e3
    }
}

/// One write transaction per call, as the dispatcher's `ledger.save` does twice per message
/// (an upsert of a ~500-byte ledger row; the second also adds an outbox row), on a
/// `DatabaseOpener` store in a temporary folder (the same file system as the instances' data
/// directories). - Returns: milliseconds per commit.
func measureSQLiteCommit(commits: Int, synchronous: DatabaseOpener.Synchronous, directory: URL) async throws -> Double {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("bench") { db in
        try db.execute(sql: "CREATE TABLE ledger (id TEXT PRIMARY KEY, state TEXT NOT NULL, body BLOB NOT NULL)")
    }
    let folder = directory.appendingPathComponent("sqlite-\(synchronous.rawValue)")
    let pool = try DatabaseOpener.open(directory: folder, name: "bench", migrator: migrator, synchronous: synchronous)
    let body = Data(repeating: 0x62, count: 500)
    let start = ContinuousClock.now
    for index in 0..<commits {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO ledger (id, state, body) VALUES (?, 'sending', ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, body = excluded.body",
                           arguments: ["id-\(index / 2)", body])
        }
    }
    let millis = (ContinuousClock.now - start).seconds / Double(commits) * 1e3
    try? FileManager.default.removeItem(at: folder)
    return millis
}
