/// The failing record of each partition that is backing off: its offset, how many attempts
/// it had, and when to try again. Owned by one consumer's run loop.
struct PartitionBackoffs: Sendable {
    private struct Entry: Sendable {
        var offset: Int64
        var attempts: Int
        /// `nil` while the record is being processed; set when its partition is paused.
        var retryAt: ContinuousClock.Instant?
    }

    private var entries: [TopicPartition: Entry] = [:]

    /// Counts a failed attempt at the record at `offset`.
    /// - Returns: how many attempts that record has had, this one included.
    mutating func recordFailure(of partition: TopicPartition, at offset: Int64) -> Int {
        var entry = entries[partition].flatMap { $0.offset == offset ? $0 : nil } ?? Entry(offset: offset, attempts: 0)
        entry.attempts += 1
        entry.retryAt = nil
        entries[partition] = entry
        return entry.attempts
    }

    /// Marks the partition paused until `instant`.
    mutating func schedule(_ partition: TopicPartition, at instant: ContinuousClock.Instant) {
        entries[partition]?.retryAt = instant
    }

    /// Forgets the partition's failing record (it succeeded or was dead-lettered).
    mutating func clear(_ partition: TopicPartition) {
        entries[partition] = nil
    }

    /// Whether the partition is paused, waiting for its retry time.
    func isWaiting(_ partition: TopicPartition) -> Bool {
        entries[partition]?.retryAt != nil
    }

    /// The earliest retry time, if any partition is waiting.
    var nextDue: ContinuousClock.Instant? {
        entries.values.compactMap(\.retryAt).min()
    }

    /// Partitions whose retry time has come: they are to be resumed. Their attempt counts are
    /// kept, so the record's next failure counts on.
    mutating func takeDue(at now: ContinuousClock.Instant) -> [TopicPartition] {
        var due: [TopicPartition] = []
        for (partition, entry) in entries {
            guard let retryAt = entry.retryAt, retryAt <= now else { continue }
            entries[partition]?.retryAt = nil
            due.append(partition)
        }
        return due.sorted()
    }

    /// The state of one partition alone, for a task that processes that partition.
    func only(_ partition: TopicPartition) -> PartitionBackoffs {
        var subset = PartitionBackoffs()
        subset.entries[partition] = entries[partition]
        return subset
    }

    /// Takes back the state of one partition from a task's copy.
    mutating func replace(_ partition: TopicPartition, from other: PartitionBackoffs) {
        entries[partition] = other.entries[partition]
    }

    /// Drops partitions this member no longer owns: their new owner starts afresh.
    mutating func keepOnly(_ owned: Set<TopicPartition>) {
        entries = entries.filter { owned.contains($0.key) }
    }
}
