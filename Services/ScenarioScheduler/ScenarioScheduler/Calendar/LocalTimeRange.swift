/// A range of wall-clock times within a day, start included, end excluded, in minutes after
/// midnight: `08:30-12:00` is 510..<720. The end may be `24:00` (1440), midnight at the end of
/// the day. Written in configuration as `"HH:MM-HH:MM"`.
public struct LocalTimeRange: Sendable, Hashable, CustomStringConvertible {
    /// The first minute inside the range (0...1439).
    public let startMinute: Int
    /// The first minute after the range (1...1440).
    public let endMinute: Int

    /// Creates a range.
    /// - Throws: `CalendarError.invalidWindow` unless `0 <= start < end <= 1440`.
    public init(startMinute: Int, endMinute: Int) throws(CalendarError) {
        guard 0 <= startMinute, startMinute < endMinute, endMinute <= 1440 else {
            throw CalendarError(.invalidWindow,
                "hours \(LocalTimeRange.clock(startMinute))-\(LocalTimeRange.clock(endMinute)) are not a range within a day; the start must come before the end, from 00:00 to 24:00")
        }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// For constants valid by construction.
    init(uncheckedStart startMinute: Int, end endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `"08:30-12:00"`.
    /// - Throws: `CalendarError.invalidWindow` for any other shape or an empty range.
    public init(parsing text: String) throws(CalendarError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = LocalTimeRange.minutes(parts[0]), let end = LocalTimeRange.minutes(parts[1]) else {
            throw CalendarError(.invalidWindow, "'\(text)' is not a range of hours; write HH:MM-HH:MM, like 09:00-18:00")
        }
        try self.init(startMinute: start, endMinute: end)
    }

    /// Whether a minute of the day is inside.
    public func contains(minute: Int) -> Bool { (startMinute..<endMinute).contains(minute) }

    /// `"08:30-12:00"`.
    public var description: String { "\(LocalTimeRange.clock(startMinute))-\(LocalTimeRange.clock(endMinute))" }

    private static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// `HH:MM` with two digits each, 00:00 through 24:00.
    private static func minutes(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              bytes.enumerated().allSatisfy({ $0.offset == 2 || (48...57).contains($0.element) })
        else { return nil }
        let hours = Int(bytes[0] - 48) * 10 + Int(bytes[1] - 48)
        let minutes = Int(bytes[3] - 48) * 10 + Int(bytes[4] - 48)
        guard minutes < 60, hours < 24 || (hours == 24 && minutes == 0) else { return nil }
        return hours * 60 + minutes
    }
}

extension LocalTimeRange: Codable {
    /// Decodes `"HH:MM-HH:MM"`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: error.reason, underlyingError: error))
        }
    }

    /// Encodes `"HH:MM-HH:MM"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
