import Foundation
import Logging
import Messaging

/// The consumer's rebalance hooks for the ledger: on assignment, the ledger of the new
/// partitions is rebuilt from the changelog, read to its end, before any command of them is
/// handled; on revocation it is forgotten. (Commands are handled one batch at a time and a
/// rebalance runs between batches, so no send is in flight when a partition is revoked.)
public struct LedgerRestorer: Sendable {
    let ledger: NotificationLedger
    let changelogTopic: String
    let configuration: KafkaConfiguration
    let logger: Logger
    let fence: LedgerFence?

    public init(ledger: NotificationLedger, changelogTopic: String, configuration: KafkaConfiguration, fence: LedgerFence? = nil, logger: Logger) {
        self.ledger = ledger
        self.fence = fence
        self.changelogTopic = changelogTopic
        self.configuration = configuration
        self.logger = logger
    }

    public var hooks: RebalanceHooks {
        RebalanceHooks(assigned: { partitions in self.restore(partitions.map(\.partition)) },
                       revoked: { partitions in self.forget(partitions.map(\.partition)) })
    }

    /// Restores, retrying while the broker does not answer: no command of these partitions
    /// may be handled from a ledger that is not restored.
    func restore(_ partitions: [Int32]) {
        let started = ContinuousClock.now
        for attempt in 1... {
            do {
                var latest: [String: LedgerEntry] = [:]
                // The barrier is this instance's claim on the partitions (see LedgerFence).
                let barrier = UUID().uuidString.lowercased()
                for partition in partitions { fence?.claim(partition, barrier: barrier) }
                let read = try PartitionReader.readToEnd(
                    partitions.map { TopicPartition(topic: changelogTopic, partition: $0) }, configuration: configuration, logger: logger,
                    barrier: barrier
                ) { record in
                    guard let entry = try? NotificationLedger.decoder.decode(LedgerEntry.self, from: record.value) else { return }
                    latest[entry.notificationId] = entry
                }
                try ledger.restore(partitions: partitions, entries: Array(latest.values))
                logger.info("ledger restored from the changelog", metadata: [
                    "relance.partitions": "\(partitions.sorted())", "relance.changelog.records": "\(read)",
                    "relance.ledger.entries": "\(latest.count)", "relance.duration": "\(ContinuousClock.now - started)",
                ])
                return
            } catch {
                logger.error("ledger restore failed; retrying", metadata: ["relance.partitions": "\(partitions.sorted())", "relance.error": "\(error)", "relance.attempt": "\(attempt)"])
                Thread.sleep(forTimeInterval: min(5, 0.2 * Double(attempt)))
            }
        }
    }

    func forget(_ partitions: [Int32]) {
        for partition in partitions { fence?.release(partition) }
        do {
            try ledger.forget(partitions: partitions)
        } catch {
            logger.error("could not forget the ledger of revoked partitions", metadata: ["relance.partitions": "\(partitions.sorted())", "relance.error": "\(error)"])
        }
    }
}
