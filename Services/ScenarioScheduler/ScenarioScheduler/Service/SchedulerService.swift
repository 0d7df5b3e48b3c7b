import Events
import Foundation
import GRDB
import Logging
import Messaging
import Prometheus
import ServiceKit
import ServiceLifecycle
import Storage

/// Assembles the scenario-scheduler process: its database and maintenance, producer, outbox
/// relay, the consumer of the customers, invoices, payments, notifications and collection-updates topics, the
/// ticker and the HTTP API, in start order.
public enum SchedulerService {
    /// The HTTP port when none is configured.
    public static let defaultPort = 8083

    /// What the process needs beyond ``ServiceSettings``.
    public struct Options: Sendable {
        /// Key `tick.interval`. Default: 30 s.
        public var tickInterval: Duration
        /// Keys `contact.cap` (2), `contact.window` (168h), `contact.cooldown` (48h),
        /// `freshness.business.days` (3; 0 = off), `partial.payment.grace.days` (7).
        public var policy: DunningPolicy
        /// Keys `creditor.name`, `creditor.iban`, `creditor.bic`, `creditor.reply.to`.
        public var creditor: CreditorDefaults
        /// Key `calendar` (`FR`, `FR-57`, `FR-67`, `FR-68`). Default: FR.
        public var calendar: String
        /// Key `dev.clock`: the development-only clock control. Default: false; refused
        /// unless `mode` is `development`.
        public var developmentClock: Bool
        public var maintenance: StoreMaintenance.Configuration

        public init(tickInterval: Duration = .seconds(30), policy: DunningPolicy = .init(), creditor: CreditorDefaults = .init(),
                    calendar: String = "FR", developmentClock: Bool = false, maintenance: StoreMaintenance.Configuration = .init()) {
            self.tickInterval = tickInterval
            self.policy = policy
            self.creditor = creditor
            self.calendar = calendar
            self.developmentClock = developmentClock
            self.maintenance = maintenance
        }

        /// Reads the options.
        /// - Throws: `ConfigurationError` naming the key.
        public init(reader: ConfigurationReader) throws {
            let mode = reader.string("mode", default: "production").lowercased()
            guard mode == "production" || mode == "development" else {
                throw ConfigurationError(key: "mode", reason: "use production (the default) or development")
            }
            let clock = try reader.bool("dev.clock", default: false)
            if clock && mode != "development" {
                throw ConfigurationError(key: "dev.clock", reason: "the clock control moves time for every customer; it is refused in production mode (set mode=development on a test stack only)")
            }
            var policy = DunningPolicy()
            policy.maxMessagesPerWindow = try reader.int("contact.cap", default: policy.maxMessagesPerWindow)
            guard policy.maxMessagesPerWindow >= 1 else { throw ConfigurationError(key: "contact.cap", reason: "at least 1 message per window") }
            policy.capWindow = try reader.duration("contact.window", default: policy.capWindow)
            policy.cooldown = try reader.duration("contact.cooldown", default: policy.cooldown)
            policy.freshnessBusinessDays = try reader.int("freshness.business.days", default: policy.freshnessBusinessDays)
            guard policy.freshnessBusinessDays >= 0 else {
                throw ConfigurationError(key: "freshness.business.days", reason: "0 (guard off) or a number of business days")
            }
            policy.partialPaymentGraceDays = try reader.int("partial.payment.grace.days", default: policy.partialPaymentGraceDays)
            let defaults = CreditorDefaults()
            let creditor = CreditorDefaults(
                legalName: reader.string("creditor.name", default: defaults.legalName), iban: reader.string("creditor.iban", default: defaults.iban),
                bic: reader.string("creditor.bic"), replyTo: reader.string("creditor.reply.to"))
            self.init(tickInterval: try reader.duration("tick.interval", default: .seconds(30)), policy: policy, creditor: creditor,
                      calendar: reader.string("calendar", default: "FR"), developmentClock: clock,
                      maintenance: try StoreMaintenance.Configuration(reader: reader))
        }
    }

    /// Builds the services of one scheduler process.
    ///
    /// The scheduler runs as one instance: its store is locked and the readiness check
    /// `sole-consumer` fails while another member of its consumer group holds partitions.
    /// - Throws: `StorageError`, database, calendar, Kafka configuration or topic errors.
    public static func makeServices(
        settings: ServiceSettings, options: Options = .init(), registry: PrometheusCollectorRegistry?, logger: Logger,
        clock: SchedulerClock? = nil
    ) throws -> [any Service] {
        let pool = try DatabaseOpener.open(directory: settings.dataDirectory, name: "scenario-scheduler", migrator: SchedulerDatabase.migrator)
        let producer = try Producer(configuration: settings.kafka, logger: logger)
        let admin = try KafkaAdmin(configuration: settings.kafka, logger: logger)
        let relay = OutboxRelay(writer: pool, producer: producer, topics: settings.kafka.topics, logger: logger)
        let dunningClock = try DunningClock(calendarCode: options.calendar)
        let database = try SchedulerDatabase(
            pool, source: settings.eventSource, clock: clock ?? SchedulerClock(adjustable: options.developmentClock),
            settings: .init(clock: dunningClock, policy: options.policy, creditor: options.creditor), onEventsWritten: { relay.notify() })
        let ticker = DunningTicker(database: database, interval: options.tickInterval, logger: logger)
        let topics = [Topic.customers, .invoices, .payments, .notifications, .collectionUpdates].map { settings.kafka.topics.name(of: $0) }
        let consumer = try Consumer(
            configuration: settings.kafka, groupId: settings.consumerGroup, topics: topics, deadLetters: producer,
            retryPolicy: settings.consumerRetryPolicy, logger: logger
        ) { record in
            let envelope = try CloudEvents.envelope(from: record)
            try await database.apply(envelope)
        }
        let storeMaintenance = StoreMaintenance(writer: pool, configuration: options.maintenance, logger: logger)
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.add(to: router, checks: [
            .database(pool), .broker(admin), .soleConsumer(consumer, topics: topics, admin: admin, group: settings.consumerGroup),
        ], registry: registry)
        OperationalRoutes.addOutbox(to: router, writer: pool, relay: relay)
        SchedulerAPI(database: database, logger: logger, wakeTicker: { ticker.wakeUp() }).addRoutes(to: router)
        let http = HTTPServer.makeApplication(router: router, settings: settings, logger: logger)
        let provisioner = TopicProvisioner(admin: admin, logger: logger)
        return [storeMaintenance, provisioner, producer, relay, provisioner.afterProvisioning(consumer), ticker, http]
    }
}
