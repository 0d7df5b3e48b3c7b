import Events

/// Per-channel send rates of this instance (keys `rate.email`, `rate.sms`, `rate.letter`:
/// messages per second; `rate.letter` counts letters and registered letters together, one
/// print-and-post provider). Per instance: with n instances the provider sees up to n times
/// the rate, so divide the provider's limit by the number of instances. A channel without a
/// rate is not limited.
public struct RateLimits: Sendable {
    let buckets: [String: TokenBucket]

    /// - Parameter rates: messages per second by channel (`email`, `sms`, `letter`).
    public init(rates: [String: Double], clock: RateClock = .continuous) {
        var buckets: [String: TokenBucket] = [:]
        for (channel, rate) in rates where rate > 0 { buckets[channel] = TokenBucket(rate: rate, clock: clock) }
        if let letter = buckets["letter"] { buckets["registeredLetter"] = letter }
        self.buckets = buckets
    }

    /// No limit on any channel.
    public static let none = RateLimits(rates: [:])

    /// The bucket of a channel; nil when it is not limited.
    func bucket(_ channel: NotificationChannel) -> TokenBucket? { buckets[channel.rawValue] }

    /// Most messages of a channel to hand over at once (a bucket's capacity), nil when unlimited.
    func burst(_ channel: NotificationChannel) -> Int? { bucket(channel).map { max(1, Int($0.capacity)) } }
}

extension RateLimits {
    /// Takes tokens of several channels, waiting until all are due.
    func acquire(_ tokens: [NotificationChannel: Int]) async {
        var wait = Duration.zero
        var clock: RateClock?
        for (channel, count) in tokens where count > 0 {
            guard let bucket = bucket(channel) else { continue }
            wait = max(wait, bucket.reserve(count))
            clock = bucket.clock
        }
        if wait > .zero, let clock { await clock.sleep(wait) }
    }
}
