import Foundation

/// The scheduler's tunables: contact cap, freshness guard, re-anchoring. Read from the
/// configuration by ``SchedulerService/Options``.
public struct DunningPolicy: Sendable, Hashable {
    /// At most this many messages per customer per rolling ``capWindow``. Default: 2.
    public var maxMessagesPerWindow: Int
    /// The rolling window of the cap. Default: 7 days.
    public var capWindow: Duration
    /// At least this long between two messages to a customer. Default: 2 days.
    public var cooldown: Duration
    /// Automatic reminders hold while the newest bank statement imported is older than this
    /// many business days (the payment may be sitting unread in the bank); 0 turns the guard
    /// off. Default: 3.
    public var freshnessBusinessDays: Int
    /// How often a held or waiting invoice is looked at again. Default: 1 hour.
    public var recheck: Duration
    /// After a partial payment, no step before this many days. Default: 7.
    public var partialPaymentGraceDays: Int
    /// How many customers one transaction of the tick handles. Default: 200.
    public var batchCustomers: Int
    /// A credit-insurance declaration task is created this many days before the deadline.
    /// Default: 5.
    public var insuranceWarningDays: Int = 5

    public init(
        maxMessagesPerWindow: Int = 2, capWindow: Duration = .seconds(7 * 86_400), cooldown: Duration = .seconds(2 * 86_400),
        freshnessBusinessDays: Int = 3, recheck: Duration = .seconds(3_600), partialPaymentGraceDays: Int = 7, batchCustomers: Int = 200
    ) {
        self.maxMessagesPerWindow = maxMessagesPerWindow
        self.capWindow = capWindow
        self.cooldown = cooldown
        self.freshnessBusinessDays = freshnessBusinessDays
        self.recheck = recheck
        self.partialPaymentGraceDays = partialPaymentGraceDays
        self.batchCustomers = batchCustomers
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval` (for `Date` arithmetic).
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
