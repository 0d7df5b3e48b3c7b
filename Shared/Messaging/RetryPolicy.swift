/// Capped exponential backoff for transient failures, with a bounded number of attempts.
public struct RetryPolicy: Sendable, Hashable {
    /// Most attempts at one unit of work (the first included) before giving up; for a
    /// consumer, giving up means dead-lettering the record. Default: 10 (with the default
    /// delays, about 80 s of retries).
    public var maxAttempts: Int
    /// First delay. Default: 100 ms.
    public var initialDelay: Duration
    /// Longest delay between two attempts. Default: 30 s.
    public var maximumDelay: Duration

    public init(initialDelay: Duration = .milliseconds(100), maximumDelay: Duration = .seconds(30), maxAttempts: Int = 10) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The delay before attempt `attempt + 1` (attempt counts from 1).
    public func delay(afterAttempt attempt: Int) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) {
            delay *= 2
            if delay >= maximumDelay { return maximumDelay }
        }
        return min(delay, maximumDelay)
    }
}
