import Events
import Foundation
import GRDB
import Logging
import Messaging
import Prometheus
import ServiceKit
import ServiceLifecycle
import Storage

/// Assembles the invoicing process: its database and its maintenance, producer, outbox relay,
/// payments consumer and HTTP API, in start order.
public enum InvoicingService {
    /// The HTTP port when none is configured.
    public static let defaultPort = 8081

    /// Builds the services of one invoicing process.
    ///
    /// Opening the store locks it (`<data.dir>/invoicing.lock`): a second process on the same
    /// data directory fails here, before serving anything. Invoicing runs as one instance.
    /// - Parameters:
    ///   - payee: the creditor `invoice.issued` names (key `payee.*`; ``Payee/demo`` when unset).
    ///   - maintenance: inbox and outbox retentions and the maintenance interval.
    ///   - now: the clock (injected so a demo can move through time).
    /// - Throws: `StorageError` (data directory unusable or in use), database, Kafka
    ///   configuration or topic errors.
    public static func makeServices(
        settings: ServiceSettings, api: InvoicingAPI.Configuration = .init(), payee: Payee = .demo,
        maintenance: StoreMaintenance.Configuration = .init(), registry: PrometheusCollectorRegistry?,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> [any Service] {
        let pool = try DatabaseOpener.open(directory: settings.dataDirectory, name: "invoicing", migrator: InvoicingDatabase.migrator)
        let producer = try Producer(configuration: settings.kafka, logger: logger)
        let admin = try KafkaAdmin(configuration: settings.kafka, logger: logger)
        let relay = OutboxRelay(writer: pool, producer: producer, topics: settings.kafka.topics, logger: logger)
        let database = try InvoicingDatabase(pool, source: settings.eventSource, now: now, onEventsWritten: { relay.notify() }, payee: payee)
        if payee == .demo {
            logger.warning("no payee.legal.name / payee.iban configured: invoice.issued names the fictitious demo creditor; configure the real one before issuing invoices", metadata: [
                "relance.payee.iban": "\(payee.iban)",
            ])
        }
        let consumer = try Consumer(
            configuration: settings.kafka, groupId: settings.consumerGroup,
            topics: [settings.kafka.topics.name(of: .payments)], deadLetters: producer,
            retryPolicy: settings.consumerRetryPolicy, logger: logger
        ) { record in
            let envelope = try CloudEvents.envelope(from: record)
            _ = try await database.applyPaymentEvent(envelope)
        }
        if maintenance.inboxRetention < .seconds(7 * 86_400) {
            logger.warning("inbox.retention is shorter than Kafka's default topic retention (7 days): a payment event replayed after its id was purged would be applied twice unless the topics keep less", metadata: [
                "relance.inbox.retention": "\(maintenance.inboxRetention)",
            ])
        }
        let storeMaintenance = StoreMaintenance(writer: pool, configuration: maintenance, logger: logger)
        let router = HTTPServer.makeRouter(settings: settings)
        OperationalRoutes.add(to: router, checks: [.database(pool), .broker(admin)], registry: registry)
        OperationalRoutes.addOutbox(to: router, writer: pool, relay: relay)
        InvoicingAPI(database: database, logger: logger, configuration: api).addRoutes(to: router)
        let http = HTTPServer.makeApplication(router: router, settings: settings, logger: logger)
        let provisioner = TopicProvisioner(admin: admin, logger: logger)
        let sweeper = QuoteExpirySweeper(database: database, interval: api.quoteExpiryInterval, logger: logger)
        return [storeMaintenance, provisioner, producer, relay, provisioner.afterProvisioning(consumer), sweeper, http]
    }
}
