import Dispatch
import Foundation
import Synchronization

/// Runs a pure transformation over chunks of work on the other cores while the calling
/// thread consumes the results in order: the tick plans (and encodes) customers in parallel
/// while its one writer writes those already planned, inside the same transaction.
///
/// The results are those of running `transform` on each chunk in order on one thread: each
/// chunk is transformed alone, and ``result(_:)`` hands them back in submission order. A
/// chunk's error is rethrown when that chunk is consumed, as a sequential loop would throw it.
final class PlanningPipeline<Input: Sendable, Output: Sendable>: Sendable {
    private let transform: @Sendable (Input) throws -> Output
    private let parallel: Bool
    private let slots = Mutex<[Result<Output, any Error>?]>([])
    private let ready = Mutex<[DispatchSemaphore]>([])

    /// - Parameters:
    ///   - parallel: false: ``submit(_:)`` transforms the chunk at once, on the caller's thread.
    ///   - transform: Pure work for one chunk (no database access).
    init(parallel: Bool = true, _ transform: @escaping @Sendable (Input) throws -> Output) {
        self.parallel = parallel
        self.transform = transform
    }

    /// Starts transforming a chunk on a global queue.
    /// - Returns: Its index for ``result(_:)``.
    func submit(_ input: Input) -> Int {
        let semaphore = DispatchSemaphore(value: 0)
        let index = slots.withLock { slots in
            slots.append(nil)
            return slots.count - 1
        }
        ready.withLock { $0.append(semaphore) }
        guard parallel else {
            let result = Result<Output, any Error> { try transform(input) }
            slots.withLock { $0[index] = result }
            semaphore.signal()
            return index
        }
        // Dispatch, not tasks: the caller is inside GRDB's synchronous write closure, on its
        // writer queue, and must block there until a chunk is ready.
        DispatchQueue.global().async {
            let result = Result<Output, any Error> { try self.transform(input) }
            self.slots.withLock { $0[index] = result }
            semaphore.signal()
        }
        return index
    }

    /// Waits for a chunk submitted earlier and returns its output.
    /// - Throws: What `transform` threw for that chunk.
    func result(_ index: Int) throws -> Output {
        let semaphore = ready.withLock { $0[index] }
        semaphore.wait()
        // Open for good: asking again finds the slot empty and throws instead of waiting forever.
        semaphore.signal()
        let result = slots.withLock { slots in
            // Hand the output over and drop it here: a batch's plans are not kept twice.
            defer { slots[index] = nil }
            return slots[index]
        }
        guard let result else { throw ConsumedTwice(index: index) }
        return try result.get()
    }

    /// A chunk's result was asked for twice: a defect of the caller.
    struct ConsumedTwice: Error, CustomStringConvertible {
        var index: Int
        var description: String { "planning pipeline: chunk \(index) was consumed twice" }
    }
}
