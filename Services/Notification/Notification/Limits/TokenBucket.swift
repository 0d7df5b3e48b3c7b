import Synchronization

/// A token bucket: `rate` tokens a second, at most `capacity` saved up (one second's worth,
/// at least 1). A reservation takes its tokens at once, the balance going negative when
/// there are not enough: the caller waits until the balance is back to zero, so callers are
/// served in the order they reserved, at `rate` on average, in bursts of at most `capacity`.
public final class TokenBucket: Sendable {
    /// Tokens per second.
    public let rate: Double
    /// Most tokens saved up.
    public let capacity: Double
    let clock: RateClock
    private let state: Mutex<(tokens: Double, at: Duration)>

    /// - Parameters:
    ///   - rate: tokens per second, above 0.
    ///   - capacity: most tokens saved up. Default: max(1, rate).
    ///   - clock: the time read and slept on. The bucket starts full.
    public init(rate: Double, capacity: Double? = nil, clock: RateClock = .continuous) {
        self.rate = rate
        self.capacity = capacity ?? max(1, rate)
        self.clock = clock
        state = Mutex((self.capacity, clock.now()))
    }

    /// Takes `count` tokens now. - Returns: how long to wait before using them (zero when
    /// the bucket had them).
    public func reserve(_ count: Int) -> Duration {
        let now = clock.now()
        let rate = self.rate
        let capacity = self.capacity
        return state.withLock { state in
            let elapsed = now - state.at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.tokens = min(capacity, state.tokens + max(0, seconds) * rate)
            state.at = now
            state.tokens -= Double(count)
            guard state.tokens < 0 else { return .zero }
            return .nanoseconds(Int64((-state.tokens / rate * 1e9).rounded(.up)))
        }
    }

    /// Takes `count` tokens, waiting until they are due.
    public func acquire(_ count: Int) async {
        let wait = reserve(count)
        if wait > .zero { await clock.sleep(wait) }
    }
}
