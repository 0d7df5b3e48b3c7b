import Events
import Foundation
import PropertyBased
import ScenarioScheduler
import Testing

/// The clock's promises, for random days (half of them next to a daylight-saving transition),
/// zones, windows and calendars:
/// - the send instant is allowed: a business day and a window weekday in the customer's
///   zone, a wall time inside a range;
/// - it is never before the target (the first instant of the planned day, or the deferred
///   instant);
/// - no allowed instant lies between the target and it (minimality), checked minute by minute:
///   ranges, offsets and day starts are whole minutes, so an allowed interval always holds
///   the start of a minute.
///
/// The oracle reads wall times with Foundation's `Calendar`, not the clock's own arithmetic.
@Suite struct DunningClockPropertyTests {
    static let zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "Pacific/Auckland", "UTC"]
        .compactMap { TimeZone(identifier: $0) }
    static let calendars: [BusinessCalendar] = [
        .france,
        (try? BusinessCalendar(holidays: .alsaceMoselle)) ?? .france,
        (try? BusinessCalendar(weekendDays: [.sunday], holidays: .france)) ?? .france,
        (try? BusinessCalendar(weekendDays: [], holidays: .france)) ?? .france,
    ]

    /// A window from a weekday mask and four minutes: one range, or two when they leave a gap.
    static let windows = zip(Gen.int(in: 1...127), Gen.int(in: 0...1439), Gen.int(in: 1...600), Gen.int(in: 1...300), Gen.int(in: 0...600))
        .map { mask, start, length, gap, secondLength -> SendingWindow in
            let weekdays = Set(Weekday.allCases.filter { mask & (1 << ($0.rawValue - 1)) != 0 })
            let firstEnd = min(1440, start + length)
            var hours = [try? LocalTimeRange(startMinute: start, endMinute: firstEnd)]
            if secondLength > 0, firstEnd + gap + secondLength <= 1440 {
                hours.append(try? LocalTimeRange(startMinute: firstEnd + gap, endMinute: firstEnd + gap + secondLength))
            }
            // The bounds are valid by construction; the fallback is unreachable.
            return (try? SendingWindow(weekdays: weekdays, hours: hours.compactMap(\.self))) ?? .standard
        }

    /// 2000-01-01 ... 2100-12-31 as days since 1970.
    static let days = Gen.int(in: 10_957...47_846)

    struct Case: CustomStringConvertible {
        let zone: TimeZone
        let clock: DunningClock
        var description: String {
            "\(zone.identifier), weekend \(clock.calendar.weekendDays.sorted()), \(clock.calendar.holidays.code), window \(clock.window.weekdays.sorted()) \(clock.window.hours)"
        }
    }

    static func makeCase(zone: Int, calendar: Int, window: SendingWindow) -> Case? {
        guard let clock = try? DunningClock(calendar: calendars[calendar], window: window) else { return nil } // never open
        return Case(zone: zones[zone], clock: clock)
    }

    /// The day, or one next to a transition of the zone in that day's year when `nearTransition`.
    static func target(days: Int, nearTransition: Int, zone: TimeZone) -> CalendarDate {
        let day = CalendarDate(daysSinceEpoch: days)
        guard nearTransition > 0,
              let transition = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: Double(days) * 86_400 - 180 * 86_400))
        else { return day }
        return CalendarDate(date: transition, in: zone).adding(days: nearTransition - 2) // -1, 0, +1
    }

    /// Allowed, read through Foundation.
    static func oracleAllows(_ instant: Date, _ test: Case) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = test.zone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: instant)
        guard let year = parts.year, let month = parts.month, let dayOfMonth = parts.day, let hour = parts.hour, let minute = parts.minute,
              let day = try? CalendarDate(year: year, month: month, day: dayOfMonth)
        else { return false }
        return test.clock.calendar.isBusinessDay(day) && test.clock.window.contains(Weekday(of: day), minute: hour * 60 + minute)
    }

    static func localDay(_ instant: Date, _ zone: TimeZone) -> CalendarDate? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        guard let year = parts.year, let month = parts.month, let day = parts.day else { return nil }
        return try? CalendarDate(year: year, month: month, day: day)
    }

    /// No minute start in `[from, to)` is allowed.
    static func nothingAllowed(from: Date, to: Date, _ test: Case) -> Date? {
        var minute = (from.timeIntervalSince1970 / 60).rounded(.up) * 60
        while minute < to.timeIntervalSince1970 {
            let instant = Date(timeIntervalSince1970: minute)
            if oracleAllows(instant, test) { return instant }
            minute += 60
        }
        return nil
    }

    @Test("a planned day's send instant is allowed, on or after the day, and the earliest such")
    func firstSendInstant() async {
        await propertyCheck(count: 100, input: Self.days, Gen.int(in: 0...4), Gen.int(in: 0...3), Self.windows, Gen.int(in: 0...3)) {
            days, zone, calendar, window, near in
            guard let test = Self.makeCase(zone: zone, calendar: calendar, window: window) else { return }
            let day = Self.target(days: days, nearTransition: near, zone: test.zone)
            let sent = test.clock.firstSendInstant(onOrAfter: day, in: test.zone)
            #expect(Self.oracleAllows(sent, test), "\(test): \(day) → \(PreviewSchedule.iso8601(sent, in: test.zone)) is not allowed")
            #expect(test.clock.isAllowed(sent, in: test.zone))
            let sentDay = Self.localDay(sent, test.zone)
            #expect(sentDay.map { $0 >= day } == true, "\(test): \(day) → sent on \(String(describing: sentDay))")
            #expect(sentDay.map(test.clock.calendar.isBusinessDay) == true)
            let start = DunningClock.startOfDay(day, in: test.zone)
            #expect(Self.localDay(start, test.zone) == day && Self.localDay(start.addingTimeInterval(-1), test.zone) != day,
                    "\(test): the start of \(day) is \(start)")
            if let earlier = Self.nothingAllowed(from: start, to: sent, test) {
                Issue.record("\(test): \(day) → \(PreviewSchedule.iso8601(sent, in: test.zone)), but \(PreviewSchedule.iso8601(earlier, in: test.zone)) was allowed")
            }
        }
    }

    @Test("a deferral lands on the earliest allowed instant at or after the requested one")
    func earliestAllowedInstant() async {
        await propertyCheck(count: 100, input: Self.days, Gen.int(in: 0...86_399), Gen.int(in: 0...4), Gen.int(in: 0...3), Self.windows,
                            Gen.int(in: 0...3)) { days, second, zone, calendar, window, near in
            guard let test = Self.makeCase(zone: zone, calendar: calendar, window: window) else { return }
            let day = Self.target(days: days, nearTransition: near, zone: test.zone)
            let requested = Date(timeIntervalSince1970: Double(day.daysSinceEpoch * 86_400 + second) + 0.25)
            let sent = test.clock.earliestAllowedInstant(atOrAfter: requested, in: test.zone)
            #expect(sent >= requested)
            #expect(Self.oracleAllows(sent, test), "\(test): \(requested) → \(PreviewSchedule.iso8601(sent, in: test.zone)) is not allowed")
            #expect(Self.oracleAllows(requested, test) == (sent == requested), "\(test): an allowed instant is kept, only that")
            if let earlier = Self.nothingAllowed(from: requested, to: sent, test) {
                Issue.record("\(test): \(requested) → \(PreviewSchedule.iso8601(sent, in: test.zone)), but \(PreviewSchedule.iso8601(earlier, in: test.zone)) was allowed")
            }
        }
    }
}
