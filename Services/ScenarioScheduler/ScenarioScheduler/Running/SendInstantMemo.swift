import Events
import Foundation
import Synchronization

/// A bounded memo of one clock's ``DunningClock/firstSendInstant(onOrAfter:in:)``, a pure
/// function of the day and the time zone that the planner asks several times per invoice
/// (each step's time) and that walks the zone's transitions and the holidays every time: a
/// sixth of a busy tick (relance-scheduler-bench). Portfolios share few due days, so hits
/// are the rule; past ``capacity`` entries the memo starts over, keeping memory bounded.
///
/// Valid for one clock only: ``DunningPlanner`` starts a new memo when its clock changes.
final class SendInstantMemo: Sendable {
    private struct Key: Hashable {
        var day: Int
        var zone: String
    }

    private let entries = Mutex<[Key: Date]>([:])
    static let capacity = 4_096

    init() {}

    /// `clock.firstSendInstant(onOrAfter: day, in: timeZone)`, remembered.
    func instant(onOrAfter day: CalendarDate, in timeZone: TimeZone, clock: DunningClock) -> Date {
        let key = Key(day: day.daysSinceEpoch, zone: timeZone.identifier)
        if let known = entries.withLock({ $0[key] }) { return known }
        let instant = clock.firstSendInstant(onOrAfter: day, in: timeZone)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = instant
        }
        return instant
    }
}
