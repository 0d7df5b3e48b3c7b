import Events
import Foundation
import Money

/// The daily spending cap of the paid channels (SMS, letter, registered letter): what one
/// message costs per channel and what a day may cost, in one currency (keys `cost.sms`,
/// `cost.letter`, `cost.registeredLetter` in minor units, `spending.cap` in minor units,
/// `spending.currency`, `spending.timezone` for the day boundary).
///
/// The cap holds for the fleet: each partition of `notification-requests` may spend
/// `cap / partitions` a day, and a partition's spending of a day is derived from its ledger
/// rows (``LedgerEntry/cost``, ``LedgerEntry/spentOn``), which follow the partition through
/// the changelog: whichever instance owns it, and after any rebalance, the partition's
/// spending is known, and one partition is handled by one instance at a time.
public struct SpendingCap: Sendable {
    /// Cost of one message per channel (`sms`, `letter`, `registeredLetter`).
    public var costs: [String: Money]
    /// What the fleet may spend a day.
    public var daily: Money
    /// Where a day begins and ends.
    public var timeZone: TimeZone
    /// Partitions of `notification-requests`: each gets `daily / partitions`.
    public var partitions: Int

    public init(costs: [String: Money], daily: Money, timeZone: TimeZone, partitions: Int) {
        self.costs = costs
        self.daily = daily
        self.timeZone = timeZone
        self.partitions = max(1, partitions)
    }

    /// A partition's budget for a day, in minor units.
    public var perPartition: Int64 { daily.minorUnits / Int64(partitions) }

    /// What `count` messages of a channel cost, in minor units; nil for a free channel.
    func cost(of channel: NotificationChannel, count: Int) -> Int64? {
        costs[channel.rawValue].map { $0.minorUnits * Int64(count) }
    }

    /// The day (`YYYY-MM-DD`) an instant falls on, in ``timeZone``.
    func day(of instant: Date) -> String {
        CalendarDate(date: instant, in: timeZone).description
    }
}
