import Events
import Foundation

/// The send instant of each step of a scenario for one due date: what
/// `scenario-scheduler preview --scenario NAME --due YYYY-MM-DD --tz ZONE [--calendar FR]`
/// prints, one step a line (``text``) or as JSON (``json()``).
///
/// A step planned `offsetDays` after the due date (negative: before) goes out at the
/// ``DunningClock``'s first allowed instant on or after that day.
public struct PreviewSchedule: Sendable, Hashable {
    /// One step's plan.
    public struct Entry: Sendable, Hashable {
        /// The step's id in its scenario.
        public let stepId: String
        /// Days from the due date.
        public let offsetDays: Int
        /// Due date + offset: the day the scenario asks for.
        public let plannedDay: CalendarDate
        /// When the step is sent.
        public let sendAt: Date
    }

    /// The due date the offsets count from.
    public let due: CalendarDate
    /// The customer's time zone.
    public let timeZone: TimeZone
    /// The steps in the scenario's order.
    public let entries: [Entry]

    /// Plans the steps.
    /// - Parameters:
    ///   - steps: `(stepId, offsetDays)` in the scenario's order.
    ///   - due: The invoice's due date.
    ///   - timeZone: The customer's time zone.
    ///   - clock: The business calendar and sending window.
    public init(steps: [(stepId: String, offsetDays: Int)], due: CalendarDate, timeZone: TimeZone, clock: DunningClock) {
        self.due = due
        self.timeZone = timeZone
        entries = steps.map { step in
            let day = due.adding(days: step.offsetDays)
            return Entry(stepId: step.stepId, offsetDays: step.offsetDays, plannedDay: day,
                         sendAt: clock.firstSendInstant(onOrAfter: day, in: timeZone))
        }
    }

    /// One step a line, `stepId<TAB>2026-04-07T09:00:00+02:00`, each line ending in a newline.
    public var text: String {
        entries.map { "\($0.stepId)\t\(PreviewSchedule.iso8601($0.sendAt, in: timeZone))\n" }.joined()
    }

    /// `{"due", "timeZone", "steps": [{"stepId", "offsetDays", "plannedDay", "sendAt"}]}`, keys
    /// sorted, `sendAt` as in ``text``.
    /// - Throws: what `JSONEncoder` throws (nothing, for these strings and integers).
    public func json() throws -> String {
        struct Step: Encodable { let stepId: String, offsetDays: Int, plannedDay: CalendarDate, sendAt: String }
        struct Document: Encodable { let due: CalendarDate, timeZone: String, steps: [Step] }
        let document = Document(due: due, timeZone: timeZone.identifier, steps: entries.map {
            Step(stepId: $0.stepId, offsetDays: $0.offsetDays, plannedDay: $0.plannedDay,
                 sendAt: PreviewSchedule.iso8601($0.sendAt, in: timeZone))
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self)
    }

    /// A time zone by its IANA identifier ("Europe/Paris", "UTC").
    /// - Throws: `CalendarError.unknownTimeZone`.
    public static func timeZone(named identifier: String) throws(CalendarError) -> TimeZone {
        // Not checked against `knownTimeZoneIdentifiers`: on Linux it lists ICU's canonical
        // names only ("Asia/Calcutta", not the IANA "Asia/Kolkata").
        guard !identifier.isEmpty, let zone = TimeZone(identifier: identifier) else {
            throw CalendarError(.unknownTimeZone, "'\(identifier)' is not an IANA time zone; write it like Europe/Paris or America/New_York", location: "tz")
        }
        return zone
    }

    /// An instant in ISO 8601 with the zone's offset at that instant, to the second (fractions
    /// are dropped): `2026-03-30T09:00:00+02:00`; UTC is written `+00:00`.
    public static func iso8601(_ date: Date, in timeZone: TimeZone) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let wall = Int((date.timeIntervalSince1970 + Double(offset)).rounded(.down))
        let days = wall >= 0 ? wall / 86_400 : (wall - 86_399) / 86_400
        let second = wall - days * 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let sign = offset < 0 ? "-" : "+"
        let offsetMinutes = abs(offset) / 60
        return "\(CalendarDate(daysSinceEpoch: days))T\(two(second / 3600)):\(two(second % 3600 / 60)):\(two(second % 60))"
            + "\(sign)\(two(offsetMinutes / 60)):\(two(offsetMinutes % 60))"
    }
}
