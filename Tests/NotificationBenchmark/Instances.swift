import Events
import Foundation
import Logging
import Messaging
import Money
import NotificationTemplates
import RelanceTestSupport
import ServiceLifecycle

/// One `notification` process (release build) against the bench's broker and SMTP sink, with
/// its own data directory, HTTP port and log file, in a consumer group shared by the scenario.
final class NotificationInstance: Sendable {
    let process: ChildProcess
    let log: URL

    init(binary: URL, brokers: String, prefix: String, group: String, smtpPort: Int, directory: URL, arguments: [String]) throws {
        let data = directory.appendingPathComponent("data-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        log = data.appendingPathComponent("notification.log")
        let settings = [
            "RELANCE_KAFKA_BROKERS": brokers, "RELANCE_KAFKA_TOPIC_PREFIX": prefix, "RELANCE_KAFKA_GROUP": group,
            "RELANCE_DATA_DIR": data.path, "RELANCE_HTTP_PORT": "\(try FreePort.find())", "RELANCE_API_KEYS": "bench-key",
            "RELANCE_EMAIL_TRANSPORT": "smtp", "RELANCE_SMTP_HOST": "127.0.0.1", "RELANCE_SMTP_PORT": "\(smtpPort)",
            "RELANCE_SMTP_STARTTLS": "off", "RELANCE_EMAIL_FROM": "relances@creancier.test",
        ]
        process = try ChildProcess(binary, arguments, environment: settings, stderrToFile: log)
    }

    /// Whether the consumer has been given partitions (its log says so).
    var assigned: Bool {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").contains("partitions assigned")
    }

    /// SIGTERM, then SIGKILL after 20 s.
    func stop() async {
        guard process.isRunning else { return }
        process.signal(SIGTERM)
        if await process.waitForExit(timeout: .seconds(20)) == nil { process.signal(SIGKILL) }
    }
}

/// `count` distinct commands (one recipient each, the sample formal notice in French), as
/// records of `notification-requests`; customers spread over 97 keys, so over every partition.
func commands(_ count: Int, topic: String, tag: String) throws -> [OutgoingRecord] {
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
        return CloudEvents.record(for: envelope, topic: topic)
    }
}

/// What one end-to-end run measured.
struct EndToEndResult {
    var label: String
    var instances: Int
    var accepted: Int
    var expected: Int
    var seconds: Double
    var produceSeconds: Double
    var cpuSeconds: [Double]
    var peakMiB: [Double]

    var rate: Double { seconds > 0 ? Double(max(accepted - 1, 0)) / seconds : 0 }
}

/// N commands produced to a fresh `notification-requests`, consumed by `instances` processes
/// in one group, delivered over SMTP to a fresh smtp-sink; timed first to last accepted at the
/// sink. Instances start (and join the group) before the commands are produced.
func runEndToEnd(label: String, instances count: Int, messages: Int, options: Options, arguments: [String] = [],
                 directory: URL, logger: Logger) async throws -> EndToEndResult {
    let tag = String(UUID().uuidString.prefix(8)).lowercased()
    let prefix = "nbench-\(tag)."
    let group = "nbench-\(tag)"
    let sink = try SMTPSinkProcess(binary: options.smtpSink)
    defer { sink.stop() }
    try await sink.waitUntilListening()
    var instances: [NotificationInstance] = []
    defer { for instance in instances where instance.process.isRunning { instance.process.signal(SIGKILL) } }
    for _ in 0..<count {
        instances.append(try NotificationInstance(binary: URL(fileURLWithPath: options.notification), brokers: options.brokers, prefix: prefix,
                                                  group: group, smtpPort: sink.port, directory: directory, arguments: arguments))
    }
    progress("\(label): \(count) instance(s) starting, group \(group)")
    let deadline = ContinuousClock.now + .seconds(60)
    while !instances.allSatisfy(\.assigned) {
        guard ContinuousClock.now < deadline, instances.allSatisfy({ $0.process.isRunning }) else {
            throw BenchFailure("\(label): an instance did not get partitions within 60 s (logs in \(directory.path))")
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    // Let a rebalance between the members settle before the first command.
    try await Task.sleep(for: .seconds(count > 1 ? 4 : 1))
    let cpuBefore = instances.map { ProcStats.cpuSeconds($0.process.pid) ?? 0 }

    let configuration = KafkaConfiguration(bootstrapServers: options.brokers, clientId: "relance-notification-bench",
                                           topics: .init(prefix: prefix), partitions: 6)
    let records = try commands(messages, topic: configuration.topics.name(of: .notificationRequests), tag: tag)
    let producer = try Producer(configuration: configuration, logger: logger)
    let produceStart = ContinuousClock.now
    try await withRunningServices([producer]) { try await producer.send(records) }
    let produceSeconds = (ContinuousClock.now - produceStart).seconds
    progress("\(label): \(grouped(messages)) commands produced in \(String(format: "%.2f", produceSeconds)) s")

    let complete = await sink.waitFor(messages) { progress("\(label): \(grouped($0)) of \(grouped(messages)) accepted at the sink") }
    let cpuAfter = instances.map { ProcStats.cpuSeconds($0.process.pid) ?? 0 }
    let peaks = instances.map { ProcStats.peakMiB($0.process.pid) ?? 0 }
    if !complete { progress("\(label): stalled at \(sink.accepted) of \(messages) (logs in \(directory.path))") }
    let span = sink.span
    for instance in instances { await instance.stop() }
    return EndToEndResult(label: label, instances: count, accepted: sink.accepted, expected: messages,
                          seconds: span.map { ($0.last - $0.first).seconds } ?? 0, produceSeconds: produceSeconds,
                          cpuSeconds: zip(cpuAfter, cpuBefore).map { $0 - $1 }, peakMiB: peaks)
}
