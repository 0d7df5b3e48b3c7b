import Events

/// One public holiday of a ``HolidayCalendar``, as configuration describes it.
///
/// Configuration form (JSON or YAML), exactly one of the three day fields:
/// ```yaml
/// - { name: "Fête nationale", month: 7, day: 14 }      # the same day every year
/// - { name: "Lundi de Pâques", easterOffset: 1 }       # days after Easter Sunday
/// - { name: "Pont", date: "2026-05-15" }               # one explicit day
/// ```
public struct HolidayRule: Sendable, Hashable {
    /// Which day the rule names.
    public enum Day: Sendable, Hashable {
        /// The same month and day every year (29 February only in leap years).
        case fixed(month: Int, day: Int)
        /// A number of days after Easter Sunday (negative: before), kept within the year.
        case easterRelative(days: Int)
        /// One explicit day.
        case date(CalendarDate)
    }

    /// Offsets that keep an Easter-relative holiday inside Easter's year: Easter falls from
    /// 22 March (day 81 or 82 of the year) to 25 April (day 115 or 116), so -80 reaches
    /// 1 January at the earliest and +250 reaches 31 December at the latest.
    public static let easterOffsets: ClosedRange<Int> = -80...250

    /// The holiday's name, for previews and logs ("Lundi de Pâques").
    public let name: String
    /// The day it falls on.
    public let day: Day

    /// Creates a rule, checking that it names a real day.
    /// - Throws: `CalendarError.invalidHoliday` for a month outside 1...12, a day its month
    ///   never has, or an Easter offset outside ``easterOffsets``.
    public init(name: String, day: Day) throws(CalendarError) {
        switch day {
        case .fixed(let month, let dayOfMonth):
            guard (1...12).contains(month) else {
                throw CalendarError(.invalidHoliday, "'\(name)': month \(month) does not exist; use 1 through 12")
            }
            // 2000 is a leap year: 29 February is allowed (and only matches leap years).
            let longest = CalendarDate.daysIn(month: month, year: 2000)
            guard (1...longest).contains(dayOfMonth) else {
                throw CalendarError(.invalidHoliday, "'\(name)': month \(month) never has a day \(dayOfMonth); use 1 through \(longest)")
            }
        case .easterRelative(let days):
            guard HolidayRule.easterOffsets.contains(days) else {
                throw CalendarError(.invalidHoliday,
                    "'\(name)': Easter offset \(days) can leave Easter's year; use \(HolidayRule.easterOffsets.lowerBound) through \(HolidayRule.easterOffsets.upperBound), or explicit dates")
            }
        case .date:
            break
        }
        self.name = name
        self.day = day
    }

    /// The day this rule names in a year, if any (a fixed 29 February or an explicit date of
    /// another year names none).
    public func occurrence(in year: Int) -> CalendarDate? {
        switch day {
        case .fixed(let month, let dayOfMonth):
            try? CalendarDate(year: year, month: month, day: dayOfMonth)
        case .easterRelative(let days):
            Easter.sunday(of: year).adding(days: days)
        case .date(let date):
            date.year == year ? date : nil
        }
    }

    /// Whether the rule names this date.
    public func matches(_ date: CalendarDate) -> Bool {
        switch day {
        case .fixed(let month, let dayOfMonth):
            date.month == month && date.day == dayOfMonth
        case .easterRelative:
            occurrence(in: date.year) == date
        case .date(let explicit):
            explicit == date
        }
    }
}

extension HolidayRule: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, month, day, easterOffset, date
    }

    /// Decodes `{name, month, day}`, `{name, easterOffset}` or `{name, date}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .name)
        let month = try container.decodeIfPresent(Int.self, forKey: .month)
        let dayOfMonth = try container.decodeIfPresent(Int.self, forKey: .day)
        let offset = try container.decodeIfPresent(Int.self, forKey: .easterOffset)
        let date = try container.decodeIfPresent(CalendarDate.self, forKey: .date)
        let day: Day
        switch (month, dayOfMonth, offset, date) {
        case (.some(let month), .some(let dayOfMonth), nil, nil): day = .fixed(month: month, day: dayOfMonth)
        case (nil, nil, .some(let offset), nil): day = .easterRelative(days: offset)
        case (nil, nil, nil, .some(let date)): day = .date(date)
        default:
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "holiday '\(name)' needs exactly one of: month and day, easterOffset, or date"))
        }
        do {
            try self.init(name: name, day: day)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes the configuration form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        switch day {
        case .fixed(let month, let dayOfMonth):
            try container.encode(month, forKey: .month)
            try container.encode(dayOfMonth, forKey: .day)
        case .easterRelative(let days):
            try container.encode(days, forKey: .easterOffset)
        case .date(let date):
            try container.encode(date, forKey: .date)
        }
    }
}
