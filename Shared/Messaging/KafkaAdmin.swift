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
        self.client = try KafkaClient(kind: .producer, properties: configuration.producerProperties, logger: logger)
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
                try client.createTopics(names, partitions: partitions, replicationFactor: replication, timeoutMilliseconds: milliseconds)
            }
        }
        try result.get()
    }

    /// Proves the broker answers a metadata request.
    /// - Returns: the topic names it knows.
    /// - Throws: `KafkaError` `.broker` when it does not answer in time.
    public func topicNames(timeout: Duration = .seconds(2)) async throws(KafkaError) -> [String] {
        let client = self.client
        let milliseconds = Int32(clamping: timeout.milliseconds)
        let result: Result<[String], KafkaError> = await runBlocking(on: queue) {
            Result { () throws(KafkaError) in try client.fetchTopicNames(timeoutMilliseconds: milliseconds) }
        }
        return try result.get()
    }
}
