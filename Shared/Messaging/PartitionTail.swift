import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Follows every partition of a topic from its beginning, for as long as the process runs,
/// and hands each record to a synchronous handler in offset order per partition: how an
/// instance watches a changelog for the barriers other owners write (a fence), without
/// joining a group or committing anything.
public final class PartitionTail: Service, Sendable {
    private let client: KafkaClient
    private let partitions: [TopicPartition]
    private let handler: @Sendable (ConsumerRecord) -> Void
    private let logger: Logger
    private let pollQueue = DispatchQueue(label: "relance.kafka.tail.poll")
    private let stopping = Atomic<Bool>(false)

    /// - Parameters:
    ///   - partitionCount: the topic's partitions (0 to count − 1 are followed).
    ///   - handler: called on the tail's poll thread; keep it short.
    public init(configuration: KafkaConfiguration, topic: String, partitionCount: Int, logger: Logger,
                handler: @escaping @Sendable (ConsumerRecord) -> Void) throws(KafkaError) {
        var properties = configuration.consumerProperties(groupId: "relance-tail-\(UUID().uuidString.lowercased())")
        properties["enable.auto.commit"] = "false"
        // A fence waits on this tail: answer fetches quickly rather than batch them up.
        properties["fetch.wait.max.ms"] = "10"
        self.client = try KafkaClient(kind: .consumer, properties: properties, logger: logger)
        self.partitions = (0..<partitionCount).map { TopicPartition(topic: topic, partition: Int32($0)) }
        self.handler = handler
        self.logger = logger
    }

    public func run() async throws {
        try client.assignFromBeginning(partitions)
        let client = self.client
        let handler = self.handler
        await withTaskCancellationOrGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                let batch = await runBlocking(on: pollQueue) { client.pollBatch(maxRecords: 500, timeoutMilliseconds: 50) }
                for record in batch { handler(record) }
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .relaxed)
        }
        await runBlocking(on: pollQueue) { client.closeConsumer() }
    }
}
