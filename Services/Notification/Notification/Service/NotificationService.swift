import AsyncHTTPClient
import Events
import Foundation
import GRDB
import Logging
import Messaging
import Money
import NotificationTemplates
import Prometheus
import ServiceKit
import ServiceLifecycle
import SMTP
import Storage

/// Assembles the notification process: its ledger store, producer, outbox relay, the consumer
/// of `notification-requests` with the ledger restorer as rebalance hooks, and the HTTP API.
///
/// The one service that runs as several instances: they share the work through the consumer
/// group; the ledger of a partition follows it through the changelog topic
/// (`notification-ledger`). Each instance has its own data directory.
public enum NotificationService {
    public static let defaultPort = 8084

    /// What the process needs beyond ``ServiceSettings``.
    public struct Options: Sendable {
        public enum EmailTransport: String, Sendable { case folder, smtp }
        /// Key `email.transport`: `folder` (default: `.eml` files in `email.folder`) or `smtp`.
        public var emailTransport: EmailTransport
        /// Key `email.folder`. Default: `<data.dir>/outbox/`.
        public var folder: URL?
        /// Key `email.from`. Default: `relances@relance.invalid`.
        public var from: String
        /// Keys `smtp.host`, `smtp.port` (587), `smtp.starttls` (`required`, `opportunistic`,
        /// `off`), `smtp.username`, `smtp.password`, `smtp.helo` (localhost).
        public var smtp: SMTPConfiguration?
        /// Keys `sms.url`, `sms.token`: an HTTP SMS provider; the folder when absent.
        public var smsURL: String?
        public var smsToken: String?
        /// Keys `letter.url`, `letter.token`: an HTTP print-and-post provider; the folder when absent.
        public var letterURL: String?
        public var letterToken: String?
        /// Key `templates.dir`: templates adding to or replacing the shipped ones.
        public var templatesFolder: URL?
        /// Key `delivery.attempts`. Default: 5.
        public var maxAttempts: Int
        /// Key `smtp.connections`: SMTP connections kept open. Default: 4.
        public var smtpConnections: Int = 4
        /// Key `delivery.run`: most commands of a partition handled together (their sends in
        /// flight at once: what a crash can leave `unconfirmed` per partition). Default: 16.
        public var maxRun: Int = 16
        /// Keys `rate.email`, `rate.sms`, `rate.letter`: messages per second per instance
        /// (``RateLimits``). Default: none (not limited).
        public var rates: [String: Double] = [:]
        /// Keys `cost.sms`, `cost.letter`, `cost.registeredLetter` (minor units per message),
        /// `spending.cap` (minor units per day for the fleet), `spending.currency` (EUR),
        /// `spending.timezone` (Europe/Paris) (``SpendingCap``). Default: no cap.
        public var costs: [String: Money] = [:]
        public var dailyCap: Money?
        public var spendingTimeZone: TimeZone = TimeZone(identifier: "Europe/Paris") ?? .current
        /// Key `spending.poll`: how often parked notifications are looked at. Default: 60 s.
        public var parkedPoll: Duration = .seconds(60)
        public var maintenance: StoreMaintenance.Configuration = .init()

        public init(emailTransport: EmailTransport = .folder, folder: URL? = nil, from: String = "relances@relance.invalid",
                    smtp: SMTPConfiguration? = nil, smsURL: String? = nil, smsToken: String? = nil, letterURL: String? = nil,
                    letterToken: String? = nil, templatesFolder: URL? = nil, maxAttempts: Int = 5) {
            self.emailTransport = emailTransport
            self.folder = folder
            self.from = from
            self.smtp = smtp
            self.smsURL = smsURL
            self.smsToken = smsToken
            self.letterURL = letterURL
            self.letterToken = letterToken
            self.templatesFolder = templatesFolder
            self.maxAttempts = maxAttempts
        }

        /// Reads the options.
        /// - Throws: `ConfigurationError` naming the key.
        public init(reader: ConfigurationReader) throws {
            guard let transport = EmailTransport(rawValue: reader.string("email.transport", default: "folder")) else {
                throw ConfigurationError(key: "email.transport", reason: "use folder (the default) or smtp")
            }
            var smtp: SMTPConfiguration?
            if transport == .smtp {
                guard let host = reader.string("smtp.host") else {
                    throw ConfigurationError(key: "smtp.host", reason: "email.transport is smtp: give the SMTP server's host")
                }
                guard let mode = SMTPConfiguration.STARTTLSMode(rawValue: reader.string("smtp.starttls", default: "required")) else {
                    throw ConfigurationError(key: "smtp.starttls", reason: "use required, opportunistic or off")
                }
                smtp = SMTPConfiguration(host: host, port: try reader.int("smtp.port", default: 587), startTLS: mode,
                                         username: reader.string("smtp.username"), password: reader.string("smtp.password"),
                                         heloName: reader.string("smtp.helo", default: "localhost"))
            }
            let attempts = try reader.int("delivery.attempts", default: 5)
            guard (1...50).contains(attempts) else { throw ConfigurationError(key: "delivery.attempts", reason: "1 to 50") }
            let from = reader.string("email.from", default: "relances@relance.invalid")
            guard from.contains("@") else { throw ConfigurationError(key: "email.from", reason: "an e-mail address, e.g. relances@example.com") }
            self.init(emailTransport: transport, folder: reader.string("email.folder").map { URL(fileURLWithPath: $0, isDirectory: true) },
                      from: from, smtp: smtp, smsURL: reader.string("sms.url"), smsToken: reader.string("sms.token"),
                      letterURL: reader.string("letter.url"), letterToken: reader.string("letter.token"),
                      templatesFolder: reader.string("templates.dir").map { URL(fileURLWithPath: $0, isDirectory: true) },
                      maxAttempts: attempts)
            maintenance = try StoreMaintenance.Configuration(reader: reader)
            smtpConnections = try reader.int("smtp.connections", default: 4)
            guard (1...64).contains(smtpConnections) else { throw ConfigurationError(key: "smtp.connections", reason: "1 to 64") }
            maxRun = try reader.int("delivery.run", default: 16)
            guard (1...500).contains(maxRun) else { throw ConfigurationError(key: "delivery.run", reason: "1 to 500") }
            for channel in ["email", "sms", "letter"] {
                guard let text = reader.string("rate.\(channel)") else { continue }
                guard let rate = Double(text), rate.isFinite, rate >= 0, rate <= 1_000_000 else {
                    throw ConfigurationError(key: "rate.\(channel)", reason: "messages per second per instance, e.g. 20 or 0.5 (0: not limited)")
                }
                rates[channel] = rate
            }
            let currencyCode = reader.string("spending.currency", default: "EUR")
            let currency: Currency
            do {
                currency = try Currency(code: currencyCode)
            } catch {
                throw ConfigurationError(key: "spending.currency", reason: "\(error)")
            }
            for channel in ["sms", "letter", "registeredLetter"] {
                guard let text = reader.string("cost.\(channel)") else { continue }
                guard let minor = Int64(text), minor >= 0 else {
                    throw ConfigurationError(key: "cost.\(channel)", reason: "the cost of one message in minor units of spending.currency, e.g. 8 for 0.08 \(currency.code)")
                }
                costs[channel] = Money(minorUnits: minor, currency: currency)
            }
            if let text = reader.string("spending.cap") {
                guard let minor = Int64(text), minor >= 0 else {
                    throw ConfigurationError(key: "spending.cap", reason: "what the paid channels may cost a day, in minor units of spending.currency, e.g. 5000 for 50.00 \(currency.code)")
                }
                guard !costs.isEmpty else {
                    throw ConfigurationError(key: "spending.cap", reason: "a cap needs costs: give cost.sms, cost.letter and/or cost.registeredLetter")
                }
                dailyCap = Money(minorUnits: minor, currency: currency)
            }
            let zone = reader.string("spending.timezone", default: "Europe/Paris")
            guard let timeZone = TimeZone(identifier: zone) else {
                throw ConfigurationError(key: "spending.timezone", reason: "an IANA time zone such as Europe/Paris")
            }
            spendingTimeZone = timeZone
            parkedPoll = try reader.duration("spending.poll", default: .seconds(60))
            guard parkedPoll >= .seconds(1) else { throw ConfigurationError(key: "spending.poll", reason: "at least 1 s") }
        }
    }

    /// Builds the services of one notification process.
    /// - Throws: `StorageError`, database, template (a template that does not load stops the
    ///   start, naming the file and variable), SMTP configuration, Kafka errors.
    public static func makeServices(settings: ServiceSettings, options: Options = .init(), registry: PrometheusCollectorRegistry?,
                                    logger: Logger) throws -> [any Service] {
        let pool = try DatabaseOpener.open(directory: settings.dataDirectory, name: "notification", migrator: NotificationLedger.migrator)
        // The dispatcher waits for each changelog record's acknowledgement before the next step:
        // librdkafka's linger (5 ms elsewhere) would add to every message (measured: 47 -> 115
        // e-mails/s per instance with 0). An operator's kafka.property.linger.ms still wins.
        var producerConfiguration = settings.kafka
        if producerConfiguration.properties["linger.ms"] == nil { producerConfiguration.properties["linger.ms"] = "0" }
        let producer = try Producer(configuration: producerConfiguration, logger: logger)
        let admin = try KafkaAdmin(configuration: settings.kafka, logger: logger)
        let relay = OutboxRelay(writer: pool, producer: producer, topics: settings.kafka.topics, logger: logger)
        let ledger = try NotificationLedger(pool, source: settings.eventSource, onEventsWritten: { relay.notify() })
        let templates = try TemplateLibrary(configuration: .init(folder: options.templatesFolder))
        let folder = options.folder ?? settings.dataDirectory.appendingPathComponent("outbox", isDirectory: true)
        let folderTransport = FolderTransport(directory: folder, from: options.from)
        var transports: [String: any NotificationTransport] = [:]
        if let smtp = options.smtp {
            let clients = try (0..<options.smtpConnections).map { _ in try SMTPClient(configuration: smtp, logger: logger) }
            transports["email"] = SMTPTransport(clients: clients, from: options.from)
        } else {
            transports["email"] = folderTransport
        }
        transports["sms"] = options.smsURL.map { HTTPProviderTransport(url: $0, token: options.smsToken) } ?? folderTransport
        let letters: any NotificationTransport = options.letterURL.map { HTTPProviderTransport(url: $0, token: options.letterToken) } ?? folderTransport
        transports["letter"] = letters
        transports["registeredLetter"] = letters
        let changelogTopic = settings.kafka.topics.name(of: .notificationLedger)
        let fence = LedgerFence()
        let tail = try PartitionTail(configuration: settings.kafka, topic: changelogTopic, partitionCount: settings.kafka.partitions,
                                     logger: logger) { record in fence.observe(record) }
        let dispatcher = NotificationDispatcher(
            ledger: ledger, templates: templates, transports: transports, changelog: ChangelogWriter(producer: producer, topic: changelogTopic),
            fence: fence, maxAttempts: options.maxAttempts, maxRun: options.maxRun, rateLimits: RateLimits(rates: options.rates),
            spendingCap: options.dailyCap.map { SpendingCap(costs: options.costs, daily: $0, timeZone: options.spendingTimeZone,
                                                             partitions: settings.kafka.partitions) },
            logger: logger)
        let restorer = LedgerRestorer(ledger: ledger, changelogTopic: changelogTopic, configuration: settings.kafka, fence: fence, logger: logger)
        var retry = settings.consumerRetryPolicy
        // The ledger counts delivery attempts across restarts; the consumer must not dead-letter first.
        retry.maxAttempts = max(retry.maxAttempts, options.maxAttempts + 1)
        let topics = [settings.kafka.topics.name(of: .notificationRequests)]
        let consumer = try Consumer(
            configuration: settings.kafka, groupId: settings.consumerGroup, topics: topics, deadLetters: producer, retryPolicy: retry,
            // Each partition's records of a poll are one run for the dispatcher (one ledger
            // transaction and one changelog wait per step). Batches stay short all the same:
            // a member back at its poll sooner notices a rebalance sooner.
            maxBatchSize: 200, partitionsInParallel: true, rebalanceHooks: restorer.hooks, logger: logger,
            batchHandler: { records in await dispatcher.handle(records) })
        let requestsTopic = settings.kafka.topics.name(of: .notificationRequests)
        let releaser = ParkedReleaser(dispatcher: dispatcher, interval: options.parkedPoll, owned: {
            Set(consumer.assignedPartitions.filter { $0.topic == requestsTopic }.map(\.partition))
        }, logger: logger)
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.add(to: router, checks: [.database(pool), .broker(admin)], registry: registry)
        OperationalRoutes.addOutbox(to: router, writer: pool, relay: relay)
        NotificationAPI(ledger: ledger, templates: templates, dispatcher: dispatcher, releaser: releaser, logger: logger).addRoutes(to: router)
        let http = HTTPServer.makeApplication(router: router, settings: settings, logger: logger)
        let provisioner = TopicProvisioner(admin: admin, logger: logger)
        let maintenance = StoreMaintenance(writer: pool, configuration: options.maintenance, logger: logger)
        return [maintenance, provisioner, producer, relay, provisioner.afterProvisioning(tail), provisioner.afterProvisioning(consumer), releaser, http]
    }
}
