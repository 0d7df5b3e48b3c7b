import Events
import Foundation
import Logging
import Messaging

/// The settings every Relance service shares, read once at start by its `@main`.
///
/// All keys, with their environment and flag forms, are listed in `docs/operations.md`.
public struct ServiceSettings: Sendable {
    /// The service's name, used in logs, `ce_source` and its database file. Example: `invoicing`.
    public var serviceName: String
    /// Where the service keeps its SQLite database. Key `data.dir`. Default: `.data/<service>`.
    public var dataDirectory: URL
    /// HTTP listen address. Key `http.host`. Default: `127.0.0.1`.
    public var httpHost: String
    /// HTTP listen port. Key `http.port`. Default: per service.
    public var httpPort: Int
    /// Accepted API keys. Key `api.keys` (comma-separated). Default: none.
    public var apiKeys: [String]
    /// Whether requests need an API key. Key `auth.enabled`. Default: true.
    public var authenticationEnabled: Bool
    /// Log output: `human` or `json` (one object per line). Key `log.format`. Default: `human`.
    public var logFormat: LogFormat
    /// Minimum level logged. Key `log.level`. Default: `info`.
    public var logLevel: Logger.Level
    /// Kafka connection. Keys `kafka.brokers` (default `127.0.0.1:9092`), `kafka.client.id`,
    /// `kafka.topic.prefix` (default `relance.`), `kafka.partitions` (default 6),
    /// `kafka.replication.factor` (default 1), `kafka.session.timeout` (default 6s),
    /// `kafka.delivery.timeout` (default 30s), and `kafka.property.<librdkafka name>`
    /// pass-through (e.g. `RELANCE_KAFKA_PROPERTY_SASL_MECHANISMS=PLAIN`).
    public var kafka: KafkaConfiguration
    /// Consumer group of this service. Key `kafka.group`. Default: `relance-<service>`.
    public var consumerGroup: String
    /// Transient handler failures: keys `consumer.retry.initial` (default 100ms),
    /// `consumer.retry.max` (default 30s) and `consumer.retry.attempts` (default 10; then
    /// the record goes to `<topic>.dlq`).
    public var consumerRetryPolicy: RetryPolicy
    /// Longest graceful shutdown before the process gives up. Key `shutdown.timeout`. Default: 10s.
    public var shutdownTimeout: Duration

    /// Log line formats.
    public enum LogFormat: String, Sendable {
        case human, json
    }

    /// Reads the settings for a service.
    /// - Parameters:
    ///   - serviceName: the service's name.
    ///   - defaultPort: its HTTP port when none is configured.
    /// - Throws: `ConfigurationError` for a malformed or inconsistent value.
    public init(serviceName: String, defaultPort: Int, reader: ConfigurationReader) throws(ConfigurationError) {
        self.serviceName = serviceName
        dataDirectory = URL(fileURLWithPath: reader.string("data.dir", default: ".data/\(serviceName)"))
        httpHost = reader.string("http.host", default: "127.0.0.1")
        httpPort = try reader.int("http.port", default: defaultPort)
        apiKeys = reader.list("api.keys")
        authenticationEnabled = try reader.bool("auth.enabled", default: true)
        guard let format = LogFormat(rawValue: reader.string("log.format", default: "human").lowercased()) else {
            throw ConfigurationError(key: "log.format", reason: "use human or json")
        }
        logFormat = format
        guard let level = Logger.Level(rawValue: reader.string("log.level", default: "info").lowercased()) else {
            throw ConfigurationError(key: "log.level", reason: "use trace, debug, info, notice, warning, error or critical")
        }
        logLevel = level
        kafka = KafkaConfiguration(
            bootstrapServers: reader.string("kafka.brokers", default: "127.0.0.1:9092"),
            clientId: reader.string("kafka.client.id", default: "relance-\(serviceName)"),
            topics: TopicCatalog(prefix: reader.string("kafka.topic.prefix", default: "relance.")),
            partitions: try reader.int("kafka.partitions", default: 6),
            replicationFactor: try reader.int("kafka.replication.factor", default: 1),
            sessionTimeout: try reader.duration("kafka.session.timeout", default: .seconds(6)),
            deliveryTimeout: try reader.duration("kafka.delivery.timeout", default: .seconds(30)),
            maxPollInterval: try reader.duration("kafka.max.poll.interval", default: .seconds(300)),
            properties: reader.values(withPrefix: "kafka.property.")
        )
        consumerGroup = reader.string("kafka.group", default: "relance-\(serviceName)")
        let attempts = try reader.int("consumer.retry.attempts", default: 10)
        guard attempts >= 1 else {
            throw ConfigurationError(key: "consumer.retry.attempts", reason: "must be at least 1 (1 = dead-letter at the first failure)")
        }
        consumerRetryPolicy = RetryPolicy(
            initialDelay: try reader.duration("consumer.retry.initial", default: .milliseconds(100)),
            maximumDelay: try reader.duration("consumer.retry.max", default: .seconds(30)),
            maxAttempts: attempts)
        shutdownTimeout = try reader.duration("shutdown.timeout", default: .seconds(10))
        // The producer's final flush gets half the shutdown budget, so the other services
        // (HTTP, consumers, relay) still have time to stop within it.
        kafka.shutdownFlushTimeout = shutdownTimeout / 2
        if authenticationEnabled && apiKeys.isEmpty {
            throw ConfigurationError(key: "api.keys", reason: "authentication is on but no API key is configured; set one or more keys, or set RELANCE_AUTH_ENABLED=false for a local trial")
        }
    }

    /// The CloudEvents `ce_source` of this service's events, e.g. `/relance/invoicing`.
    public var eventSource: String { "/relance/\(serviceName)" }
}
