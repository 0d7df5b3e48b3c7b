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
        // Fast path: the bytes in place (`String.UTF8View` iteration is slow), ASCII only.
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            for byte in bytes where byte >= 0x80 { return nil }
            return upper.withUTF8Buffer { expected -> Bool in
                guard bytes.count == expected.count else { return false }
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    guard isLetter(byte) ? byte & 0xDF == expected[index] : byte == expected[index] else { return false }
                }
                return true
            }
        }
        if let fast, let equal = fast { return equal }
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

    static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return prefix.withUTF8Buffer { prefixBytes in bytes.prefix(count).elementsEqual(prefixBytes) }
    }

    /// One pass over a line: whether it holds a control character other than a tab, and
    /// whether all its bytes are ASCII.
    static func scan(_ bytes: ArraySlice<UInt8>) -> (hasControl: Bool, isASCII: Bool) {
        bytes.withUnsafeBufferPointer { all in
            // OR of the bytes: bit 7 set when any is >= 0x80. Control bytes are rare: a flag.
            var bits: UInt8 = 0
            var control = false
            for byte in all {
                bits |= byte
                if byte < 0x20 && byte != 0x09 { control = true }
            }
            return (control, bits < 0x80)
        }
    }

    /// `bytes` decoded and without leading and trailing spaces and tabs: what
    /// `String(decoding: bytes, as: UTF8.self).trimmingSpaces` gives, without the intermediate
    /// `String` when the spaces to trim border on ASCII (a space before a combining mark is part
    /// of that `Character`, so such text takes the `String` path). `bytes` must be valid UTF-8.
    static func trimmedString(_ bytes: ArraySlice<UInt8>) -> String {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        let trimmedFront = start > bytes.startIndex, trimmedBack = end < bytes.endIndex
        if (trimmedFront && start < end && bytes[start] >= 0x80) || (trimmedBack && end > start && bytes[end - 1] >= 0x80) {
            return String(decoding: bytes, as: UTF8.self).trimmingSpaces
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `bytes` decoded with runs of spaces and tabs as one space, trimmed; nil when nothing is
    /// left. What `String(decoding: bytes, as: UTF8.self).collapsingSpaces.nonEmpty` gives
    /// (and with `.trimmingSpaces` before `.collapsingSpaces`, which removes nothing more),
    /// with one `String` made. `bytes` must be valid UTF-8 (no byte of a multi-byte character
    /// is a space or a tab, so the result is too).
    static func collapsedString(_ bytes: ArraySlice<UInt8>) -> String? {
        // Written straight into the string's storage: the result is never longer than `bytes`.
        let collapsed = bytes.withUnsafeBufferPointer { source in
            String(unsafeUninitializedCapacity: source.count) { target -> Int in
                var count = 0
                var space = false
                for byte in source {
                    if isSpace(byte) {
                        space = true
                    } else {
                        if space, count > 0 {
                            target[count] = UInt8(ascii: " ")
                            count += 1
                        }
                        space = false
                        target[count] = byte
                        count += 1
                    }
                }
                return count
            }
        }
        return collapsed.isEmpty ? nil : collapsed
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
