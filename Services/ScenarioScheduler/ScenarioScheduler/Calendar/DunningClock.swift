import Events
import Foundation

/// When a dunning message may go out: on a business day of the ``BusinessCalendar``, inside the
/// ``SendingWindow``, both read on the customer's wall clock.
///
/// An instant is *allowed* when, in the customer's time zone, its calendar day is a business
/// day and one of the window's weekdays, and its wall-clock time is inside one of the
/// window's ranges. Everything here is defined by that mapping from instants to wall-clock
/// times, which always exists, never by the reverse (a wall-clock time can name no instant or
/// two), so daylight-saving transitions need no special case:
///
/// - Spring forward (Europe/Paris 2026-03-29, 02:00 jumps to 03:00): a window opening at 02:30
///   opens at the first instant whose wall time is past 02:30, 03:00 CEST (01:00 UTC); the
///   skipped half hour simply has no instants.
/// - Fall back (Europe/Paris 2026-10-25, 03:00 returns to 02:00): wall times 02:00-03:00 happen
///   twice; a window opening at 02:30 opens at the first of them, 02:30 CEST (00:30 UTC), and
///   the repeated half hour is allowed both times (it is inside the window both times).
///
/// Searches are bounded: the initialiser refuses a window whose weekdays never meet a business
/// day, and ``BusinessCalendar`` guarantees business days on every weekday within a year.
public struct DunningClock: Sendable, Hashable {
    /// The worked days.
    public let calendar: BusinessCalendar
    /// The allowed weekdays and hours.
    public let window: SendingWindow

    /// France's business days, Monday-Friday 09:00-18:00.
    public static let standard = DunningClock(unchecked: .france, window: .standard)

    /// Creates a clock.
    /// - Throws: `CalendarError.neverOpen` when every weekday of the window is a weekend day.
    public init(calendar: BusinessCalendar = .france, window: SendingWindow = .standard) throws(CalendarError) {
        let sendingWeekdays = window.weekdays.subtracting(calendar.weekendDays).count
        guard sendingWeekdays > 0 else {
            throw CalendarError(.neverOpen,
                "the window's weekdays (\(window.weekdays.sorted().map(\.description).joined(separator: ", "))) are all weekend days; nothing could ever be sent",
                location: "window.weekdays")
        }
        // Each weekday comes at least 52 times in 366 days, each holiday rule at most twice:
        // this keeps a sending day in every year, which bounds the searches.
        guard 2 * calendar.holidays.holidays.count < 52 * sendingWeekdays else {
            throw CalendarError(.neverOpen,
                "\(calendar.holidays.holidays.count) holiday rules could cover every sending day of a year on \(sendingWeekdays) weekday(s); open the window on more weekdays",
                location: "window.weekdays")
        }
        self.init(unchecked: calendar, window: window)
    }

    /// A clock for a holiday calendar named by its code (`--calendar FR`), with the Saturday +
    /// Sunday weekend.
    /// - Throws: `CalendarError.unknownCalendar` for an unknown code; `.neverOpen` as
    ///   ``init(calendar:window:)``.
    public init(calendarCode: String, window: SendingWindow = .standard, configured: [HolidayCalendar] = []) throws(CalendarError) {
        let holidays = try HolidayCalendar.named(calendarCode, configured: configured)
        try self.init(calendar: try BusinessCalendar(holidays: holidays), window: window)
    }

    private init(unchecked calendar: BusinessCalendar, window: SendingWindow) {
        self.calendar = calendar
        self.window = window
    }

    /// Whether a day may carry messages: a business day and one of the window's weekdays.
    public func isSendingDay(_ date: CalendarDate) -> Bool {
        window.weekdays.contains(Weekday(of: date)) && calendar.isBusinessDay(date)
    }

    /// Whether a message may go out at this instant to a customer in `timeZone`.
    public func isAllowed(_ instant: Date, in timeZone: TimeZone) -> Bool {
        let wall = instant.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: instant))
        let day = CalendarDate(date: instant, in: timeZone)
        let secondOfDay = wall - Double(day.daysSinceEpoch) * 86_400
        let minute = Int((secondOfDay / 60).rounded(.down))
        return isSendingDay(day) && window.hours.contains { $0.contains(minute: minute) }
    }

    /// The first allowed instant on or after a calendar day: the send time of a step planned
    /// for that day (due date + the step's offset). On a sending day that is the window's
    /// opening; otherwise the opening of the next sending day.
    ///
    /// Never earlier than the day's first instant in `timeZone`, never outside the window.
    public func firstSendInstant(onOrAfter day: CalendarDate, in timeZone: TimeZone) -> Date {
        earliestAllowedInstant(atOrAfter: DunningClock.startOfDay(day, in: timeZone), in: timeZone)
    }

    /// The earliest allowed instant at or after `instant`: `instant` itself when it is
    /// allowed. Deferrals (a contact cap, a retry) go through here, so a moved send stays
    /// inside a window.
    public func earliestAllowedInstant(atOrAfter instant: Date, in timeZone: TimeZone) -> Date {
        if isAllowed(instant, in: timeZone) { return instant }
        let from = instant.timeIntervalSince1970
        // A wall-clock day can start up to a few hours before the previous one ends (fall
        // back), never a whole day: start one day back, and once a candidate is found look one
        // day further for an earlier instant.
        var day = CalendarDate(date: instant, in: timeZone).adding(days: -1)
        var best: Double?
        // A sending day comes within 366 days (see the initialiser); the bound of two years
        // only guards against a zone whose transitions swallow every window (none does).
        var lastDayToSearch = day.daysSinceEpoch + 2 * 366
        var found = false
        while day.daysSinceEpoch <= lastDayToSearch {
            if isSendingDay(day) {
                for range in window.hours {
                    for interval in DunningClock.instants(of: range, on: day, in: timeZone) where interval.upperBound > from {
                        let candidate = max(interval.lowerBound, from)
                        if best.map({ candidate < $0 }) ?? true { best = candidate }
                    }
                }
                if best != nil, !found {
                    found = true
                    lastDayToSearch = day.daysSinceEpoch + 1
                }
            }
            day = day.adding(days: 1)
        }
        return Date(timeIntervalSince1970: best ?? from)
    }

    // MARK: - Wall clock to instants

    /// The first instant of a calendar day in a time zone (later than local midnight when
    /// midnight itself is skipped by a transition).
    public static func startOfDay(_ day: CalendarDate, in timeZone: TimeZone) -> Date {
        let wholeDay = LocalTimeRange(uncheckedStart: 0, end: 1440)
        let first = instants(of: wholeDay, on: day, in: timeZone).first?.lowerBound
        // A day skipped entirely (Pacific/Apia, 2011-12-30) has no instant: take the offset in
        // force around that wall time; the instant then falls on a later day, never earlier.
        let midnight = Double(day.daysSinceEpoch) * 86_400
        return Date(timeIntervalSince1970: first ?? midnight - Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: midnight))))
    }

    /// The instants, as half-open intervals of seconds since 1970 in time order, whose wall
    /// time in `timeZone` falls on `day` inside `range`: usually one interval, shorter on a
    /// spring-forward day, two on a fall-back day whose repeated hour meets the range, none
    /// when the range falls entirely in a skipped hour.
    ///
    /// The instants are split into spans of constant UTC offset (the zone's transitions); in a
    /// span of offset `o`, wall time `w` is instant `w - o`, so the span contributes its part
    /// of `[start - o, end - o)`.
    static func instants(of range: LocalTimeRange, on day: CalendarDate, in timeZone: TimeZone) -> [Range<Double>] {
        let wallStart = Double(day.daysSinceEpoch * 86_400 + range.startMinute * 60)
        let wallEnd = Double(day.daysSinceEpoch * 86_400 + range.endMinute * 60)
        // UTC offsets lie within -12 h ... +14 h: a day's margin on each side covers them.
        let searchStart = wallStart - 86_400
        let searchEnd = wallEnd + 86_400
        var boundaries = [searchStart]
        var cursor = Date(timeIntervalSince1970: searchStart)
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next.timeIntervalSince1970 < searchEnd,
              next > cursor {
            boundaries.append(next.timeIntervalSince1970)
            cursor = next
        }
        boundaries.append(searchEnd)
        var result: [Range<Double>] = []
        for (spanStart, spanEnd) in zip(boundaries, boundaries.dropFirst()) {
            for (start, end, offset) in constantOffsetSpans(spanStart, spanEnd, in: timeZone) {
                let lower = max(start, wallStart - offset)
                let upper = min(end, wallEnd - offset)
                guard lower < upper else { continue }
                if let last = result.last, last.upperBound == lower {
                    result[result.count - 1] = last.lowerBound..<upper
                } else {
                    result.append(lower..<upper)
                }
            }
        }
        return result
    }

    /// Splits a span between two daylight-saving transitions where the offset still changes
    /// (a zone moving its standard offset, which not every platform reports as a transition),
    /// by bisection to the second.
    private static func constantOffsetSpans(_ start: Double, _ end: Double, in timeZone: TimeZone) -> [(Double, Double, Double)] {
        func offset(_ seconds: Double) -> Double { Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))) }
        let first = offset(start)
        let last = offset(end - 1)
        guard first != last, end - start > 1 else { return [(start, end, first)] }
        var low = start, high = end - 1 // offset(low) == first, offset(high) != first
        while high - low > 1 {
            let middle = ((low + high) / 2).rounded(.down)
            if offset(middle) == first { low = middle } else { high = middle }
        }
        return [(start, high, first)] + constantOffsetSpans(high, end, in: timeZone)
    }
}

extension DunningClock: Codable {
    private enum CodingKeys: String, CodingKey { case calendar, window }

    /// Decodes `{calendar: {weekendDays, holidays}, window: {weekdays, hours}}`; both optional
    /// (defaults: ``BusinessCalendar/france``, ``SendingWindow/standard``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let calendar = try container.decodeIfPresent(BusinessCalendar.self, forKey: .calendar) ?? .france
        let window = try container.decodeIfPresent(SendingWindow.self, forKey: .window) ?? .standard
        do {
            try self.init(calendar: calendar, window: window)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath + [CodingKeys.window], debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes the configuration form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(calendar, forKey: .calendar)
        try container.encode(window, forKey: .window)
    }
}
