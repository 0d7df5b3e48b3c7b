import Foundation
import Logging
import Messaging

/// Reads a topic from the beginning with a fresh consumer group until `count` records arrived
/// (or the timeout passed), then returns what it read.
public func readTopic(
    _ topic: String, configuration: KafkaConfiguration, atLeast count: Int, timeout: Duration = .seconds(30)
) async throws -> [ConsumerRecord] {
    let logger = Logger(label: "relance.tests.reader")
    let producer = try Producer(configuration: configuration, logger: logger)
    let records = Collected<ConsumerRecord>()
    let consumer = try Consumer(
        configuration: configuration, groupId: TestNames.unique("reader"), topics: [topic],
        deadLetters: producer, logger: logger
    ) { await records.append($0) }
    _ = try await withRunningServices([producer, consumer]) {
        await eventually(timeout: timeout) { await records.count >= count }
    }
    return await records.items
}
