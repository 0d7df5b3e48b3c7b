import Foundation

/// Relance's JSON conventions for event data and HTTP bodies: camelCase keys, ISO 8601
/// instants with fractional seconds in UTC, sorted keys (stable bytes for idempotency hashes).
public enum EventJSON {
    /// Encodes a value with the conventions.
    /// - Throws: `EncodingError`.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        try sharedEncoder.encode(value)
    }

    /// Decodes a value with the conventions.
    /// - Throws: `DecodingError`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try sharedDecoder.decode(type, from: data)
    }

    // Encoders are costly to create and thread-safe to use: the hot paths (outbox, imports,
    // consumers) share one of each. Their options are never changed after creation.
    private static let sharedEncoder = encoder
    private static let sharedDecoder = decoder

    /// A fresh encoder with the conventions, for callers that need to adjust options.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatInstant(date))
        }
        return encoder
    }

    /// A fresh decoder with the conventions; accepts instants with or without fractions.
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseInstant(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not an ISO 8601 instant like 2026-11-29T10:15:00Z")
            }
            return date
        }
        return decoder
    }

    /// Formats an instant as ISO 8601 UTC with milliseconds: `2026-11-29T10:15:00.123Z`.
    public static func formatInstant(_ date: Date) -> String {
        // By hand: this runs for every event written and every row stamped, and Foundation's
        // format style costs several microseconds a call.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, remainder) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (dayNumber, millisecondOfDay) = remainder < 0 ? (days - 1, remainder + 86_400_000) : (days, remainder)
        let civil = CalendarDate(daysSinceEpoch: Int(dayNumber))
        let (year, month, day) = (Int64(civil.year), Int64(civil.month), Int64(civil.day))
        var bytes = [UInt8]()
        bytes.reserveCapacity(24)
        func append(_ value: Int64, width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, width: 4); bytes.append(UInt8(ascii: "-"))
        append(month, width: 2); bytes.append(UInt8(ascii: "-"))
        append(day, width: 2); bytes.append(UInt8(ascii: "T"))
        append(millisecondOfDay / 3_600_000, width: 2); bytes.append(UInt8(ascii: ":"))
        append(millisecondOfDay / 60_000 % 60, width: 2); bytes.append(UInt8(ascii: ":"))
        append(millisecondOfDay / 1000 % 60, width: 2); bytes.append(UInt8(ascii: "."))
        append(millisecondOfDay % 1000, width: 3); bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses an ISO 8601 instant with or without fractional seconds.
    public static func parseInstant(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
