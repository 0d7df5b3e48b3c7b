import Events
import Foundation
import PropertyBased
import ScenarioScheduler
import Testing

@Suite struct BusinessCalendarTests {
    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }
    let france = BusinessCalendar.france

    @Test("weekends and holidays are not business days")
    func businessDays() throws {
        #expect(france.isBusinessDay(try Self.day("2026-05-07"))) // Thursday
        #expect(!france.isBusinessDay(try Self.day("2026-05-08"))) // Friday, Victoire 1945
        #expect(!france.isBusinessDay(try Self.day("2026-05-09"))) // Saturday
        #expect(!france.isBusinessDay(try Self.day("2026-05-10"))) // Sunday
        #expect(!france.isBusinessDay(try Self.day("2026-05-25"))) // Whit Monday
        #expect(france.isBusinessDay(try Self.day("2026-05-26")))
    }

    @Test("the next business day skips a long weekend")
    func nextBusinessDay() throws {
        #expect(france.nextBusinessDay(onOrAfter: try Self.day("2026-05-08")) == (try Self.day("2026-05-11")))
        #expect(france.nextBusinessDay(onOrAfter: try Self.day("2026-05-11")) == (try Self.day("2026-05-11")))
        // Christmas 2026 is a Friday.
        #expect(france.nextBusinessDay(onOrAfter: try Self.day("2026-12-25")) == (try Self.day("2026-12-28")))
    }

    @Test("adding business days skips weekends and holidays, both ways")
    func addingBusinessDays() throws {
        let thursday = try Self.day("2026-05-07")
        #expect(france.adding(businessDays: 1, to: thursday) == (try Self.day("2026-05-11")))
        // 11, 12, 13, (14 Ascension), 15, (16, 17), 18.
        #expect(france.adding(businessDays: 5, to: thursday) == (try Self.day("2026-05-18")))
        #expect(france.adding(businessDays: -1, to: try Self.day("2026-05-11")) == thursday)
        #expect(france.adding(businessDays: 0, to: try Self.day("2026-05-09")) == (try Self.day("2026-05-09")))
    }

    @Test("business days passed: Friday to Tuesday is 2; backwards is negative")
    func countingBusinessDays() throws {
        #expect(france.businessDays(from: try Self.day("2026-05-15"), to: try Self.day("2026-05-19")) == 2)
        #expect(france.businessDays(from: try Self.day("2026-05-19"), to: try Self.day("2026-05-15")) == -2)
        #expect(france.businessDays(from: try Self.day("2026-05-07"), to: try Self.day("2026-05-18")) == 5)
        #expect(france.businessDays(from: try Self.day("2026-05-07"), to: try Self.day("2026-05-07")) == 0)
    }

    @Test("a Friday-Saturday weekend (configured) works Sundays")
    func otherWeekend() throws {
        let calendar = try BusinessCalendar(weekendDays: [.friday, .saturday], holidays: .france)
        #expect(calendar.isBusinessDay(try Self.day("2026-05-10"))) // Sunday
        #expect(!calendar.isBusinessDay(try Self.day("2026-05-15"))) // Friday
        let decoded = try JSONDecoder().decode(BusinessCalendar.self, from: Data(#"{"weekendDays": ["friday", "sat"]}"#.utf8))
        #expect(decoded == calendar)
    }

    @Test("a week without worked days, or more holidays than a year can hold, is refused")
    func impossibleCalendars() throws {
        let noWork = #expect(throws: CalendarError.self) { try BusinessCalendar(weekendDays: Set(Weekday.allCases)) }
        #expect(noWork?.code == .invalidWeekend)
        // 260 rules on one worked weekday: 2 × 260 ≥ 52 × 1.
        let many = try (1...260).map { try HolidayRule(name: "h\($0)", day: .fixed(month: ($0 % 12) + 1, day: ($0 % 28) + 1)) }
        let crowded = try HolidayCalendar(code: "X", name: "X", holidays: many)
        let refused = #expect(throws: CalendarError.self) {
            try BusinessCalendar(weekendDays: [.tuesday, .wednesday, .thursday, .friday, .saturday, .sunday], holidays: crowded)
        }
        #expect(refused?.code == .invalidWeekend)
    }

    @Test("adding n business days then counting them gives n back; the result is a business day")
    func addingAndCountingAgree() async {
        let calendars = [BusinessCalendar.france, (try? BusinessCalendar(weekendDays: [.sunday], holidays: .alsaceMoselle)) ?? .france]
        await propertyCheck(count: 200, input: Gen.int(in: 10_957...47_482), Gen.int(in: -40...40), Gen.int(in: 0...1)) { days, count, pick in
            let calendar = calendars[pick]
            let start = CalendarDate(daysSinceEpoch: days)
            let end = calendar.adding(businessDays: count, to: start)
            #expect(calendar.businessDays(from: start, to: end) == count)
            if count != 0 {
                #expect(calendar.isBusinessDay(end))
                #expect((end > start) == (count > 0))
            }
            let next = calendar.nextBusinessDay(onOrAfter: start)
            #expect(calendar.isBusinessDay(next) && next >= start)
            #expect(calendar.businessDays(from: start, to: next.adding(days: -1)) == 0 || next == start)
        }
    }
}
