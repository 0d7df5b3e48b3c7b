import Events
import Foundation
import ScenarioScheduler
import Testing

@Suite struct ReferenceRateTableTests {
    /// The published MRO rates and their effective days (ECB decisions), as the brief lists
    /// them and the sources in `ReferenceRateTable.shipped`'s comment confirm.
    static let published: [(String, Int)] = [
        ("2014-09-10", 5), ("2016-03-16", 0), ("2022-07-27", 50), ("2022-09-14", 125), ("2022-11-02", 200),
        ("2022-12-21", 250), ("2023-02-08", 300), ("2023-03-22", 350), ("2023-05-10", 375), ("2023-06-21", 400),
        ("2023-08-02", 425), ("2023-09-20", 450), ("2024-06-12", 425), ("2024-09-18", 365), ("2024-10-23", 340),
        ("2024-12-18", 315), ("2025-02-05", 290), ("2025-03-12", 265), ("2025-04-23", 240), ("2025-06-11", 215),
    ]

    @Test("the shipped table holds the published rates on their effective days, through 2026-12-31")
    func shippedTableIsThePublishedOne() throws {
        let shipped = ReferenceRateTable.shipped
        #expect(shipped.changes.map { "\($0.effective)" } == Self.published.map(\.0))
        #expect(shipped.changes.map(\.basisPoints) == Self.published.map(\.1))
        #expect(shipped.knownThrough.description == "2026-12-31")
        // The checked initialiser accepts the shipped changes (the static's fallback is unused).
        #expect(try ReferenceRateTable(changes: shipped.changes, knownThrough: shipped.knownThrough) == shipped)
    }

    /// The rate in force on each 1 January and 1 July, read off the list above by hand: the
    /// last change on or before that day. 2022-07-01 is still 0 %: the 0.50 % came on 07-27.
    @Test("each half-year from 2015 H1 to 2026 H2 gets the rate in force on its first day")
    func halfYearRates() throws {
        let expected: [(String, Int)] = [
            ("2015-01-01", 5), ("2015-07-01", 5), ("2016-01-01", 5), ("2016-07-01", 0),
            ("2017-01-01", 0), ("2017-07-01", 0), ("2018-01-01", 0), ("2018-07-01", 0),
            ("2019-01-01", 0), ("2019-07-01", 0), ("2020-01-01", 0), ("2020-07-01", 0),
            ("2021-01-01", 0), ("2021-07-01", 0), ("2022-01-01", 0), ("2022-07-01", 0),
            ("2023-01-01", 250), ("2023-07-01", 400), ("2024-01-01", 450), ("2024-07-01", 425),
            ("2025-01-01", 315), ("2025-07-01", 215), ("2026-01-01", 215), ("2026-07-01", 215),
        ]
        for (start, basisPoints) in expected {
            // Any day of the half-year gives its first day's rate: check the first and last.
            let first = try CalendarDate(iso8601: start)
            let last = first.adding(months: 6).adding(days: -1)
            for day in [first, last] {
                let reference = try ReferenceRateTable.shipped.halfYearReference(for: day)
                #expect(reference.halfYearStart == first, "\(day)")
                #expect(reference.rate.basisPoints == basisPoints, "\(day)")
                #expect(!reference.isExtrapolated, "\(day)")
            }
        }
        let after = try ReferenceRateTable.shipped.halfYearReference(for: CalendarDate(iso8601: "2027-03-01"))
        #expect(after.isExtrapolated)
        #expect(after.rate.basisPoints == 215)
        #expect(after.halfYearStart.description == "2027-01-01")
    }

    @Test("a change is in force from its effective day on, not the day before")
    func effectiveDayIncluded() throws {
        let table = ReferenceRateTable.shipped
        #expect(table.change(inForceOn: try CalendarDate(iso8601: "2025-06-10"))?.basisPoints == 240)
        #expect(table.change(inForceOn: try CalendarDate(iso8601: "2025-06-11"))?.basisPoints == 215)
        #expect(table.change(inForceOn: try CalendarDate(iso8601: "2014-09-09")) == nil)
    }

    @Test("the half-year of a day starts on 1 January or 1 July")
    func halfYearStart() throws {
        let cases = [("2025-01-01", "2025-01-01"), ("2025-06-30", "2025-01-01"), ("2025-07-01", "2025-07-01"),
                     ("2025-12-31", "2025-07-01"), ("2024-02-29", "2024-01-01")]
        for (day, start) in cases {
            #expect(ReferenceRateTable.halfYearStart(of: try CalendarDate(iso8601: day)).description == start)
        }
    }

    @Test("a half-year starting before the first change has no rate")
    func beforeTheFirstChange() throws {
        let day = try CalendarDate(iso8601: "2014-12-31")
        let error = #expect(throws: ChargesError.self) { try ReferenceRateTable.shipped.halfYearReference(for: day) }
        #expect(error?.code == .noReferenceRate)
        #expect(error?.reason.contains("2014-07-01") == true)
        #expect(error?.reason.contains("2014-09-10") == true)
    }

    @Test("a deployment's table decodes from JSON in any order, is sorted, and encodes back")
    func codable() throws {
        let json = """
            {"knownThrough": "2031-06-30", "changes": [
              {"effective": "2031-02-01", "basisPoints": 300},
              {"effective": "2030-05-01", "basisPoints": 250}
            ]}
            """
        let table = try JSONDecoder().decode(ReferenceRateTable.self, from: Data(json.utf8))
        #expect(table.changes.map(\.basisPoints) == [250, 300])
        #expect(try table.halfYearReference(for: CalendarDate(iso8601: "2031-03-01")).rate.basisPoints == 250)
        #expect(try table.halfYearReference(for: CalendarDate(iso8601: "2031-07-01")).isExtrapolated)
        let again = try JSONDecoder().decode(ReferenceRateTable.self, from: JSONEncoder().encode(table))
        #expect(again == table)
        let shippedAgain = try JSONDecoder().decode(ReferenceRateTable.self, from: JSONEncoder().encode(ReferenceRateTable.shipped))
        #expect(shippedAgain == ReferenceRateTable.shipped)
    }

    @Test("an empty table, two changes on one day, a rate out of range or an early knownThrough are refused")
    func invalidTables() throws {
        let day = try CalendarDate(iso8601: "2030-01-01")
        let cases: [([ReferenceRateTable.Change], CalendarDate, String)] = [
            ([], day, "no rate"),
            ([.init(effective: day, basisPoints: 100), .init(effective: day, basisPoints: 200)], day, "two rates effective on 2030-01-01"),
            ([.init(effective: day, basisPoints: -10)], day, "outside 0...100000"),
            ([.init(effective: day, basisPoints: 100_001)], day, "outside 0...100000"),
            ([.init(effective: day, basisPoints: 100)], day.adding(days: -1), "before its first rate"),
        ]
        for (changes, knownThrough, words) in cases {
            let error = #expect(throws: ChargesError.self) { try ReferenceRateTable(changes: changes, knownThrough: knownThrough) }
            #expect(error?.code == .invalidRateTable)
            #expect(error?.reason.contains(words) == true, "\(String(describing: error))")
        }
        let duplicated = #"{"knownThrough": "2030-12-31", "changes": [{"effective": "2030-01-01", "basisPoints": 1}, {"effective": "2030-01-01", "basisPoints": 2}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ReferenceRateTable.self, from: Data(duplicated.utf8)) }
    }
}
