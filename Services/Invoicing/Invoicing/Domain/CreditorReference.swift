import Foundation

/// An ISO 11649 structured creditor reference ("RF reference"), printed on invoices so that
/// payers quote it and payment matching can find the invoice with certainty.
///
/// Its form is `RF`, two check digits, then 1...21 alphanumerics (the reference proper).
/// The check digits make the whole string, moved so that `RF` + check digits come last and
/// letters replaced by numbers (A = 10 ... Z = 35), equal to 1 modulo 97 (ISO 7064
/// MOD 97-10), which catches mistyped and swapped characters.
///
/// Encodes as the electronic format (`"RF18539007547034"`).
public struct CreditorReference: Hashable, Sendable, CustomStringConvertible {
    /// The reference without spaces, upper case: `RF18539007547034`.
    public let electronicFormat: String

    /// The longest reference proper ISO 11649 allows (25 characters in all).
    public static let maximumReferenceLength = 21

    /// Builds the reference of an invoice from its number. References are unique per invoice
    /// (the store keeps them so, see `attempt`); the number is only their readable part.
    ///
    /// - A number written only with upper-case letters and digits, 21 at most, is its own
    ///   reference: `INV20250042` gives `RF25 INV2 0250 042`, as before references were made
    ///   unique.
    /// - Any other number keeps its letters and digits in upper case and gets a disambiguator:
    ///   a fingerprint of the number exactly as written (case and separators included), in
    ///   Crockford base 32 (digits and upper-case letters without I, L, O, U, which people
    ///   misread). So `FA-2025/1`, `FA2025-1` and `fa-2025-1`, which reduce to the same
    ///   `FA20251`, get three different references.
    ///   - Up to 17 letters and digits: all of them + 4 characters (`FA-2025/1` gives
    ///     `RF33 FA20 251Y 2K7`: `FA20251` + `Y2K7`).
    ///   - More (up to the 64 characters of a number): the last 13, the most specific part of a
    ///     long number (usually its sequence), + 8 characters (40 bits), since many long
    ///     numbers share those 13.
    ///
    /// The result is at most 25 characters with its check digits. Two numbers may still
    /// produce one reference (a fingerprint collision, or a number written like another's
    /// reference): the store then asks again with `attempt` 1, 2... until the reference is
    /// unused, and a UNIQUE index guarantees the outcome.
    /// - Parameters:
    ///   - invoiceNumber: The invoice number, trimmed as stored.
    ///   - attempt: 0 for the first choice; each further attempt gives another fingerprint
    ///     (and always one, even for a number that is otherwise its own reference).
    /// - Throws: `InvoicingError` `.invalidCreditorReference` (field `number`) when the number
    ///   has no letter or digit at all.
    public init(invoiceNumber: String, attempt: Int = 0) throws(InvoicingError) {
        var alphanumerics: [UInt8] = []
        var isOwnReference = true
        for byte in invoiceNumber.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): alphanumerics.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                alphanumerics.append(byte - 32)
                isOwnReference = false
            default: isOwnReference = false
            }
        }
        guard !alphanumerics.isEmpty else {
            throw InvoicingError(.invalidCreditorReference,
                                 "invoice number '\(invoiceNumber)' has no letters or digits to build an RF reference from",
                                 field: "number")
        }
        let reference: [UInt8]
        if isOwnReference && attempt <= 0 && alphanumerics.count <= CreditorReference.maximumReferenceLength {
            reference = alphanumerics
        } else {
            let fingerprint = CreditorReference.fingerprint(invoiceNumber, attempt: attempt)
            if alphanumerics.count <= CreditorReference.maximumReferenceLength - CreditorReference.shortDisambiguatorLength {
                reference = alphanumerics + CreditorReference.base32(fingerprint, count: CreditorReference.shortDisambiguatorLength)
            } else {
                let kept = CreditorReference.maximumReferenceLength - CreditorReference.longDisambiguatorLength
                reference = Array(alphanumerics.suffix(kept)) + CreditorReference.base32(fingerprint, count: CreditorReference.longDisambiguatorLength)
            }
        }
        self.init(checking: reference)
    }

    /// Adds the check digits to a reference proper of 1...21 upper-case letters and digits.
    private init(checking reference: [UInt8]) {
        let remainder = CreditorReference.mod97("RF00".utf8, startingFrom: CreditorReference.mod97(reference))
        let check = 98 - remainder
        let checkDigits = check < 10 ? "0\(check)" : String(check)
        self.electronicFormat = "RF" + checkDigits + String(decoding: reference, as: UTF8.self)
    }

    /// Disambiguator length after a number of at most 17 letters and digits.
    static let shortDisambiguatorLength = 4
    /// Disambiguator length after the last 13 letters and digits of a longer number.
    static let longDisambiguatorLength = 8

    /// A 64-bit fingerprint of the number's UTF-8 bytes and the attempt: FNV-1a, then the
    /// MurmurHash3 finaliser so that every output bit depends on every input bit (FNV's low
    /// bits alone mix poorly, and the disambiguator reads the low bits).
    static func fingerprint(_ number: String, attempt: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        for byte in number.utf8 { add(byte) }
        if attempt > 0 {
            add(0) // never in a number (control characters are refused), so attempts cannot alias another number
            for byte in String(attempt).utf8 { add(byte) }
        }
        hash ^= hash >> 33
        hash = hash &* 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash = hash &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// The `count` low 5-bit groups of `value` in Crockford base 32, most significant first.
    static func base32(_ value: UInt64, count: Int) -> [UInt8] {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        return (0..<count).reversed().map { alphabet[Int((value >> UInt64(5 * $0)) & 31)] }
    }

    /// Reads a reference as printed (`RF18 5390 0754 7034`) or electronic (`RF18539007547034`),
    /// case-insensitively, spaces allowed anywhere.
    /// - Throws: `InvoicingError` `.invalidCreditorReference` when it does not start with RF,
    ///   has characters other than letters and digits, has a wrong length (5...25 without
    ///   spaces) or wrong check digits.
    public init(validating text: String) throws(InvoicingError) {
        var bytes: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: " ") {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): bytes.append(byte - 32)
            default:
                throw InvoicingError(.invalidCreditorReference,
                                     "'\(text)' contains characters other than letters, digits and spaces; an RF reference looks like RF18 5390 0754 7034")
            }
        }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "R"), bytes[1] == UInt8(ascii: "F") else {
            throw InvoicingError(.invalidCreditorReference, "'\(text)' does not start with RF; an RF reference looks like RF18 5390 0754 7034")
        }
        guard (5...(4 + CreditorReference.maximumReferenceLength)).contains(bytes.count) else {
            throw InvoicingError(.invalidCreditorReference,
                                 "'\(text)' has \(bytes.count) characters; an RF reference has 5 to 25 (RF, two check digits, 1 to 21 more)")
        }
        guard bytes[2] < UInt8(ascii: "A"), bytes[3] < UInt8(ascii: "A"),
              CreditorReference.mod97(bytes[0..<4], startingFrom: CreditorReference.mod97(bytes[4...])) == 1
        else {
            throw InvoicingError(.invalidCreditorReference, "'\(text)' has wrong check digits; check it for a mistyped or swapped character")
        }
        self.electronicFormat = String(decoding: bytes, as: UTF8.self)
    }

    /// The two check digits (`"18"`).
    public var checkDigits: String { String(electronicFormat.dropFirst(2).prefix(2)) }

    /// The reference proper, after `RF` and the check digits (`"539007547034"`).
    public var reference: String { String(electronicFormat.dropFirst(4)) }

    /// Groups of four separated by spaces, as printed on paper: `RF18 5390 0754 7034`.
    public var printFormat: String {
        var result = ""
        result.reserveCapacity(electronicFormat.utf8.count + 6)
        for (index, character) in electronicFormat.enumerated() {
            if index > 0 && index % 4 == 0 { result.append(" ") }
            result.append(character)
        }
        return result
    }

    /// The electronic format.
    public var description: String { electronicFormat }

    /// The remainder modulo 97 of the number written by the ASCII alphanumerics `bytes`, letters
    /// counting as two digits (A = 10 ... Z = 35). Folded digit by digit, so no big integers;
    /// `startingFrom` continues the remainder of the digits that come before.
    static func mod97(_ bytes: some Sequence<UInt8>, startingFrom initial: Int = 0) -> Int {
        var remainder = initial
        for byte in bytes {
            if byte >= UInt8(ascii: "A") {
                let value = Int(byte - UInt8(ascii: "A")) + 10
                remainder = (remainder * 100 + value) % 97
            } else {
                remainder = (remainder * 10 + Int(byte - UInt8(ascii: "0"))) % 97
            }
        }
        return remainder
    }
}

extension CreditorReference: Codable {
    /// Decodes a printed or electronic reference, checking it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(validating: text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the electronic format.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(electronicFormat)
    }
}
