import Synchronization

/// One holder at a time per partition, waiting in turn: the consumer's batch and the parked
/// releaser never handle commands of one partition at the same time (both may look at the
/// same id).
final class PartitionLocks: Sendable {
    /// A locked partition's waiters, in order; an unlocked partition has no key.
    private let state = Mutex<[Int32: [CheckedContinuation<Void, Never>]]>([:])

    /// Runs `body` holding the partition's lock.
    func withLock<T: Sendable>(_ partition: Int32, _ body: () async throws -> T) async rethrows -> T {
        await acquire(partition)
        defer { release(partition) }
        return try await body()
    }

    private func acquire(_ partition: Int32) async {
        await withCheckedContinuation { continuation in
            let free = state.withLock { state -> Bool in
                guard state[partition] != nil else {
                    state[partition] = []
                    return true
                }
                state[partition, default: []].append(continuation)
                return false
            }
            if free { continuation.resume() }
        }
    }

    private func release(_ partition: Int32) {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard var waiters = state[partition], !waiters.isEmpty else {
                state[partition] = nil
                return nil
            }
            let next = waiters.removeFirst()
            state[partition] = waiters
            return next
        }
        next?.resume()
    }
}
