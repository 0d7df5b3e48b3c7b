import Events
import Foundation
import ScenarioScheduler
import Testing
import Yams

@Suite struct DunningClockTests {
    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }
    static func zone(_ identifier: String) throws -> TimeZone { try PreviewSchedule.timeZone(named: identifier) }
    static func instant(_ text: String) throws -> Date {
        try #require(try? Date(text, strategy: .iso8601))
    }
    static func text(_ date: Date, _ zone: TimeZone) -> String { PreviewSchedule.iso8601(date, in: zone) }

    let clock = DunningClock.standard

    @Test("a step planned on a business day goes out at the window's opening, in the customer's offset")
    func plainDay() throws {
        let paris = try Self.zone("Europe/Paris")
        // Tuesday 2026-03-31, summer time since 29 March: 09:00+02:00 = 07:00Z.
        let sent = clock.firstSendInstant(onOrAfter: try Self.day("2026-03-31"), in: paris)
        #expect(Self.text(sent, paris) == "2026-03-31T09:00:00+02:00")
        #expect(sent == (try Self.instant("2026-03-31T07:00:00Z")))
        // Winter: Tuesday 2026-01-06, 09:00+01:00.
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-01-06"), in: paris), paris) == "2026-01-06T09:00:00+01:00")
    }

    @Test("a weekend followed by Easter Monday moves the send to Tuesday")
    func easterWeekend() throws {
        let paris = try Self.zone("Europe/Paris")
        // Saturday 04-04, Sunday 04-05, Easter Monday 04-06: Tuesday 04-07 at 09:00.
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-04-04"), in: paris), paris) == "2026-04-07T09:00:00+02:00")
        // Ascension Thursday 05-14 is a holiday, the Friday after is worked (no bridge).
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-05-14"), in: paris), paris) == "2026-05-15T09:00:00+02:00")
    }

    @Test("the customer's zone decides the day and the hour: New York and Tokyo")
    func otherZones() throws {
        let newYork = try Self.zone("America/New_York")
        // Saturday 2026-03-07 → Monday 03-09, after the US switch to EDT on 03-08: 09:00-04:00 = 13:00Z.
        let monday = clock.firstSendInstant(onOrAfter: try Self.day("2026-03-07"), in: newYork)
        #expect(Self.text(monday, newYork) == "2026-03-09T09:00:00-04:00")
        #expect(monday == (try Self.instant("2026-03-09T13:00:00Z")))
        let tokyo = try Self.zone("Asia/Tokyo")
        // Thursday 2026-12-24, 09:00+09:00 = 00:00Z the same day.
        #expect(clock.firstSendInstant(onOrAfter: try Self.day("2026-12-24"), in: tokyo) == (try Self.instant("2026-12-24T00:00:00Z")))
        // Friday 12-25 is a holiday of the (French) calendar: Monday 12-28.
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-12-25"), in: tokyo), tokyo) == "2026-12-28T09:00:00+09:00")
    }

    @Test("deferrals stay inside a two-range window: lunch moves to 14:00, evening to the next morning")
    func deferrals() throws {
        let paris = try Self.zone("Europe/Paris")
        let window = try SendingWindow(hours: [try LocalTimeRange(parsing: "08:30-12:00"), try LocalTimeRange(parsing: "14:00-17:30")])
        let clock = try DunningClock(calendar: .france, window: window)
        // Tuesday 2026-04-07, 12:30+02:00 = 10:30Z → 14:00+02:00.
        #expect(Self.text(clock.earliestAllowedInstant(atOrAfter: try Self.instant("2026-04-07T10:30:00Z"), in: paris), paris)
            == "2026-04-07T14:00:00+02:00")
        // 17:45 → Wednesday 08:30.
        #expect(Self.text(clock.earliestAllowedInstant(atOrAfter: try Self.instant("2026-04-07T15:45:00Z"), in: paris), paris)
            == "2026-04-08T08:30:00+02:00")
        // 10:15:30 is allowed: unchanged, to the second.
        let allowed = try Self.instant("2026-04-07T08:15:30Z")
        #expect(clock.earliestAllowedInstant(atOrAfter: allowed, in: paris) == allowed)
        // Friday 2026-05-15 at 18:00 → Monday 05-18 08:30 (the weekend skipped).
        #expect(Self.text(clock.earliestAllowedInstant(atOrAfter: try Self.instant("2026-05-15T16:00:00Z"), in: paris), paris)
            == "2026-05-18T08:30:00+02:00")
    }

    /// Every day worked and every day in the window, so the transition days (Sundays) count.
    static func nightClock(_ hours: String) throws -> DunningClock {
        try DunningClock(calendar: try BusinessCalendar(weekendDays: [], holidays: .france),
                         window: try SendingWindow(weekdays: Set(Weekday.allCases), hours: [try LocalTimeRange(parsing: hours)]))
    }

    @Test("spring forward: a window opening at 02:30, inside the skipped hour, opens at 03:00 (Paris 2026-03-29, New York 2026-03-08)")
    func springForward() throws {
        let clock = try Self.nightClock("02:30-05:00")
        let paris = try Self.zone("Europe/Paris")
        // 02:00 CET jumps to 03:00 CEST at 01:00Z: 02:30 does not exist, the first wall time past it is 03:00+02:00.
        let parisSend = clock.firstSendInstant(onOrAfter: try Self.day("2026-03-29"), in: paris)
        #expect(parisSend == (try Self.instant("2026-03-29T01:00:00Z")))
        #expect(Self.text(parisSend, paris) == "2026-03-29T03:00:00+02:00")
        // The day before and after, 02:30 exists: 01:30Z (CET) and 00:30Z (CEST).
        #expect(clock.firstSendInstant(onOrAfter: try Self.day("2026-03-28"), in: paris) == (try Self.instant("2026-03-28T01:30:00Z")))
        #expect(clock.firstSendInstant(onOrAfter: try Self.day("2026-03-30"), in: paris) == (try Self.instant("2026-03-30T00:30:00Z")))
        let newYork = try Self.zone("America/New_York")
        // 02:00 EST jumps to 03:00 EDT at 07:00Z.
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-03-08"), in: newYork), newYork) == "2026-03-08T03:00:00-04:00")
    }

    @Test("spring forward: a window entirely in the skipped hour has no instant that day; the next day's opens")
    func windowInsideTheGap() throws {
        let clock = try Self.nightClock("02:00-03:00")
        let paris = try Self.zone("Europe/Paris")
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-03-29"), in: paris), paris) == "2026-03-30T02:00:00+02:00")
    }

    @Test("fall back: 02:30 happens twice (Paris 2026-10-25); the first opens, the second is allowed too")
    func fallBack() throws {
        let clock = try Self.nightClock("02:30-02:45")
        let paris = try Self.zone("Europe/Paris")
        // 03:00 CEST returns to 02:00 CET at 01:00Z: 02:30+02:00 = 00:30Z, then 02:30+01:00 = 01:30Z.
        let first = clock.firstSendInstant(onOrAfter: try Self.day("2026-10-25"), in: paris)
        #expect(first == (try Self.instant("2026-10-25T00:30:00Z")))
        #expect(Self.text(first, paris) == "2026-10-25T02:30:00+02:00")
        let second = clock.earliestAllowedInstant(atOrAfter: try Self.instant("2026-10-25T00:50:00Z"), in: paris)
        #expect(Self.text(second, paris) == "2026-10-25T02:30:00+01:00")
        // After the repeated window, the next day's: 02:30+01:00 on 10-26 = 01:30Z.
        #expect(clock.earliestAllowedInstant(atOrAfter: try Self.instant("2026-10-25T01:50:00Z"), in: paris)
            == (try Self.instant("2026-10-26T01:30:00Z")))
        // A day window on the 25-hour day: 09:00+01:00 = 08:00Z.
        let day = try Self.nightClock("09:00-18:00")
        #expect(day.firstSendInstant(onOrAfter: try Self.day("2026-10-25"), in: paris) == (try Self.instant("2026-10-25T08:00:00Z")))
    }

    @Test("a day a zone skipped (Pacific/Apia, 2011-12-30) sends on the next day")
    func skippedDay() throws {
        let apia = try Self.zone("Pacific/Apia")
        let clock = try Self.nightClock("09:00-18:00")
        // Samoa went from UTC-10 to UTC+14 at the end of 2011-12-29: 2011-12-31 09:00+14:00 = 12-30 19:00Z.
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2011-12-30"), in: apia), apia) == "2011-12-31T09:00:00+14:00")
    }

    @Test("the start of a day is local midnight in the customer's zone")
    func startOfDay() throws {
        #expect(DunningClock.startOfDay(try Self.day("2026-03-29"), in: try Self.zone("Europe/Paris")) == (try Self.instant("2026-03-28T23:00:00Z")))
        #expect(DunningClock.startOfDay(try Self.day("2026-10-26"), in: try Self.zone("Europe/Paris")) == (try Self.instant("2026-10-25T23:00:00Z")))
        #expect(DunningClock.startOfDay(try Self.day("2026-07-01"), in: try Self.zone("Pacific/Auckland")) == (try Self.instant("2026-06-30T12:00:00Z")))
    }

    @Test("a clock reads from YAML: Belgian holidays, a Friday-Saturday weekend, two ranges; a window never open is refused")
    func fromConfiguration() throws {
        let clock = try YAMLDecoder().decode(DunningClock.self, from: """
            calendar:
              weekendDays: [friday, saturday]
              holidays:
                code: BE
                holidays:
                  - { name: Fête nationale, month: 7, day: 21 }
            window:
              weekdays: [sunday, monday, tuesday, wednesday, thursday]
              hours: ["08:30-12:00", "14:00-17:30"]
            """)
        let brussels = try Self.zone("Europe/Brussels")
        // Friday 2026-07-17 → Sunday 07-19 at 08:30+02:00 (Friday and Saturday are the weekend).
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-07-17"), in: brussels), brussels) == "2026-07-19T08:30:00+02:00")
        // Tuesday 07-21 is the national holiday → Wednesday 07-22.
        #expect(Self.text(clock.firstSendInstant(onOrAfter: try Self.day("2026-07-21"), in: brussels), brussels) == "2026-07-22T08:30:00+02:00")
        #expect(try JSONDecoder().decode(DunningClock.self, from: JSONEncoder().encode(clock)) == clock)
        #expect(try JSONDecoder().decode(DunningClock.self, from: Data("{}".utf8)) == .standard)
        #expect(throws: DecodingError.self) {
            try YAMLDecoder().decode(DunningClock.self, from: "window: { weekdays: [saturday], hours: [\"09:00-12:00\"] }")
        }
    }
}
