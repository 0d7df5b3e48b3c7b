import Events

/// A day of the week, numbered as ISO 8601 does (Monday = 1 ... Sunday = 7, like
/// `CalendarDate.isoWeekday`). Configuration writes it in lower-case English ("monday").
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The weekday of a calendar date.
    public init(of date: CalendarDate) {
        // `isoWeekday` is always 1...7.
        self = Weekday(rawValue: date.isoWeekday) ?? .monday
    }

    /// Monday through Friday.
    public static let workweek: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    /// Saturday and Sunday.
    public static let weekend: Set<Weekday> = [.saturday, .sunday]

    /// The configuration name, "monday".
    public var description: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    /// ISO order, Monday first.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Weekday: Codable {
    /// Decodes a lower-case English name ("monday"; "mon" is accepted too).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self).lowercased()
        guard let day = Weekday.allCases.first(where: { $0.description == text || String($0.description.prefix(3)) == text }) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a weekday; write monday, tuesday, ... sunday"))
        }
        self = day
    }

    /// Encodes the lower-case English name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
