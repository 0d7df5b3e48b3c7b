import Events

/// Which days are worked: every day but the weekend days and the public holidays.
///
/// Every search is bounded: the initialiser refuses a configuration where a whole year could
/// pass without a business day, so ``nextBusinessDay(onOrAfter:)`` and
/// ``adding(businessDays:to:)`` always end.
public struct BusinessCalendar: Sendable, Hashable, Codable {
    /// The days never worked. Default: Saturday and Sunday.
    public let weekendDays: Set<Weekday>
    /// The public holidays. Default: France.
    public let holidays: HolidayCalendar

    /// France's calendar with the Saturday + Sunday weekend.
    public static let france = BusinessCalendar(unchecked: Weekday.weekend, holidays: .france)

    /// Creates a calendar.
    /// - Throws: `CalendarError.invalidWeekend` when every weekday is a weekend day, or when
    ///   the holiday rules are so many that a year might hold no business day (each rule can
    ///   fall twice in 366 consecutive days; those days hold at least 52 of each weekday).
    public init(weekendDays: Set<Weekday> = Weekday.weekend, holidays: HolidayCalendar = .france) throws(CalendarError) {
        let worked = 7 - weekendDays.count
        guard worked > 0 else {
            throw CalendarError(.invalidWeekend, "every day of the week is a weekend day; leave at least one worked day", location: "weekendDays")
        }
        guard 2 * holidays.holidays.count < 52 * worked else {
            throw CalendarError(.invalidWeekend,
                "\(holidays.holidays.count) holiday rules could cover every one of the \(worked) worked weekdays of a year; remove some",
                location: "holidays")
        }
        self.init(unchecked: weekendDays, holidays: holidays)
    }

    private init(unchecked weekendDays: Set<Weekday>, holidays: HolidayCalendar) {
        self.weekendDays = weekendDays
        self.holidays = holidays
    }

    private enum CodingKeys: String, CodingKey { case weekendDays, holidays }

    /// Decodes `{weekendDays: [saturday, sunday], holidays: {code, name, holidays}}`; both are
    /// optional (defaults: Saturday + Sunday, France).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weekend = try container.decodeIfPresent(Set<Weekday>.self, forKey: .weekendDays) ?? Weekday.weekend
        let holidays = try container.decodeIfPresent(HolidayCalendar.self, forKey: .holidays) ?? .france
        do {
            try self.init(weekendDays: weekend, holidays: holidays)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes the configuration form, weekend days in ISO order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(weekendDays.sorted(), forKey: .weekendDays)
        try container.encode(holidays, forKey: .holidays)
    }

    /// Whether the day is worked: not a weekend day and not a public holiday.
    public func isBusinessDay(_ date: CalendarDate) -> Bool {
        !weekendDays.contains(Weekday(of: date)) && !holidays.isHoliday(date)
    }

    /// The day itself when it is a business day, else the first one after it.
    public func nextBusinessDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var day = date
        // Ends within 366 days: the initialiser guarantees a business day in any year.
        while !isBusinessDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// The `count`-th business day after `date` (before it when negative); `date` itself
    /// when `count` is 0, business day or not.
    ///
    /// Friday 2026-05-08 is a holiday; Thursday 2026-05-07 + 1 business day = Monday 2026-05-11.
    /// The inverse of ``businessDays(from:to:)``: `businessDays(from: d, to: adding(n, d)) == n`.
    public func adding(businessDays count: Int, to date: CalendarDate) -> CalendarDate {
        let step = count >= 0 ? 1 : -1
        var day = date
        var left = abs(count)
        while left > 0 {
            day = day.adding(days: step)
            if isBusinessDay(day) { left -= 1 }
        }
        return day
    }

    /// How many business days lie after `start` up to and including `end`: the business days
    /// that have passed. Backwards (`end` before `start`), minus those from `end` included to
    /// `start` excluded, the days ``adding(businessDays:to:)`` lands on going back, so that
    /// `businessDays(from: d, to: adding(businessDays: n, to: d)) == n` for every `n`.
    ///
    /// A statement imported on Friday 2026-05-15, read on Tuesday 2026-05-19: Monday 18 and
    /// Tuesday 19 are business days, so 2 (the weekend does not count).
    public func businessDays(from start: CalendarDate, to end: CalendarDate) -> Int {
        let (first, last, sign) = end >= start ? (start.adding(days: 1), end, 1) : (end, start.adding(days: -1), -1)
        var count = 0
        var day = first
        while day <= last {
            if isBusinessDay(day) { count += 1 }
            day = day.adding(days: 1)
        }
        return sign * count
    }
}
