import Events

/// How a service reaches Kafka. One value per process, shared by its producer, consumers and admin.
///
/// Anything librdkafka understands can be passed through ``properties`` (SASL, TLS, tuning), so
/// the same binaries run against Tansu on loopback and a managed Kafka cluster.
public struct KafkaConfiguration: Sendable, Hashable {
    /// Comma-separated `host:port` list. Default: `127.0.0.1:9092`.
    public var bootstrapServers: String
    /// Identifies the process in broker logs and quotas. Default: `relance`.
    public var clientId: String
    /// Topic names with their prefix. Default prefix: `relance.`.
    public var topics: TopicCatalog
    /// Partitions of each topic the admin creates. Default: 6.
    public var partitions: Int
    /// Replication factor of each topic the admin creates. Default: 1 (use 3 on a cluster).
    public var replicationFactor: Int
    /// Consumer group session timeout. Default: 6 s (a group join on Tansu then takes ~3 s
    /// instead of ~23 s with librdkafka's 45 s).
    public var sessionTimeout: Duration
    /// How long the producer tries to deliver one record before reporting failure. Default: 30 s.
    public var deliveryTimeout: Duration
    /// Longest time a consumer may spend between two polls before the group considers it
    /// stuck and gives its partitions away (`max.poll.interval.ms`). The consumer polls after
    /// every batch (≤ 500 records) and keeps polling while a failing record backs off, so this
    /// bounds the time one batch of handler calls may take. Default: 5 min.
    public var maxPollInterval: Duration
    /// Longest final flush of the producer at shutdown; what is still undelivered then fails
    /// (the outbox keeps it for the next start). Keep it below the process's shutdown budget.
    /// Default: 5 s.
    public var shutdownFlushTimeout: Duration
    /// Extra librdkafka properties, applied last (they win). Default: none.
    public var properties: [String: String]

    public init(
        bootstrapServers: String = "127.0.0.1:9092",
        clientId: String = "relance",
        topics: TopicCatalog = TopicCatalog(),
        partitions: Int = 6,
        replicationFactor: Int = 1,
        sessionTimeout: Duration = .seconds(6),
        deliveryTimeout: Duration = .seconds(30),
        maxPollInterval: Duration = .seconds(300),
        shutdownFlushTimeout: Duration = .seconds(5),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.topics = topics
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.sessionTimeout = sessionTimeout
        self.deliveryTimeout = deliveryTimeout
        self.maxPollInterval = maxPollInterval
        self.shutdownFlushTimeout = shutdownFlushTimeout
        self.properties = properties
    }

    var commonProperties: [String: String] {
        [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientId,
        ]
    }

    /// Admin and metadata requests: connection and security settings only, nothing of the
    /// producer's (idempotence would make librdkafka fetch a producer id it never uses).
    /// Topic auto-creation is off: a metadata request about a missing catalog topic must not
    /// create it with the broker's default partition count (librdkafka allows it by default on
    /// producer-type handles, which admin clients are).
    var adminProperties: [String: String] {
        commonProperties.merging(["allow.auto.create.topics": "false"]) { $1 }.merging(properties) { $1 }
    }

    /// Idempotent, acks=all: a retried send is never written twice by the broker.
    var producerProperties: [String: String] {
        commonProperties.merging([
            "enable.idempotence": "true",
            "acks": "all",
            "linger.ms": "5",
            "batch.num.messages": "10000",
            "message.timeout.ms": String(deliveryTimeout.milliseconds),
        ]) { $1 }.merging(properties) { $1 }
    }

    /// Offsets are stored by us after the handler succeeded, then auto-committed; never before.
    func consumerProperties(groupId: String) -> [String: String] {
        commonProperties.merging([
            "group.id": groupId,
            "enable.auto.commit": "true",
            "auto.commit.interval.ms": "1000",
            "enable.auto.offset.store": "false",
            "auto.offset.reset": "earliest",
            "session.timeout.ms": String(sessionTimeout.milliseconds),
            "heartbeat.interval.ms": String(max(500, sessionTimeout.milliseconds / 3)),
            // librdkafka refuses a poll interval shorter than the session timeout.
            "max.poll.interval.ms": String(max(maxPollInterval.milliseconds, sessionTimeout.milliseconds)),
            "enable.partition.eof": "false",
            // Bound what librdkafka prefetches between the broker and us (back-pressure)...
            "queued.max.messages.kbytes": "16384",
            // ...and resume fetching 10 ms after the queue drains, not librdkafka's 1 s: with
            // the bound above a busy consumer otherwise stalls a second at a time (measured:
            // 0.27 of kcat's throughput with the default, 1.03 with this).
            "fetch.queue.backoff.ms": "10",
        ]) { $1 }.merging(properties) { $1 }
    }
}

extension Duration {
    /// Whole milliseconds, for librdkafka's `*.ms` properties.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
