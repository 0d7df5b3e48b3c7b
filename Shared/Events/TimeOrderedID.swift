import Foundation

/// Identifiers for events and entities: UUID version 7 (RFC 9562), lower case.
///
/// The leading 48 bits are the Unix time in milliseconds, so ids made one after another sort
/// (almost) in creation order: SQLite indexes on them grow at their end instead of being
/// written at random places, which keeps bulk imports fast once tables are large.
public enum TimeOrderedID {
    /// A new identifier, e.g. `0192f0c4-7a1b-7c3d-9e8f-0123456789ab`.
    public static func make(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let high = (milliseconds << 16) | 0x7000 | (generator.next() & 0x0FFF)
        let low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8](repeating: 0, count: 36)
        let digits = Array("0123456789abcdef".utf8)
        var position = 0
        for (word, count) in [(high, 16), (low, 16)] {
            for index in 0..<count {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    bytes[position] = UInt8(ascii: "-")
                    position += 1
                }
                bytes[position] = digits[Int((word >> UInt64(60 - 4 * index)) & 0xF)]
                position += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
