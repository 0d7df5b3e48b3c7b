import Events
import Foundation
import GRDB
import Logging
import Messaging
import Prometheus
import ServiceKit
import ServiceLifecycle
import Storage

/// Assembles the invoicing process: its database, producer, outbox relay, payments
/// consumer and HTTP API, in start order.
public enum InvoicingService {
    /// The HTTP port when none is configured.
    public static let defaultPort = 8081

    /// Builds the services of one invoicing process.
    /// - Parameters:
    ///   - now: the clock (injected so a demo can move through time).
    /// - Throws: database, Kafka configuration or topic errors.
    public static func makeServices(
        settings: ServiceSettings, api: InvoicingAPI.Configuration = .init(), registry: PrometheusCollectorRegistry?,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> [any Service] {
        let pool = try DatabaseOpener.open(directory: settings.dataDirectory, name: "invoicing", migrator: InvoicingDatabase.migrator)
        let producer = try Producer(configuration: settings.kafka, logger: logger)
        let admin = try KafkaAdmin(configuration: settings.kafka, logger: logger)
        let relay = OutboxRelay(writer: pool, producer: producer, topics: settings.kafka.topics, logger: logger)
        let database = try InvoicingDatabase(pool, source: settings.eventSource, now: now, onEventsWritten: { relay.notify() })
        let consumer = try Consumer(
            configuration: settings.kafka, groupId: settings.consumerGroup,
            topics: [settings.kafka.topics.name(of: .payments)], deadLetters: producer, logger: logger
        ) { record in
            let envelope = try CloudEvents.envelope(from: record)
            _ = try await database.applyPaymentEvent(envelope)
        }
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.add(to: router, checks: [.database(pool), .broker(admin)], registry: registry)
        InvoicingAPI(database: database, logger: logger, configuration: api).addRoutes(to: router)
        let http = HTTPServer.makeApplication(router: router, settings: settings, logger: logger)
        let provisioner = TopicProvisioner(admin: admin, logger: logger)
        return [provisioner, producer, relay, provisioner.afterProvisioning(consumer), http]
    }
}
