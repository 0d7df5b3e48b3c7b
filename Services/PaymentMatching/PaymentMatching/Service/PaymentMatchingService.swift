import Events
import Foundation
import GRDB
import Logging
import Messaging
import Prometheus
import ServiceKit
import ServiceLifecycle
import Storage

/// Assembles the payment-matching process: its database and maintenance, producer, outbox
/// relay, the consumer keeping its projection of the ledger (customers and invoices topics),
/// the HTTP API and, when configured, the statement folder watcher, in start order.
public enum PaymentMatchingService {
    /// The HTTP port when none is configured.
    public static let defaultPort = 8082

    /// What the process needs beyond ``ServiceSettings``.
    public struct Options: Sendable {
        public var api: PaymentMatchingAPI.Configuration
        public var policy: MatchingPolicy
        /// The folder watched for bank files (key `statement.watch.dir`); none when nil.
        public var watchDirectory: URL?
        /// Key `statement.watch.interval`. Default: 5 s.
        public var watchInterval: Duration
        public var maintenance: StoreMaintenance.Configuration

        public init(
            api: PaymentMatchingAPI.Configuration = .init(), policy: MatchingPolicy = .init(), watchDirectory: URL? = nil,
            watchInterval: Duration = .seconds(5), maintenance: StoreMaintenance.Configuration = .init()
        ) {
            self.api = api
            self.policy = policy
            self.watchDirectory = watchDirectory
            self.watchInterval = watchInterval
            self.maintenance = maintenance
        }

        /// Reads the API limits, `matching.threshold`, `matching.margin`,
        /// `matching.short.tolerance`, `statement.watch.dir`, `statement.watch.interval` and the
        /// store maintenance keys.
        /// - Throws: `ConfigurationError` naming the key.
        public init(reader: ConfigurationReader) throws {
            let defaults = MatchingPolicy()
            let threshold = try reader.int("matching.threshold", default: defaults.autoAllocationThreshold)
            guard (1...100).contains(threshold) else {
                throw ConfigurationError(key: "matching.threshold", reason: "give a score from 1 to 100 (default 90)")
            }
            let margin = try reader.int("matching.margin", default: defaults.clearMargin)
            guard (0...100).contains(margin) else {
                throw ConfigurationError(key: "matching.margin", reason: "give a number of points from 0 to 100 (default 5)")
            }
            let tolerance = try reader.int("matching.short.tolerance", default: Int(defaults.defaultShortPaymentTolerance))
            guard tolerance >= 0 else {
                throw ConfigurationError(key: "matching.short.tolerance", reason: "give minor units, 0 or more (100 is 1.00 EUR)")
            }
            var policy = defaults
            policy.autoAllocationThreshold = threshold
            policy.clearMargin = margin
            policy.defaultShortPaymentTolerance = Int64(tolerance)
            self.init(
                api: try PaymentMatchingAPI.Configuration(reader: reader), policy: policy,
                watchDirectory: reader.string("statement.watch.dir").map { URL(fileURLWithPath: $0, isDirectory: true) },
                watchInterval: try reader.duration("statement.watch.interval", default: .seconds(5)),
                maintenance: try StoreMaintenance.Configuration(reader: reader))
        }
    }

    /// Builds the services of one payment-matching process.
    ///
    /// Payment matching runs as one instance: its store is locked (`<data.dir>/payment-matching.lock`)
    /// and its projection must see every partition of the customers and invoices topics; the
    /// readiness check `sole-consumer` fails while another member of its consumer group holds some.
    /// - Throws: `StorageError` (data directory unusable or in use), database, Kafka
    ///   configuration or topic errors.
    public static func makeServices(
        settings: ServiceSettings, options: Options = .init(), registry: PrometheusCollectorRegistry?, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> [any Service] {
        let pool = try DatabaseOpener.open(directory: settings.dataDirectory, name: "payment-matching", migrator: PaymentMatchingDatabase.migrator)
        let producer = try Producer(configuration: settings.kafka, logger: logger)
        let admin = try KafkaAdmin(configuration: settings.kafka, logger: logger)
        let relay = OutboxRelay(writer: pool, producer: producer, topics: settings.kafka.topics, logger: logger)
        let database = try PaymentMatchingDatabase(
            pool, source: settings.eventSource, policy: options.policy, now: now, onEventsWritten: { relay.notify() })
        let topics = [settings.kafka.topics.name(of: .customers), settings.kafka.topics.name(of: .invoices)]
        let consumer = try Consumer(
            configuration: settings.kafka, groupId: settings.consumerGroup, topics: topics, deadLetters: producer,
            retryPolicy: settings.consumerRetryPolicy, logger: logger
        ) { record in
            let envelope = try CloudEvents.envelope(from: record)
            _ = try await database.applyLedgerEvent(envelope)
        }
        let storeMaintenance = StoreMaintenance(writer: pool, configuration: options.maintenance, logger: logger)
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.add(to: router, checks: [
            .database(pool), .broker(admin), .soleConsumer(consumer, topics: topics, admin: admin, group: settings.consumerGroup),
        ], registry: registry)
        OperationalRoutes.addOutbox(to: router, writer: pool, relay: relay)
        PaymentMatchingAPI(database: database, logger: logger, configuration: options.api).addRoutes(to: router)
        let http = HTTPServer.makeApplication(router: router, settings: settings, logger: logger)
        let provisioner = TopicProvisioner(admin: admin, logger: logger)
        var services: [any Service] = [storeMaintenance, provisioner, producer, relay, provisioner.afterProvisioning(consumer), http]
        if let directory = options.watchDirectory {
            services.append(StatementFolderWatcher(
                directory: directory, interval: options.watchInterval, database: database, configuration: options.api, logger: logger))
        }
        return services
    }
}
