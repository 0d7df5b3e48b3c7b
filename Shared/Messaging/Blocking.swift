import Dispatch

/// Runs a blocking librdkafka call on a dispatch queue so it never holds a thread of the
/// cooperative pool (Swift concurrency has only as many threads as cores).
func runBlocking<T: Sendable>(on queue: DispatchQueue, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        queue.async { continuation.resume(returning: body()) }
    }
}
