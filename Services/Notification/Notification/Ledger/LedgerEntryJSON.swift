import Events
import Foundation

/// A ledger entry as JSON, written by hand: the same bytes as `JSONEncoder` with sorted keys
/// and ISO 8601 dates (what ``NotificationLedger/decoder`` reads back), without its cost.
///
/// Each e-mail's entry is encoded twice (`sending`, then its outcome), for the row and the
/// changelog record; `JSONEncoder` walked it through `Codable` containers, sorted its keys and
/// formatted the date with Foundation's ISO 8601 style each time. An entry holding a parked
/// command (rare) still goes through `JSONEncoder`.
enum LedgerEntryJSON {
    /// - Throws: `EncodingError` only for an entry with a command `JSONEncoder` cannot encode.
    static func encode(_ entry: LedgerEntry, fallback: JSONEncoder) throws -> Data {
        if entry.command != nil { return try fallback.encode(entry) }
        var out: [UInt8] = []
        out.reserveCapacity(256 + entry.delivered.count * 40 + entry.providerMessageIds.count * 60 + (entry.lastError?.utf8.count ?? 0))
        // Keys in sorted order, as `.sortedKeys` writes them; absent optionals are left out.
        out.append(contentsOf: #"{"attempts":"#.utf8)
        appendInteger(Int64(entry.attempts), to: &out)
        out.append(contentsOf: #","channel":"#.utf8)
        appendString(entry.channel, to: &out)
        if let cost = entry.cost {
            out.append(contentsOf: #","cost":"#.utf8)
            appendInteger(cost, to: &out)
        }
        out.append(contentsOf: #","customerId":"#.utf8)
        appendString(entry.customerId, to: &out)
        out.append(contentsOf: #","delivered":"#.utf8)
        appendStrings(entry.delivered, to: &out)
        if let fallbackUsed = entry.fallbackUsed {
            out.append(contentsOf: #","fallbackUsed":"#.utf8)
            appendString(fallbackUsed, to: &out)
        }
        if let lastError = entry.lastError {
            out.append(contentsOf: #","lastError":"#.utf8)
            appendString(lastError, to: &out)
        }
        out.append(contentsOf: #","notificationId":"#.utf8)
        appendString(entry.notificationId, to: &out)
        out.append(contentsOf: #","partition":"#.utf8)
        appendInteger(Int64(entry.partition), to: &out)
        out.append(contentsOf: #","providerMessageIds":"#.utf8)
        appendStrings(entry.providerMessageIds, to: &out)
        if let released = entry.releasedByOperator {
            out.append(contentsOf: #","releasedByOperator":"#.utf8)
            out.append(contentsOf: (released ? "true" : "false").utf8)
        }
        if let spentOn = entry.spentOn {
            out.append(contentsOf: #","spentOn":"#.utf8)
            appendString(spentOn, to: &out)
        }
        out.append(contentsOf: #","state":"#.utf8)
        appendString(entry.state.rawValue, to: &out)
        out.append(contentsOf: #","updatedAt":""#.utf8)
        appendInstant(entry.updatedAt, to: &out)
        out.append(contentsOf: #""}"#.utf8)
        return Data(out)
    }

    private static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    private static func appendStrings(_ values: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A JSON string as `JSONEncoder` escapes it: `"`, `\` and `/` with a backslash, the
    /// control characters below U+0020 by name or as `\u00XX`; everything else as UTF-8.
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "/"): out.append(contentsOf: #"\/"#.utf8)
            case 0x08: out.append(contentsOf: #"\b"#.utf8)
            case 0x0C: out.append(contentsOf: #"\f"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case 0x00..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 0x0F))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }

    /// `2026-12-02T03:36:34Z`: whole seconds in UTC, as the ISO 8601 date strategy writes.
    static func appendInstant(_ date: Date, to out: inout [UInt8]) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, remainder) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (dayNumber, secondOfDay) = remainder < 0 ? (days - 1, remainder + 86_400) : (days, remainder)
        let civil = CalendarDate(daysSinceEpoch: Int(dayNumber))
        func append(_ value: Int64, width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        append(Int64(civil.year), width: 4)
        out.append(UInt8(ascii: "-"))
        append(Int64(civil.month), width: 2)
        out.append(UInt8(ascii: "-"))
        append(Int64(civil.day), width: 2)
        out.append(UInt8(ascii: "T"))
        append(secondOfDay / 3_600, width: 2)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay / 60 % 60, width: 2)
        out.append(UInt8(ascii: ":"))
        append(secondOfDay % 60, width: 2)
        out.append(UInt8(ascii: "Z"))
    }
}
