import Events
import Foundation
import Testing

@Suite("CalendarDate")
struct CalendarDateTests {
    @Test("parses and prints ISO 8601 dates", arguments: ["2025-03-31", "2024-02-29", "0001-01-01", "9999-12-31", "1970-01-01"])
    func roundTripsISO(text: String) throws {
        let date = try CalendarDate(iso8601: text)
        #expect(date.description == text)
    }

    @Test("refuses other shapes and impossible days", arguments: [
        "2025-02-29", "2025-02-30", "2024-02-30", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00",
        "2025-3-1", "25-03-01", "2025/03/01", "2025-03-01T00:00:00Z", " 2025-03-01", "", "２０２５-03-01", "2025-0a-01",
    ])
    func refusesInvalid(text: String) {
        #expect(throws: CalendarDate.InvalidDate.self) { try CalendarDate(iso8601: text) }
    }

    @Test("validates parts")
    func validatesParts() throws {
        #expect(try CalendarDate(year: 2024, month: 2, day: 29).day == 29)
        #expect(throws: CalendarDate.InvalidDate.self) { try CalendarDate(year: 2100, month: 2, day: 29) }
        #expect(throws: CalendarDate.InvalidDate.self) { try CalendarDate(year: 2025, month: 6, day: 31) }
        #expect(try CalendarDate(year: 2000, month: 2, day: 29).month == 2) // 2000 is a leap year
    }

    @Test("leap years follow the Gregorian rule")
    func leapYears() {
        #expect(CalendarDate.isLeapYear(2024))
        #expect(CalendarDate.isLeapYear(2000))
        #expect(!CalendarDate.isLeapYear(1900))
        #expect(!CalendarDate.isLeapYear(2025))
        #expect(CalendarDate.daysIn(month: 2, year: 2024) == 29)
        #expect(CalendarDate.daysIn(month: 2, year: 2100) == 28)
    }

    @Test("days since epoch matches known values")
    func epochDays() throws {
        #expect(try CalendarDate(iso8601: "1970-01-01").daysSinceEpoch == 0)
        #expect(try CalendarDate(iso8601: "2000-03-01").daysSinceEpoch == 11_017)
        #expect(try CalendarDate(iso8601: "1969-12-31").daysSinceEpoch == -1)
        #expect(CalendarDate(daysSinceEpoch: 20_178).description == "2025-03-31")
    }

    @Test("day arithmetic crosses months, years and leap days")
    func addingDays() throws {
        let date = try CalendarDate(iso8601: "2024-02-28")
        #expect(date.adding(days: 1).description == "2024-02-29")
        #expect(date.adding(days: 2).description == "2024-03-01")
        #expect(try CalendarDate(iso8601: "2024-12-31").adding(days: 1).description == "2025-01-01")
        #expect(try CalendarDate(iso8601: "2025-01-01").adding(days: -1).description == "2024-12-31")
        #expect(try CalendarDate(iso8601: "2025-03-10").days(from: CalendarDate(iso8601: "2025-03-01")) == 9)
        #expect(try CalendarDate(iso8601: "2025-03-01").daysSince(CalendarDate(iso8601: "2025-03-10")) == -9)
        #expect(try CalendarDate(iso8601: "2025-01-01").days(from: CalendarDate(iso8601: "2024-01-01")) == 366)
    }

    @Test("matches Foundation's Gregorian calendar from 1586 to 2380")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // Foundation switches to the Julian calendar before 1582-10-15; we are proleptic.
        for days in stride(from: -140_000, through: 150_000, by: 97) {
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            let date = CalendarDate(daysSinceEpoch: days)
            #expect(date.year == parts.year && date.month == parts.month && date.day == parts.day, "day \(days)")
            #expect(date.daysSinceEpoch == days)
        }
    }

    @Test("month arithmetic clamps to the end of shorter months")
    func addingMonths() throws {
        let january31 = try CalendarDate(iso8601: "2025-01-31")
        #expect(january31.adding(months: 1).description == "2025-02-28")
        #expect(try CalendarDate(iso8601: "2024-01-31").adding(months: 1).description == "2024-02-29")
        #expect(january31.adding(months: 2).description == "2025-03-31")
        #expect(january31.adding(months: -2).description == "2024-11-30")
        #expect(january31.adding(months: 12).description == "2026-01-31")
        #expect(try CalendarDate(iso8601: "2024-02-29").adding(months: -12).description == "2023-02-28")
        #expect(try CalendarDate(iso8601: "2025-03-15").adding(months: -15).description == "2023-12-15")
    }

    @Test("end and start of month")
    func monthBounds() throws {
        #expect(try CalendarDate(iso8601: "2024-02-10").endOfMonth.description == "2024-02-29")
        #expect(try CalendarDate(iso8601: "2025-02-10").endOfMonth.description == "2025-02-28")
        #expect(try CalendarDate(iso8601: "2025-04-30").endOfMonth.description == "2025-04-30")
        #expect(try CalendarDate(iso8601: "2025-12-31").startOfMonth.description == "2025-12-01")
    }

    @Test("is proleptic Gregorian before 1582")
    func proleptic() throws {
        // Python's datetime.date (proleptic Gregorian) puts 0001-01-01 719_162 days before 1970-01-01.
        #expect(try CalendarDate(iso8601: "0001-01-01").daysSinceEpoch == -719_162)
        #expect(try CalendarDate(iso8601: "1582-10-04").adding(days: 1).description == "1582-10-05")
    }

    @Test("ISO weekday")
    func weekday() throws {
        #expect(try CalendarDate(iso8601: "1970-01-01").isoWeekday == 4) // Thursday
        #expect(try CalendarDate(iso8601: "2025-03-31").isoWeekday == 1) // Monday
        #expect(try CalendarDate(iso8601: "2025-03-30").isoWeekday == 7) // Sunday
        #expect(try CalendarDate(iso8601: "1969-12-28").isoWeekday == 7)
    }

    @Test("orders chronologically")
    func ordering() throws {
        let dates = try ["2025-03-01", "2024-12-31", "2025-02-28"].map { try CalendarDate(iso8601: $0) }
        #expect(dates.sorted().map(\.description) == ["2024-12-31", "2025-02-28", "2025-03-01"])
    }

    @Test("the calendar day of an instant depends on the time zone")
    func dayOfInstant() throws {
        // 2025-03-30T22:30:00Z: after midnight in Paris (UTC+2 in summer), still the 30th in New York.
        let instant = Date(timeIntervalSince1970: 1_743_373_800)
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(CalendarDate(date: instant, in: paris).description == "2025-03-31")
        #expect(CalendarDate(date: instant, in: utc).description == "2025-03-30")
        #expect(CalendarDate(date: instant, in: newYork).description == "2025-03-30")
        // Before the epoch, the day must round down, not toward zero.
        #expect(CalendarDate(date: Date(timeIntervalSince1970: -1), in: utc).description == "1969-12-31")
    }

    @Test("codes as a YYYY-MM-DD string and refuses invalid ones")
    func codable() throws {
        struct Box: Codable, Equatable { var due: CalendarDate }
        let box = Box(due: try CalendarDate(iso8601: "2025-03-31"))
        let json = try JSONEncoder().encode(box)
        #expect(String(decoding: json, as: UTF8.self) == #"{"due":"2025-03-31"}"#)
        #expect(try JSONDecoder().decode(Box.self, from: json) == box)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"due":"2025-02-30"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"due":"31/03/2025"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"due":20250331}"#.utf8)) }
    }
}
