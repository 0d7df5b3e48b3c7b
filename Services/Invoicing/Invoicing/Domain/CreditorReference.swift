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

    /// Builds the reference of an invoice from its number, keeping only its letters and
    /// digits in upper case (`INV-2025/0042` gives `RF.. INV2 0250 042`).
    /// - Throws: `InvoicingError` `.invalidCreditorReference` (field `number`) when nothing
    ///   alphanumeric remains or more than 21 characters do.
    public init(invoiceNumber: String) throws(InvoicingError) {
        var reference: [UInt8] = []
        for byte in invoiceNumber.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): reference.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): reference.append(byte - 32)
            default: continue
            }
        }
        guard !reference.isEmpty else {
            throw InvoicingError(.invalidCreditorReference,
                                 "invoice number '\(invoiceNumber)' has no letters or digits to build an RF reference from",
                                 field: "number")
        }
        guard reference.count <= CreditorReference.maximumReferenceLength else {
            throw InvoicingError(.invalidCreditorReference,
                                 "invoice number '\(invoiceNumber)' has \(reference.count) letters and digits; an RF reference holds at most \(CreditorReference.maximumReferenceLength), so shorten the number",
                                 field: "number")
        }
        let remainder = CreditorReference.mod97("RF00".utf8, startingFrom: CreditorReference.mod97(reference))
        let check = 98 - remainder
        let checkDigits = check < 10 ? "0\(check)" : String(check)
        self.electronicFormat = "RF" + checkDigits + String(decoding: reference, as: UTF8.self)
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
