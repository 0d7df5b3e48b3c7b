import Events
import Foundation
import ScenarioScheduler
import Testing

@Suite struct PreviewScheduleTests {
    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    /// Due Thursday 2026-04-30; May 2026 holds four French holidays.
    static let steps: [(stepId: String, offsetDays: Int)] = [
        ("courtesy", -3), ("reminder-1", 1), ("reminder-2", 8), ("call", 14), ("formal-notice", 25),
    ]

    @Test("each step goes out at 09:00 on its day, or on the next business day after a holiday")
    func frenchMay() throws {
        let preview = PreviewSchedule(steps: Self.steps, due: try Self.day("2026-04-30"),
                                      timeZone: try PreviewSchedule.timeZone(named: "Europe/Paris"), clock: .standard)
        // -3 → Mon 04-27. +1 → Fri 05-01 (Fête du travail) → Mon 05-04. +8 → Fri 05-08 (Victoire 1945) → Mon 05-11.
        // +14 → Thu 05-14 (Ascension) → Fri 05-15. +25 → Mon 05-25 (Whit Monday) → Tue 05-26.
        #expect(preview.text == """
            courtesy\t2026-04-27T09:00:00+02:00
            reminder-1\t2026-05-04T09:00:00+02:00
            reminder-2\t2026-05-11T09:00:00+02:00
            call\t2026-05-15T09:00:00+02:00
            formal-notice\t2026-05-26T09:00:00+02:00

            """)
        #expect(preview.entries.map(\.plannedDay.description) == ["2026-04-27", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25"])
    }

    @Test("the JSON form: due, zone, and per step its offset, planned day and send instant, keys sorted")
    func json() throws {
        let preview = PreviewSchedule(steps: Array(Self.steps.prefix(2)), due: try Self.day("2026-04-30"),
                                      timeZone: try PreviewSchedule.timeZone(named: "America/New_York"), clock: .standard)
        #expect(try preview.json() == """
            {"due":"2026-04-30","steps":[\
            {"offsetDays":-3,"plannedDay":"2026-04-27","sendAt":"2026-04-27T09:00:00-04:00","stepId":"courtesy"},\
            {"offsetDays":1,"plannedDay":"2026-05-01","sendAt":"2026-05-04T09:00:00-04:00","stepId":"reminder-1"}\
            ],"timeZone":"America/New_York"}
            """)
    }

    @Test("Alsace-Moselle: a step on Good Friday waits for Tuesday; in the rest of France it goes on Friday")
    func alsaceMoselle() throws {
        let paris = try PreviewSchedule.timeZone(named: "Europe/Paris")
        let alsace = try DunningClock(calendarCode: "FR-67")
        let due = try Self.day("2026-04-02")
        #expect(PreviewSchedule(steps: [("r", 1)], due: due, timeZone: paris, clock: alsace).text == "r\t2026-04-07T09:00:00+02:00\n")
        #expect(PreviewSchedule(steps: [("r", 1)], due: due, timeZone: paris, clock: .standard).text == "r\t2026-04-03T09:00:00+02:00\n")
    }

    @Test("--calendar names a built-in calendar or fails saying which exist")
    func calendarCodes() throws {
        #expect(try DunningClock(calendarCode: "FR") == .standard)
        let error = #expect(throws: CalendarError.self) { try DunningClock(calendarCode: "XX") }
        #expect(error?.code == .unknownCalendar)
        #expect(error?.location == "calendar")
    }

    @Test("ISO 8601 with the zone's offset: UTC, negative, half-hour, before 1970")
    func iso8601() throws {
        let instant = Date(timeIntervalSince1970: 1_774_947_600) // 2026-03-31T09:00:00Z
        #expect(PreviewSchedule.iso8601(instant, in: try PreviewSchedule.timeZone(named: "UTC")) == "2026-03-31T09:00:00+00:00")
        #expect(PreviewSchedule.iso8601(instant, in: try PreviewSchedule.timeZone(named: "America/New_York")) == "2026-03-31T05:00:00-04:00")
        #expect(PreviewSchedule.iso8601(instant, in: try PreviewSchedule.timeZone(named: "Asia/Kolkata")) == "2026-03-31T14:30:00+05:30")
        #expect(PreviewSchedule.iso8601(Date(timeIntervalSince1970: -1.5), in: try PreviewSchedule.timeZone(named: "UTC")) == "1969-12-31T23:59:58+00:00")
    }

    @Test("a zone that is not an IANA identifier is refused", arguments: ["Europe/Pariss", "", "Paris"])
    func unknownZone(identifier: String) {
        let error = #expect(throws: CalendarError.self) { try PreviewSchedule.timeZone(named: identifier) }
        #expect(error?.code == .unknownTimeZone)
        #expect(error?.location == "tz")
    }
}
