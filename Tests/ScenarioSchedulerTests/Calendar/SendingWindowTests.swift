import Foundation
import ScenarioScheduler
import Testing
import Yams

@Suite struct SendingWindowTests {
    @Test("the default window is Monday-Friday 09:00-18:00")
    func standard() {
        #expect(SendingWindow.standard.weekdays == Weekday.workweek)
        #expect(SendingWindow.standard.hours.map(\.description) == ["09:00-18:00"])
        #expect(SendingWindow.standard.contains(.friday, minute: 17 * 60 + 59))
        #expect(!SendingWindow.standard.contains(.friday, minute: 18 * 60), "the end is excluded")
        #expect(!SendingWindow.standard.contains(.saturday, minute: 10 * 60))
    }

    @Test("two ranges from YAML, sorted; 24:00 ends a day")
    func twoRanges() throws {
        let window = try YAMLDecoder().decode(SendingWindow.self, from: """
            weekdays: [monday, wednesday]
            hours: ["14:00-17:30", "08:30-12:00"]
            """)
        #expect(window.hours.map(\.startMinute) == [510, 840])
        #expect(window.contains(.wednesday, minute: 12 * 60 - 1))
        #expect(!window.contains(.wednesday, minute: 13 * 60))
        #expect(!window.contains(.tuesday, minute: 9 * 60))
        #expect(try LocalTimeRange(parsing: "20:00-24:00").endMinute == 1440)
        let again = try JSONDecoder().decode(SendingWindow.self, from: JSONEncoder().encode(window))
        #expect(again == window)
    }

    @Test("malformed hours are refused, saying how to write them", arguments: [
        "9:00-18:00", "09:00-18:60", "18:00-09:00", "09:00-09:00", "24:30-24:40", "09:00", "09h00-18h00",
    ])
    func malformedHours(text: String) {
        let error = #expect(throws: CalendarError.self) { try LocalTimeRange(parsing: text) }
        #expect(error?.code == .invalidWindow)
    }

    @Test("overlapping or touching ranges, no range, no weekday: refused")
    func invalidWindows() throws {
        let morning = try LocalTimeRange(parsing: "09:00-12:00")
        let touching = try LocalTimeRange(parsing: "12:00-14:00")
        let overlap = #expect(throws: CalendarError.self) { try SendingWindow(hours: [touching, morning]) }
        #expect(overlap?.reason.contains("merge") == true)
        #expect(throws: CalendarError.self) { try SendingWindow(hours: []) }
        #expect(throws: CalendarError.self) { try SendingWindow(weekdays: [], hours: [morning]) }
    }

    @Test("a window only on weekend days never opens: refused by the clock")
    func neverOpen() throws {
        let weekendOnly = try SendingWindow(weekdays: [.saturday, .sunday], hours: [try LocalTimeRange(parsing: "09:00-12:00")])
        let error = #expect(throws: CalendarError.self) { try DunningClock(calendar: .france, window: weekendOnly) }
        #expect(error?.code == .neverOpen)
    }
}
