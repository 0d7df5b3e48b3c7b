import Dispatch
import Events
import Logging

/// Topic administration and broker reachability.
public final class KafkaAdmin: Sendable {
    private let client: KafkaClient
    private let configuration: KafkaConfiguration
    private let queue = DispatchQueue(label: "relance.kafka.admin")

    /// - Throws: `KafkaError` `.configuration` for a refused pass-through property.
    public init(configuration: KafkaConfiguration, logger: Logger) throws(KafkaError) {
        self.configuration = configuration
        self.client = try KafkaClient(kind: .admin, properties: configuration.adminProperties, logger: logger)
    }

    /// Creates every topic of the catalog and its `.dlq`, with the configured partitions and
    /// replication factor. Topics that exist already are left as they are.
    /// - Throws: `KafkaError` `.admin` or `.broker`.
    public func createTopicCatalog(timeout: Duration = .seconds(10)) async throws(KafkaError) {
        try await createTopics(configuration.topics.allNames, timeout: timeout)
    }

    /// Creates topics (idempotent), with the configured partitions and replication factor.
    /// - Throws: `KafkaError` `.admin` or `.broker`.
    public func createTopics(_ names: [String], partitions: Int? = nil, timeout: Duration = .seconds(10)) async throws(KafkaError) {
        let client = self.client
        let partitions = partitions ?? configuration.partitions
        let replication = configuration.replicationFactor
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let result: Result<Void, KafkaError> = await runBlocking(on: queue) {
            Result { () throws(KafkaError) in
                // Serve the logs and errors queued meanwhile: nobody else polls this client.
                defer { client.drainEvents() }
                try client.createTopics(names, partitions: partitions, replicationFactor: replication, timeoutMilliseconds: milliseconds)
            }
        }
        try result.get()
    }

    /// Proves the broker answers a metadata request, asking about the catalog's topics only
    /// (a cluster may hold thousands of others).
    /// - Returns: the catalog's topic names (with their `.dlq`) that exist.
    /// - Throws: `KafkaError` `.broker` when it does not answer in time.
    public func topicNames(timeout: Duration = .seconds(2)) async throws(KafkaError) -> [String] {
        let client = self.client
        let topics = configuration.topics.allNames
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let result: Result<[String], KafkaError> = await runBlocking(on: queue) {
            Result { () throws(KafkaError) in
                defer { client.drainEvents() }
                return try client.fetchPartitionCounts(among: topics, timeoutMilliseconds: milliseconds).keys.sorted()
            }
        }
        return try result.get()
    }

    /// The number of partitions of each of `topics` that exists.
    /// - Throws: `KafkaError` `.broker` when the broker does not answer in time.
    public func partitionCounts(of topics: [String], timeout: Duration = .seconds(2)) async throws(KafkaError) -> [String: Int] {
        let client = self.client
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let result: Result<[String: Int], KafkaError> = await runBlocking(on: queue) {
            Result { () throws(KafkaError) in
                defer { client.drainEvents() }
                return try client.fetchPartitionCounts(among: topics, timeoutMilliseconds: milliseconds)
            }
        }
        return try result.get()
    }

    /// Events and requests waiting in the admin client's queues (logs, errors): stays near
    /// zero because every request drains them.
    var queuedEventCount: Int { Int(client.queuedEventCount) }
}
