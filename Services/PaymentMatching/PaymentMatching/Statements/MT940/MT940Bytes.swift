/// Byte-level helpers for the MT940 reader: the marks MT940 uses are all ASCII, so lines are
/// scanned as bytes and decoded to `String` only for the values kept, which is what makes the
/// reader fast (Foundation's `String` searching was most of its time).
enum MT940Bytes {
    static let block4: [UInt8] = Array("{4:".utf8)

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    static func isUpper(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }
    static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) }
    static func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == 0x09 }

    /// A line decoded: UTF-8 when valid, else Windows-1252 (``StatementLineReader/decode(_:)``).
    static func decode(_ bytes: [UInt8]) -> String { StatementLineReader.decode(bytes) }

    /// A part of a line decoded the same way. ASCII (the common case) is decoded in place.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        if isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        return StatementLineReader.decode(Array(bytes))
    }

    static func isASCII(_ bytes: ArraySlice<UInt8>) -> Bool { !bytes.contains(where: { $0 >= 0x80 }) }

    /// Whether `bytes` starts with the two ASCII bytes `first`, `second`.
    static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ first: UInt8, _ second: UInt8) -> Bool {
        bytes.count >= 2 && bytes[bytes.startIndex] == first && bytes[bytes.startIndex + 1] == second
    }

    /// Whether ASCII `text` equals `upper` (upper-case ASCII) without regard to case; for other
    /// text, whether `text.uppercased()` does.
    static func equalsIgnoringCase(_ text: String, _ upper: StaticString) -> Bool {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // `& 0xDF` upper-cases an ASCII letter and maps no other byte onto one; `upper`'s
            // other bytes must match exactly.
            return upper.withUTF8Buffer { expected in
                utf8.elementsEqual(expected, by: { isLetter($0) ? $0 & 0xDF == $1 : $0 == $1 })
            }
        }
        return upper.withUTF8Buffer { expected in text.uppercased() == String(decoding: expected, as: UTF8.self) }
    }

    static func hasPrefix(_ bytes: [UInt8], _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return prefix.withUTF8Buffer { prefixBytes in bytes.prefix(count).elementsEqual(prefixBytes) }
    }

    /// Where `needle` first occurs in `bytes`, as an index of `bytes`.
    static func firstIndex(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard let head = needle.first, bytes.count >= needle.count else { return nil }
        var index = bytes.startIndex
        let last = bytes.endIndex - needle.count
        while index <= last {
            if bytes[index] == head, bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Without leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool { bytes.allSatisfy(isSpace) }
}
