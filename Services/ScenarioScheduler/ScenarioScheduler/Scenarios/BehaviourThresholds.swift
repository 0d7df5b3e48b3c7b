/// The three figures' thresholds of one tightening level; integers so comparisons are exact.
public struct BehaviourThresholds: Sendable, Hashable, Codable {
    /// Average days late, in tenths of a day (150 = 15.0 days).
    public var averageDaysLateTenths: Int
    /// Share of invoices late, in basis points (4,000 = 40%).
    public var shareLateBasisPoints: Int
    /// Broken promises to pay.
    public var brokenPromises: Int

    /// Creates thresholds.
    public init(averageDaysLateTenths: Int, shareLateBasisPoints: Int, brokenPromises: Int) {
        self.averageDaysLateTenths = averageDaysLateTenths
        self.shareLateBasisPoints = shareLateBasisPoints
        self.brokenPromises = brokenPromises
    }
}
