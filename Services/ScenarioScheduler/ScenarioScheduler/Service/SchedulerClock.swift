import Foundation
import Synchronization

/// The scheduler's notion of now: the wall clock, plus an offset a development-only control
/// moves forward (the demo and the end-to-end tests go through 90 days in seconds). Every
/// decision reads it; nothing else in the service reads `Date()`.
public final class SchedulerClock: Sendable {
    private let base: @Sendable () -> Date
    private let offset = Mutex<TimeInterval>(0)
    /// Whether ``advance(by:)`` is allowed (key `dev.clock`, refused in production mode).
    public let isAdjustable: Bool

    public init(adjustable: Bool = false, base: @escaping @Sendable () -> Date = { Date() }) {
        self.isAdjustable = adjustable
        self.base = base
    }

    /// The current instant.
    public func now() -> Date { base().addingTimeInterval(offset.withLock { $0 }) }

    /// How far the clock was moved, in seconds.
    public var offsetSeconds: TimeInterval { offset.withLock { $0 } }

    /// Moves the clock forward.
    /// - Throws: ``SchedulerError/clockNotAdjustable`` unless the development clock is on.
    public func advance(by seconds: TimeInterval) throws(SchedulerError) {
        guard isAdjustable else { throw .clockNotAdjustable }
        guard seconds >= 0 else { throw .invalid("the clock only moves forward; give a positive number of days or seconds") }
        offset.withLock { $0 += seconds }
    }
}
