import Foundation

/// A text message with its length accounting: the encoding it needs and the number of
/// segments (each billed) it is sent in.
///
/// GSM 03.38 / 3GPP TS 23.038: text made only of the default alphabet's characters is sent
/// in GSM-7, 7 bits a character, where the extension table's characters (`€ [ ] { } \ ~ ^ |`
/// and form feed) take two (an escape, then the character); one message holds 160 septets,
/// a concatenated one 153 a segment (the user data header takes the rest). Any other
/// character forces UCS-2 (UTF-16): 70 code units, or 67 a segment; a character outside the
/// BMP (an emoji) takes two. A two-unit character is never split across segments, so a
/// segment may hold one unit less. The text is first put in Unicode NFC, so that an `é`
/// written as `e` + combining accent counts as the GSM `é`.
public struct SMSText: Sendable, Hashable {
    /// How the message is encoded on the air.
    public enum Encoding: String, Sendable, Hashable {
        case gsm7
        case ucs2
    }

    /// The text, NFC-normalised: what to hand to the provider.
    public let text: String
    public let encoding: Encoding
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    public let units: Int
    /// Segments the message is sent in; 1 for an empty text (a message is still sent).
    public let segments: Int

    /// Measures a text.
    public init(_ text: String) {
        let normalised = text.precomposedStringWithCanonicalMapping
        var septets: [Int] = []
        septets.reserveCapacity(normalised.unicodeScalars.count)
        var isGSM = true
        for scalar in normalised.unicodeScalars {
            if SMSText.basic.contains(scalar) {
                septets.append(1)
            } else if SMSText.extensionTable.contains(scalar) {
                septets.append(2)
            } else {
                isGSM = false
                break
            }
        }
        self.text = normalised
        if isGSM {
            encoding = .gsm7
            (units, segments) = SMSText.count(septets, single: 160, perSegment: 153)
        } else {
            encoding = .ucs2
            let codeUnits = normalised.unicodeScalars.map { $0.value > 0xFFFF ? 2 : 1 }
            (units, segments) = SMSText.count(codeUnits, single: 70, perSegment: 67)
        }
    }

    /// Total units, and segments when characters of 1 or 2 units are packed without splitting one.
    private static func count(_ widths: [Int], single: Int, perSegment: Int) -> (Int, Int) {
        let total = widths.reduce(0, +)
        guard total > single else { return (total, 1) }
        var segments = 1
        var used = 0
        for width in widths {
            if used + width > perSegment {
                segments += 1
                used = 0
            }
            used += width
        }
        return (total, segments)
    }

    /// The GSM 03.38 default alphabet, in table order (0x00-0x7F); 0x1B, the escape to the
    /// extension table, is not a character of its own.
    static let basic: Set<Unicode.Scalar> = {
        let table: [String] = [
            "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "\n", "Ø", "ø", "\r", "Å", "å",
            "Δ", "_", "Φ", "Γ", "Λ", "Ω", "Π", "Ψ", "Σ", "Θ", "Ξ", "Æ", "æ", "ß", "É",
            " ", "!", "\"", "#", "¤", "%", "&", "'", "(", ")", "*", "+", ",", "-", ".", "/",
            "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", ":", ";", "<", "=", ">", "?",
            "¡", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
            "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z", "Ä", "Ö", "Ñ", "Ü", "§",
            "¿", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
            "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "ä", "ö", "ñ", "ü", "à",
        ]
        return Set(table.flatMap(\.unicodeScalars))
    }()

    /// The extension table's characters, each sent as escape + character (two septets).
    static let extensionTable: Set<Unicode.Scalar> = ["\u{000C}", "^", "{", "}", "\\", "[", "~", "]", "|", "€"]
}
