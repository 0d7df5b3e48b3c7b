import Synchronization

/// Counts the delivery reports of a batch of produced records and wakes the waiting sender
/// once every record is acknowledged or failed.
final class DeliveryTracker: Sendable {
    private struct State {
        var remaining: Int
        var firstError: KafkaError?
        var continuation: CheckedContinuation<KafkaError?, Never>?
        var cancelled = false
    }

    private let state: Mutex<State>

    init(expecting count: Int) {
        state = Mutex(State(remaining: count))
    }

    /// Records one delivery report (or one record that was never enqueued).
    func complete(_ error: KafkaError?, count: Int = 1) {
        let continuation: CheckedContinuation<KafkaError?, Never>?
        let result: KafkaError?
        (continuation, result) = state.withLock { state in
            state.remaining -= count
            if state.firstError == nil { state.firstError = error }
            guard state.remaining <= 0, let waiting = state.continuation else { return (nil, nil) }
            state.continuation = nil
            return (waiting, state.firstError)
        }
        continuation?.resume(returning: result)
    }

    /// Whether every record is reported, and the first failure; for a blocking sender that
    /// polls the producer itself.
    var outcome: (done: Bool, error: KafkaError?) { state.withLock { ($0.remaining <= 0, $0.firstError) } }

    /// Suspends until every record is reported, or the task is cancelled.
    /// - Returns: the first failure, if any; a `.cancelled` error when the wait was cancelled
    ///   (reports arriving later are counted and ignored).
    func wait() async -> KafkaError? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready: KafkaError?? = state.withLock { state in
                    if state.remaining <= 0 { return .some(state.firstError) }
                    if state.cancelled { return .some(KafkaError(.cancelled, "stopped waiting for delivery reports: task cancelled")) }
                    state.continuation = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiting = state.withLock { state -> CheckedContinuation<KafkaError?, Never>? in
                state.cancelled = true
                defer { state.continuation = nil }
                return state.continuation
            }
            waiting?.resume(returning: KafkaError(.cancelled, "stopped waiting for delivery reports: task cancelled"))
        }
    }
}
