/// A calendar, window or preview request that cannot be used: what is wrong, where, and what
/// to do.
public struct CalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable, Hashable, Codable {
        /// A holiday rule that does not describe a day (month 13, 30 February, an Easter offset
        /// that leaves the year).
        case invalidHoliday
        /// A calendar code that is neither built in nor configured.
        case unknownCalendar
        /// Weekend days that leave no business day, or holidays so many that a year could
        /// have none.
        case invalidWeekend
        /// A sending window without weekdays or hours, or with overlapping or malformed hours.
        case invalidWindow
        /// The window's weekdays and the business days never meet: nothing could ever be sent.
        case neverOpen
        /// A time zone identifier that is not in the IANA database.
        case unknownTimeZone
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong, for a person, including what to do.
    public let reason: String
    /// Where: a configuration path ("holidays[3]", "window.hours[1]") or an argument name.
    public let location: String?

    /// Creates the error.
    public init(_ code: Code, _ reason: String, location: String? = nil) {
        self.code = code
        self.reason = reason
        self.location = location
    }

    /// "location: reason (code)".
    public var description: String {
        (location.map { "\($0): " } ?? "") + reason + " (\(code.rawValue))"
    }
}
