/// What a consumer does when the group gives it partitions or takes them away, for state that
/// must follow a partition (a changelog-backed store, as Kafka Streams keeps it).
///
/// Both run synchronously on the consumer's poll thread, inside the poll that serves the
/// rebalance: ``assigned`` finishes before any record of the new partitions reaches the
/// handler (restore the partitions' state there, up to the changelog's end); ``revoked``
/// finishes before the partitions are released to their next owner (stop and forget their
/// work there). Keep them well under `kafka.max.poll.interval` and the session timeout.
public struct RebalanceHooks: Sendable {
    /// Partitions newly owned.
    public var assigned: @Sendable ([TopicPartition]) -> Void
    /// Partitions about to be given up (revoked, or lost after a session timeout).
    public var revoked: @Sendable ([TopicPartition]) -> Void

    public init(assigned: @escaping @Sendable ([TopicPartition]) -> Void, revoked: @escaping @Sendable ([TopicPartition]) -> Void) {
        self.assigned = assigned
        self.revoked = revoked
    }
}
