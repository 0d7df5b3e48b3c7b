import Foundation
import Money

/// A value that writes its own JSON, byte for byte as ``EventJSON/encode(_:)`` would encode it
/// (sorted keys, unescaped slashes, absent optionals left out, instants as
/// ``EventJSON/formatInstant(_:)``), without going through `JSONEncoder`.
///
/// For the events written in bulk: encoding a `notification.requested` through `JSONEncoder`
/// was 40 % of a busy scheduler tick (relance-scheduler-bench). A conforming type's writer must
/// keep up with its `Codable` form; tests compare both on varied values.
public protocol EventJSONWritable {
    /// Appends the value's JSON to `writer`.
    func writeJSON(to writer: inout EventJSONWriter)
}

/// Writes JSON in ``EventJSON``'s conventions into a byte buffer that can be reused between
/// values (``reset()`` keeps its capacity).
///
/// The caller writes an object's keys in sorted order (UTF-8 byte order, as `JSONEncoder`'s
/// `.sortedKeys` does); commas are placed by the writer. Strings are escaped as `JSONEncoder`
/// escapes them: `"` and `\` backslashed, `\b \f \n \r \t` by name, other control characters as
/// `\u00xx` (lower-case hex), everything else as its UTF-8 bytes.
public struct EventJSONWriter: Sendable {
    /// The JSON written since the last ``reset()``.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 4_096) {
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its storage for the next value.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// The bytes written, as `Data`.
    public var data: Data { Data(bytes) }

    /// Encodes a value into a fresh buffer.
    public static func encode(_ value: some EventJSONWritable) -> Data {
        var writer = EventJSONWriter()
        value.writeJSON(to: &writer)
        return writer.data
    }

    // MARK: Structure

    public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")) }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")) }
    public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")) }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")) }

    /// Writes a key (ASCII, no character to escape: the keys of Relance's events).
    public mutating func key(_ key: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A comma before a key or an array element, unless it is the first of its container or
    /// the value of a key.
    private mutating func separate() {
        guard let last = bytes.last else { return }
        if last != UInt8(ascii: "{") && last != UInt8(ascii: "[") && last != UInt8(ascii: ":") {
            bytes.append(UInt8(ascii: ","))
        }
    }

    // MARK: Values

    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            // Most strings need no escape: copy them whole.
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                escape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }

    public mutating func integer(_ value: Int) {
        integer(Int64(value))
    }

    public mutating func integer(_ value: Int64) {
        separate()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Most significant digit first; the magnitude keeps Int64.min whole.
        var magnitude = value.magnitude
        var divisor: UInt64 = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// An instant as ``EventJSON/formatInstant(_:)`` writes it.
    public mutating func instant(_ value: Date) {
        string(EventJSON.formatInstant(value))
    }

    /// A day as `YYYY-MM-DD`.
    public mutating func date(_ value: CalendarDate) {
        guard (0...9999).contains(value.year) else {
            string(value.description)
            return
        }
        separate()
        func digits(_ number: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(number / divisor % 10))
                divisor /= 10
            }
        }
        bytes.append(UInt8(ascii: "\""))
        digits(value.year, 4); bytes.append(UInt8(ascii: "-"))
        digits(value.month, 2); bytes.append(UInt8(ascii: "-"))
        digits(value.day, 2)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `{"currency":"EUR","minorUnits":12345}`.
    public mutating func money(_ value: Money) {
        beginObject()
        key("currency"); string(value.currency.code)
        key("minorUnits"); integer(value.minorUnits)
        endObject()
    }

    public mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// A nested value that writes itself.
    public mutating func value(_ value: some EventJSONWritable) {
        value.writeJSON(to: &self)
    }

    public mutating func array<Element: EventJSONWritable>(_ values: [Element]) {
        beginArray()
        for value in values { value.writeJSON(to: &self) }
        endArray()
    }
}
