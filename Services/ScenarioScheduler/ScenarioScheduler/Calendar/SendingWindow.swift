/// When messages may reach a customer: some weekdays, some hours of the day, read on the
/// customer's wall clock (the time zone is the customer's, given to ``DunningClock``).
///
/// Default: Monday to Friday, 09:00-18:00. Configuration form:
/// ```yaml
/// weekdays: [monday, tuesday, wednesday, thursday, friday]
/// hours: ["08:30-12:00", "14:00-17:30"]
/// ```
public struct SendingWindow: Sendable, Hashable {
    /// The weekdays messages may go out (public holidays and weekend days are excluded by the
    /// ``BusinessCalendar`` as well).
    public let weekdays: Set<Weekday>
    /// The allowed hours, sorted, disjoint and not touching (`09:00-12:00` and `12:00-14:00`
    /// must be written `09:00-14:00`).
    public let hours: [LocalTimeRange]

    /// Monday to Friday, 09:00-18:00.
    public static let standard = SendingWindow(unchecked: Weekday.workweek, hours: [.nineToSix])

    /// Creates a window.
    /// - Throws: `CalendarError.invalidWindow` when there is no weekday or no range, or when
    ///   two ranges overlap or touch.
    public init(weekdays: Set<Weekday> = Weekday.workweek, hours: [LocalTimeRange]) throws(CalendarError) {
        guard !weekdays.isEmpty else {
            throw CalendarError(.invalidWindow, "a sending window needs at least one weekday", location: "weekdays")
        }
        guard !hours.isEmpty else {
            throw CalendarError(.invalidWindow, "a sending window needs at least one range of hours, like 09:00-18:00", location: "hours")
        }
        let sorted = hours.sorted { $0.startMinute < $1.startMinute }
        for (earlier, later) in zip(sorted, sorted.dropFirst()) where later.startMinute <= earlier.endMinute {
            throw CalendarError(.invalidWindow, "hours \(earlier) and \(later) overlap or touch; merge them into one range", location: "hours")
        }
        self.init(unchecked: weekdays, hours: sorted)
    }

    private init(unchecked weekdays: Set<Weekday>, hours: [LocalTimeRange]) {
        self.weekdays = weekdays
        self.hours = hours
    }

    /// Whether a weekday and a minute of the day (0...1439) fall inside the window.
    public func contains(_ weekday: Weekday, minute: Int) -> Bool {
        weekdays.contains(weekday) && hours.contains { $0.contains(minute: minute) }
    }
}

extension SendingWindow: Codable {
    private enum CodingKeys: String, CodingKey { case weekdays, hours }

    /// Decodes `{weekdays, hours}`; weekdays default to Monday-Friday.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let weekdays = try container.decodeIfPresent(Set<Weekday>.self, forKey: .weekdays) ?? Weekday.workweek
        let hours = try container.decode([LocalTimeRange].self, forKey: .hours)
        do {
            try self.init(weekdays: weekdays, hours: hours)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes the configuration form, weekdays in ISO order.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(weekdays.sorted(), forKey: .weekdays)
        try container.encode(hours, forKey: .hours)
    }
}

extension LocalTimeRange {
    /// 09:00-18:00.
    static let nineToSix = LocalTimeRange(uncheckedStart: 540, end: 1080)
}
