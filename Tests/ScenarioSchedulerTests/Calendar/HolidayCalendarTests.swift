import Events
import Foundation
import ScenarioScheduler
import Testing
import Yams

@Suite struct HolidayCalendarTests {
    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    @Test("Easter Sunday matches the published dates, 1818 to 2285", arguments: [
        "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2038-04-25", "2285-03-22",
        // The extremes: 22 March (1818, 2285) and 25 April (1943, 2038); 2000 and 2011 as checks.
        "1818-03-22", "1943-04-25", "2000-04-23", "2011-04-24", "2008-03-23",
    ])
    func easter(published: String) throws {
        let expected = try Self.day(published)
        #expect(Easter.sunday(of: expected.year) == expected)
        #expect(Easter.sunday(of: expected.year).isoWeekday == 7)
    }

    @Test("France 2026: the eleven holidays, Easter Monday 6 April, Ascension 14 May, Whit Monday 25 May")
    func france2026() throws {
        // Easter 2026-04-05: +1 = 04-06, +39 = 05-14, +50 = 05-25.
        let holidays = HolidayCalendar.france.holidays(in: 2026)
        #expect(holidays.map(\.date.description) == [
            "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
            "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
        ])
        #expect(holidays[5].name == "Lundi de Pentecôte")
        #expect(HolidayCalendar.france.isHoliday(try Self.day("2026-05-25")))
        #expect(!HolidayCalendar.france.isHoliday(try Self.day("2026-04-05")), "Easter Sunday itself is a Sunday, not a listed holiday")
        #expect(!HolidayCalendar.france.isHoliday(try Self.day("2026-04-03")), "Good Friday is not a holiday outside Alsace-Moselle")
    }

    @Test("Ascension and 1 May met in 2008: the day is a holiday with both names")
    func twoHolidaysOneDay() throws {
        // Easter 2008-03-23 + 39 days = 2008-05-01.
        #expect(HolidayCalendar.france.holidayNames(on: try Self.day("2008-05-01")) == ["Fête du travail", "Ascension"])
        #expect(HolidayCalendar.france.holidays(in: 2008).count == 11)
    }

    @Test("Alsace-Moselle adds Good Friday and 26 December; FR-57, FR-67 and FR-68 name it")
    func alsaceMoselle() throws {
        for code in ["FR-57", "fr-67", "FR-68"] {
            let calendar = try HolidayCalendar.named(code)
            #expect(calendar.isHoliday(try Self.day("2026-04-03"))) // Easter 04-05 - 2
            #expect(calendar.isHoliday(try Self.day("2025-12-26")))
            #expect(calendar.holidays(in: 2026).count == 13)
        }
        #expect(try HolidayCalendar.named("fr") == .france)
    }

    @Test("an unknown calendar code is refused with the codes that exist")
    func unknownCode() throws {
        let error = #expect(throws: CalendarError.self) { try HolidayCalendar.named("DE-BY") }
        #expect(error?.code == .unknownCalendar)
        #expect(error?.reason.contains("FR, FR-57") == true)
    }

    static let belgiumJSON = """
        {"code": "BE", "name": "Belgique", "holidays": [
          {"name": "Nouvel an", "month": 1, "day": 1},
          {"name": "Lundi de Pâques", "easterOffset": 1},
          {"name": "Fête du travail", "month": 5, "day": 1},
          {"name": "Ascension", "easterOffset": 39},
          {"name": "Lundi de Pentecôte", "easterOffset": 50},
          {"name": "Fête nationale", "month": 7, "day": 21},
          {"name": "Assomption", "month": 8, "day": 15},
          {"name": "Toussaint", "month": 11, "day": 1},
          {"name": "Armistice", "month": 11, "day": 11},
          {"name": "Noël", "month": 12, "day": 25}
        ]}
        """

    @Test("a Belgian calendar comes from configuration, without code; a configured code is found by name")
    func belgiumFromConfiguration() throws {
        let belgium = try JSONDecoder().decode(HolidayCalendar.self, from: Data(Self.belgiumJSON.utf8))
        // Easter 2026-04-05: Easter Monday 04-06, Ascension 05-14, Whit Monday 05-25.
        #expect(belgium.holidays(in: 2026).map(\.date.description) == [
            "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25",
            "2026-07-21", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25",
        ])
        #expect(!belgium.isHoliday(try Self.day("2026-05-08")), "8 May is French, not Belgian")
        #expect(try HolidayCalendar.named("be", configured: [belgium]) == belgium)
        // Round trip through the configuration form.
        let again = try JSONDecoder().decode(HolidayCalendar.self, from: JSONEncoder().encode(belgium))
        #expect(again == belgium)
    }

    @Test("a calendar reads from YAML too, with an explicit date")
    func yamlWithExplicitDate() throws {
        let yaml = """
            code: ACME
            name: Acme closing days
            holidays:
              - { name: Noël, month: 12, day: 25 }
              - { name: Vendredi saint, easterOffset: -2 }
              - { name: Inventaire, date: "2026-07-31" }
              - { name: Bissextile, month: 2, day: 29 }
            """
        let calendar = try YAMLDecoder().decode(HolidayCalendar.self, from: yaml)
        #expect(calendar.holidays(in: 2026).map(\.date.description) == ["2026-04-03", "2026-07-31", "2026-12-25"])
        #expect(calendar.holidays(in: 2028).map(\.date.description) == ["2028-02-29", "2028-04-14", "2028-12-25"])
    }

    @Test("rules that name no day are refused, saying which and why", arguments: [
        (#"{"name": "X", "month": 13, "day": 1}"#, "month 13 does not exist"),
        (#"{"name": "X", "month": 4, "day": 31}"#, "never has a day 31"),
        (#"{"name": "X", "easterOffset": 251}"#, "Easter offset 251"),
        (#"{"name": "X", "easterOffset": 1, "month": 1, "day": 1}"#, "exactly one of"),
        (#"{"name": "X", "month": 1}"#, "exactly one of"),
        (#"{"name": "X", "date": "2026-02-30"}"#, "2026-02-30"),
    ])
    func invalidRules(json: String, message: String) throws {
        let document = #"{"code": "XX", "holidays": ["# + json + "]}"
        do {
            _ = try JSONDecoder().decode(HolidayCalendar.self, from: Data(document.utf8))
            Issue.record("accepted \(json)")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains(message), "\(context.debugDescription)")
        }
    }

    @Test("the Easter offset range keeps every holiday inside Easter's year, in every year")
    func easterOffsetsStayInYear() {
        // Checked over a full 5,700,000-year cycle would be overkill: 1583...2600 holds both extremes.
        for year in 1583...2600 {
            let easter = Easter.sunday(of: year)
            #expect(easter.adding(days: HolidayRule.easterOffsets.lowerBound).year == year)
            #expect(easter.adding(days: HolidayRule.easterOffsets.upperBound).year == year)
        }
    }
}
