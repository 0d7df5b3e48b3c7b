import Foundation

/// A day in the proleptic Gregorian calendar, without time or time zone: an invoice's issue
/// date, a due date, the day a payment arrived.
///
/// Due dates are calendar dates, not instants: "due on 2025-03-31" means the whole day
/// wherever the customer is. Encodes as the ISO 8601 string `YYYY-MM-DD`; decoding accepts
/// exactly that form and refuses days that do not exist (`2025-02-30`).
///
/// All arithmetic is done on integers (Howard Hinnant's days-from-civil algorithm), so no
/// `Calendar` is allocated on hot paths.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year (`2025`). Years before 1 follow the proleptic Gregorian calendar (0 = 1 BC).
    public let year: Int
    /// The month, 1 (January) through 12 (December).
    public let month: Int
    /// The day of the month, 1 through 28...31.
    public let day: Int

    /// Why a text or a year/month/day triple is not a calendar date.
    public struct InvalidDate: Error, Hashable, Sendable, CustomStringConvertible {
        /// A sentence for people: what was wrong and how to fix it.
        public let reason: String

        /// Creates the error with its explanation.
        public init(reason: String) { self.reason = reason }

        /// The reason.
        public var description: String { reason }
    }

    /// Creates a date from its parts.
    /// - Throws: `CalendarDate.InvalidDate` when the month is not 1...12 or the day does not
    ///   exist in that month (`2025-02-29`).
    public init(year: Int, month: Int, day: Int) throws(InvalidDate) {
        guard (1...12).contains(month) else {
            throw InvalidDate(reason: "month \(month) does not exist; use 1 through 12")
        }
        let last = CalendarDate.daysIn(month: month, year: year)
        guard (1...last).contains(day) else {
            throw InvalidDate(reason: "day \(day) does not exist in \(year)-\(CalendarDate.pad2(month)), which has \(last) days")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date a number of days after 1970-01-01 (negative: before).
    public init(daysSinceEpoch: Int) {
        let (year, month, day) = CalendarDate.civil(fromDays: daysSinceEpoch)
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 calendar date in its extended form, exactly `YYYY-MM-DD`.
    /// - Throws: `CalendarDate.InvalidDate` for any other shape ("2025-3-1", "2025-03-01T00:00Z")
    ///   or a day that does not exist ("2025-02-30").
    public init(iso8601 text: String) throws(InvalidDate) {
        // Fast path: native strings give contiguous UTF-8 without copying.
        let fast = text.utf8.withContiguousStorageIfAvailable { CalendarDate.parseISO($0) }
        guard let parts = fast ?? Array(text.utf8).withUnsafeBufferPointer({ CalendarDate.parseISO($0) }) else {
            throw InvalidDate(reason: "'\(text)' is not a date; write it as YYYY-MM-DD, like 2025-03-31")
        }
        do {
            try self.init(year: parts.0, month: parts.1, day: parts.2)
        } catch {
            throw InvalidDate(reason: "'\(text)' is not a valid date: \(error.reason)")
        }
    }

    /// The calendar day an instant falls on in a time zone (the customer's, for example).
    /// - Parameters:
    ///   - date: The instant.
    ///   - timeZone: Where the day is counted; its offset at that instant (with daylight
    ///     saving time) applies.
    public init(date: Date, in timeZone: TimeZone) {
        let offset = Double(timeZone.secondsFromGMT(for: date))
        let localSeconds = (date.timeIntervalSince1970 + offset).rounded(.down)
        let days = (localSeconds / 86_400).rounded(.down)
        // Clamp to a range where `Int(_:)` cannot trap: ±1e12 days is far beyond any real date.
        self.init(daysSinceEpoch: Int(max(-1e12, min(1e12, days))))
    }

    /// Days since 1970-01-01 (negative before it).
    public var daysSinceEpoch: Int {
        CalendarDate.days(fromCivil: year, month, day)
    }

    /// The date `days` days later (earlier when negative).
    ///
    /// Like integer arithmetic, traps only for counts beyond any calendar (±2^62 days); callers
    /// that take day counts from input bound them first (payment terms allow 0...365).
    public func adding(days: Int) -> CalendarDate {
        CalendarDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// The same day `months` months later (earlier when negative), moved back to the last day
    /// of the target month when it does not have that day: 2025-01-31 + 1 month = 2025-02-28.
    public func adding(months: Int) -> CalendarDate {
        let zeroBased = year * 12 + (month - 1) + months
        let newYear = zeroBased >= 0 ? zeroBased / 12 : (zeroBased - 11) / 12
        let newMonth = zeroBased - newYear * 12 + 1
        let newDay = min(day, CalendarDate.daysIn(month: newMonth, year: newYear))
        return CalendarDate(unchecked: newYear, newMonth, newDay)
    }

    /// The number of days from `other` to this date: positive when this date is later.
    /// `2025-03-10.days(from: 2025-03-01)` is 9.
    public func days(from other: CalendarDate) -> Int {
        daysSinceEpoch - other.daysSinceEpoch
    }

    /// Same as ``days(from:)``: how many days this date is after `other` (negative if before).
    public func daysSince(_ other: CalendarDate) -> Int {
        days(from: other)
    }

    /// The last day of this date's month.
    public var endOfMonth: CalendarDate {
        CalendarDate(unchecked: year, month, CalendarDate.daysIn(month: month, year: year))
    }

    /// The first day of this date's month.
    public var startOfMonth: CalendarDate {
        CalendarDate(unchecked: year, month, 1)
    }

    /// The number of days in this date's month (28...31).
    public var daysInMonth: Int {
        CalendarDate.daysIn(month: month, year: year)
    }

    /// ISO 8601 weekday: 1 = Monday ... 7 = Sunday.
    public var isoWeekday: Int {
        let remainder = ((daysSinceEpoch % 7) + 7) % 7 // 0 = Thursday 1970-01-01
        return (remainder + 3) % 7 + 1
    }

    /// Whether `year` is a leap year in the Gregorian calendar.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month of a year (28...31); `month` must be 1...12.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The ISO 8601 form, `YYYY-MM-DD`.
    public var description: String {
        let yearText: String
        if (0...9999).contains(year) {
            let digits = String(year)
            yearText = String(repeating: "0", count: 4 - digits.count) + digits
        } else {
            yearText = String(year)
        }
        return "\(yearText)-\(CalendarDate.pad2(month))-\(CalendarDate.pad2(day))"
    }

    /// Chronological order.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    // MARK: - Internals

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    private static func pad2(_ value: Int) -> String {
        value < 10 && value >= 0 ? "0\(value)" : String(value)
    }

    /// Reads `YYYY-MM-DD` from UTF-8 bytes; nil for any other shape.
    private static func parseISO(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        return (year, month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-compatible
    /// low-level date algorithms").
    private static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `days(fromCivil:)`.
    private static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

extension CalendarDate: Codable {
    /// Decodes `YYYY-MM-DD`; anything else, including impossible days, is a `DecodingError`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(iso8601: text)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes as `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
