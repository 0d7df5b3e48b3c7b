/// The monotonic time a ``TokenBucket`` reads and sleeps on: injected, so tests move it by hand.
public struct RateClock: Sendable {
    /// Time elapsed since an arbitrary origin.
    public var now: @Sendable () -> Duration
    /// Waits that long (or less when cancelled).
    public var sleep: @Sendable (Duration) async -> Void

    public init(now: @escaping @Sendable () -> Duration, sleep: @escaping @Sendable (Duration) async -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// `ContinuousClock`.
    public static var continuous: RateClock {
        let origin = ContinuousClock.now
        return RateClock(now: { ContinuousClock.now - origin }, sleep: { try? await Task.sleep(for: $0) })
    }
}
