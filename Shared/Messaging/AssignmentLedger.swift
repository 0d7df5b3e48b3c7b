/// Which partitions a consumer-group member owns, and since which rebalance.
///
/// librdkafka runs the rebalance callback inside `rd_kafka_consumer_poll`, and a poll that
/// serves a rebalance may return no message at all. Records gathered into a batch before that
/// poll can belong to a partition that was revoked, or revoked and assigned again (eager
/// protocol): in both cases the group's next owner of the partition, perhaps this member,
/// restarts from the committed offset, so handing those records over would process them
/// twice (and out of order). Each record is therefore tagged with the generation at which it
/// was read, and kept only if its partition has been owned without interruption since.
struct AssignmentLedger: Sendable, Equatable {
    /// Bumped by every assignment change.
    private(set) var generation = 0
    /// Owned partitions, with the generation at which each was (last) assigned.
    private var assignedAt: [TopicPartition: Int] = [:]

    /// The partitions owned now.
    var owned: Set<TopicPartition> { Set(assignedAt.keys) }

    /// Records newly assigned partitions.
    mutating func assign(_ partitions: [TopicPartition]) {
        generation += 1
        for partition in partitions {
            assignedAt[partition] = generation
        }
    }

    /// Records revoked (or lost) partitions; `all` for the eager protocol, which revokes the
    /// whole assignment whatever the list says.
    mutating func revoke(_ partitions: [TopicPartition], all: Bool) {
        generation += 1
        if all {
            assignedAt.removeAll()
        } else {
            for partition in partitions {
                assignedAt[partition] = nil
            }
        }
    }

    /// Whether a record of `partition` read at `generation` may still be processed: the
    /// partition is owned and was not (re)assigned after the record was read.
    func stillOwns(_ partition: TopicPartition, readAt generation: Int) -> Bool {
        guard let since = assignedAt[partition] else { return false }
        return since <= generation
    }
}
