/// ISO 11649 structured creditor references ("RF references") as the matching engine reads
/// them: `RF`, two check digits, 1...21 letters and digits, the whole moved so that `RF` and
/// the check digits come last, letters as numbers (A = 10 ... Z = 35), equal to 1 modulo 97.
///
/// A reference whose check digits are wrong is not evidence: the check digits exist precisely
/// to catch a mistyped or swapped character.
enum RFReference {
    /// The electronic form (upper case, no spaces) of `text` when it is a well-formed RF
    /// reference with valid check digits; nil otherwise. Spaces anywhere and lower case are accepted.
    static func validated(_ text: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 where byte != UInt8(ascii: " ") {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(byte - 32)
            default: return nil
            }
        }
        return isValid(bytes) ? String(decoding: bytes, as: UTF8.self) : nil
    }

    /// Whether `text`, without spaces, has the shape of an RF reference (`RF` and two digits),
    /// valid or not: such a text with wrong check digits is reported, not read as a number.
    static func looksLikeReference(_ text: String) -> Bool {
        let bytes = Array(text.utf8.filter { $0 != UInt8(ascii: " ") }.prefix(4))
        guard bytes.count == 4 else { return false }
        return (bytes[0] | 0x20) == UInt8(ascii: "r") && (bytes[1] | 0x20) == UInt8(ascii: "f")
            && isDigit(bytes[2]) && isDigit(bytes[3])
    }

    /// Whether upper-case alphanumeric `bytes` are a valid RF reference.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        guard (5...25).contains(bytes.count), bytes[0] == UInt8(ascii: "R"), bytes[1] == UInt8(ascii: "F"),
              isDigit(bytes[2]), isDigit(bytes[3])
        else { return false }
        return mod97(bytes[0..<4], startingFrom: mod97(bytes[4...])) == 1
    }

    /// Groups of four separated by spaces, as printed: `RF18 5390 0754 7034`.
    static func printFormat(_ electronic: String) -> String {
        var result = ""
        for (index, character) in electronic.enumerated() {
            if index > 0 && index % 4 == 0 { result.append(" ") }
            result.append(character)
        }
        return result
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Remainder modulo 97 of the number the alphanumerics write (letters as two digits),
    /// folded digit by digit; `startingFrom` continues the digits before.
    private static func mod97(_ bytes: some Sequence<UInt8>, startingFrom initial: Int = 0) -> Int {
        var remainder = initial
        for byte in bytes {
            if byte >= UInt8(ascii: "A") {
                remainder = (remainder * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
            } else {
                remainder = (remainder * 10 + Int(byte - UInt8(ascii: "0"))) % 97
            }
        }
        return remainder
    }
}
