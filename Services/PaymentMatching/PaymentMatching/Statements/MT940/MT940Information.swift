import Foundation

/// What an MT940 `:86:` field says about an entry, in any of the common dialects: German
/// structured (`GVC?00...?20...?32...`, or `>` for `?` as Triodos writes), Dutch `/TAG/value/`, or free text.
struct MT940Information: Sendable, Hashable {
    var remittance = Remittance()
    var counterparty: Counterparty?
    var endToEndId: String?
    /// The German business transaction code (GVC), the three digits before the first `?`.
    var transactionCode: String?
    /// `?00` posting text ("GUTSCHRIFT", "SAMMLER").
    var postingText: String?

    /// Reads the field from its lines' bytes as in the file (without the `:86:` tag), each line
    /// decoded as UTF-8, else Windows-1252.
    init(lines: [[UInt8]]) {
        // Structured dialects wrap at a fixed width, in the middle of words: join as is.
        var joined: [UInt8] = []
        joined.reserveCapacity(lines.reduce(0) { $0 + $1.count })
        for line in lines {
            if line.allSatisfy({ $0 < 0x80 }) { joined += line } else { joined += MT940Bytes.decode(line).utf8 }
        }
        if Self.isGerman(joined) {
            parseGerman(joined)
        } else if joined.first == UInt8(ascii: "/"), let tags = Self.dutchTags(String(decoding: joined, as: UTF8.self)) {
            parseDutch(tags)
        } else {
            let text = lines.map { MT940Bytes.decode($0).trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: " ")
            remittance.unstructured = text.collapsingSpaces.nonEmpty
        }
    }

    // MARK: German ?NN sub-fields

    /// Sub-field marks: `?` in the German standard, `>` at some Dutch banks (Triodos).
    private static let separators: Set<Character> = ["?", ">"]

    private static func isGerman(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 6 else { return false }
        return bytes[0..<3].allSatisfy(MT940Bytes.isDigit) && (bytes[3] == UInt8(ascii: "?") || bytes[3] == UInt8(ascii: ">"))
            && MT940Bytes.isDigit(bytes[4]) && MT940Bytes.isDigit(bytes[5])
    }

    /// Works on the UTF-8 bytes: the marks are ASCII, and no byte of a multi-byte character is.
    private mutating func parseGerman(_ bytes: [UInt8]) {
        transactionCode = String(decoding: bytes[0..<3], as: UTF8.self)
        let separator = bytes[3]
        var fields: [(key: Int, start: Int, end: Int)] = []
        var index = 3
        while index < bytes.count {
            // A sub-field starts at '?' followed by two digits; a lone '?' is text.
            if bytes[index] == separator, index + 2 < bytes.count, MT940Bytes.isDigit(bytes[index + 1]), MT940Bytes.isDigit(bytes[index + 2]) {
                if !fields.isEmpty { fields[fields.count - 1].end = index }
                let key = Int(bytes[index + 1] - UInt8(ascii: "0")) * 10 + Int(bytes[index + 2] - UInt8(ascii: "0"))
                fields.append((key, index + 3, bytes.count))
                index += 3
            } else {
                index += 1
            }
        }
        var purpose: [UInt8] = []
        var name: [UInt8] = []
        var account: String?
        var bank: String?
        func value(_ field: (key: Int, start: Int, end: Int)) -> String { String(decoding: bytes[field.start..<field.end], as: UTF8.self) }
        for field in fields {
            switch field.key {
            case 0: postingText = value(field).trimmingSpaces.nonEmpty
            case 20...29, 60...63: purpose += bytes[field.start..<field.end]
            case 30: bank = value(field).trimmingSpaces.nonEmpty
            case 31: account = value(field).trimmingSpaces.nonEmpty
            case 32, 33: name += bytes[field.start..<field.end]
            default: break
            }
        }
        // SEPA keywords inside the purpose: EREF+ end-to-end id, SVWZ+ the remittance text.
        let keyed = Self.sepaKeywords(purpose)
        if let reference = keyed.endToEnd, !MT940Bytes.equalsIgnoringCase(reference, "NOTPROVIDED") { endToEndId = reference }
        if let text = keyed.remittance {
            remittance.unstructured = text.collapsingSpaces.nonEmpty
        } else {
            remittance.unstructured = String(decoding: purpose, as: UTF8.self).trimmingSpaces.collapsingSpaces.nonEmpty
        }
        let iban = account.flatMap { IBANText.normalised($0) }
        let bic = bank.flatMap { IBANText.isBIC($0) ? $0.uppercased() : nil }
        let payer = String(decoding: name, as: UTF8.self).trimmingSpaces.collapsingSpaces.nonEmpty
        if payer != nil || iban != nil || bic != nil {
            counterparty = Counterparty(name: payer, iban: iban, bic: bic)
        }
    }

    /// The SEPA keywords, four letters but for `BIC`, packed big-endian into integers.
    private static let sepaKeywordCodes: [UInt32] = ["EREF", "KREF", "MREF", "CRED", "DEBT", "SVWZ", "ABWA", "ABWE", "IBAN", "COAM", "OAMT", "SQTP", "PURP"]
        .map { $0.utf8.reduce(0) { $0 << 8 | UInt32($1) } }

    /// Splits a German SEPA purpose at its keywords (`EREF+`, `SVWZ+`, ...): the first value
    /// of `EREF` and of `SVWZ`, each up to the next keyword.
    private static func sepaKeywords(_ purpose: [UInt8]) -> (endToEnd: String?, remittance: String?) {
        // Each '+' ends at most one keyword (no four-letter one ends in "BIC").
        var found: [(start: Int, valueStart: Int)] = []
        for index in purpose.indices where purpose[index] == UInt8(ascii: "+") {
            let code = purpose[max(0, index - 4)..<index].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if index >= 4, sepaKeywordCodes.contains(code) {
                found.append((index - 4, index + 1))
            } else if index >= 3, code & 0xFF_FFFF == 0x42_4943 { // "BIC"
                found.append((index - 3, index + 1))
            }
        }
        let eref: UInt32 = 0x4552_4546, svwz: UInt32 = 0x5356_575A // "EREF", "SVWZ"
        var result: (endToEnd: String?, remittance: String?) = (nil, nil)
        for (offset, item) in found.enumerated() where item.valueStart - item.start == 5 {
            let end = offset + 1 < found.count ? found[offset + 1].start : purpose.count
            guard item.valueStart <= end else { continue }
            let code = purpose[item.start..<(item.valueStart - 1)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if code == eref, result.endToEnd == nil {
                result.endToEnd = String(decoding: purpose[item.valueStart..<end], as: UTF8.self).trimmingSpaces
            } else if code == svwz, result.remittance == nil {
                result.remittance = String(decoding: purpose[item.valueStart..<end], as: UTF8.self).trimmingSpaces
            }
        }
        return result
    }

    // MARK: Dutch /TAG/value/

    private static let dutchKeys: Set<String> = [
        "EREF", "MARF", "CSID", "CNTP", "REMI", "PURP", "ULTC", "ULTD", "ULTB", "ORDP", "BENM", "NAME", "ADDR", "ID", "IBAN",
        "BIC", "TRTP", "ISDT", "RTRN", "SVCL", "CHGS", "EXCH", "OCMT", "BUSP", "PREF", "MREF", "KREF", "SUM", "NRTX",
        "IREF", "ACCW", "TRCD", "CDTRREF", "CDTRREFTP", "CD", "ISSR", "COAM",
    ]

    /// The tags and values, or nil when the text does not start with a known tag.
    private static func dutchTags(_ text: String) -> [(String, String)]? {
        var tokens = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        tokens.removeFirst() // before the first '/'
        guard let first = tokens.first, dutchKeys.contains(first.trimmingSpaces) else { return nil }
        var tags: [(String, [String])] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index].trimmingSpaces
            if dutchKeys.contains(token) {
                if token == "CNTP" {
                    // CNTP has four sub-fields: account, BIC, name, city.
                    let parts = Array(tokens[(index + 1)..<min(tokens.count, index + 5)])
                    tags.append((token, parts))
                    index += 1 + parts.count
                    continue
                }
                tags.append((token, []))
            } else if !tags.isEmpty {
                tags[tags.count - 1].1.append(tokens[index])
            }
            index += 1
        }
        return tags.map { ($0.0, $0.1.joined(separator: "/")) }
    }

    private mutating func parseDutch(_ tags: [(String, String)]) {
        var name: String?
        var iban: String?
        var bic: String?
        var texts: [String] = []
        for (key, rawValue) in tags {
            var value = rawValue.trimmingSpaces
            while value.hasSuffix("/") { value.removeLast() }
            switch key {
            case "EREF":
                if value.uppercased() != "NOTPROVIDED", let reference = value.nonEmpty { endToEndId = reference }
            case "NAME": if name == nil { name = value.nonEmpty }
            case "IBAN": if iban == nil { iban = IBANText.normalised(value) }
            case "BIC": if bic == nil, IBANText.isBIC(value) { bic = value }
            case "CNTP":
                let parts = rawValue.split(separator: "/", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                if parts.count > 0, iban == nil { iban = IBANText.normalised(parts[0]) }
                if parts.count > 1, bic == nil, IBANText.isBIC(parts[1]) { bic = parts[1] }
                if parts.count > 2, name == nil { name = parts[2].nonEmpty }
            case "REMI":
                // Rabobank writes "/REMI/USTD//text/" and "/REMI/STRD/CUR/reference/".
                if value.hasPrefix("USTD//") {
                    texts.append(String(value.dropFirst(6)))
                } else if value.hasPrefix("STRD/CUR/") {
                    remittance.structured.append(String(value.dropFirst(9)))
                } else if let text = value.nonEmpty {
                    texts.append(text)
                }
            case "TRTP": postingText = value.nonEmpty
            default: break
            }
        }
        remittance.unstructured = texts.joined(separator: " ").collapsingSpaces.nonEmpty
        if name != nil || iban != nil || bic != nil {
            counterparty = Counterparty(name: name.map(\.collapsingSpaces), iban: iban, bic: bic)
        }
    }
}

/// Recognises account identifiers in bank text.
enum IBANText {
    /// The IBAN in electronic form (upper case, no spaces) when `text` is shaped like one
    /// (country letters, two check digits, 11 to 30 letters or digits); nil otherwise.
    static func normalised(_ text: String) -> String? {
        var ascii: [UInt8] = []
        ascii.reserveCapacity(34)
        for byte in text.utf8 where byte != UInt8(ascii: " ") {
            guard byte < 0x80 else { return normalisedUnicode(text) }
            ascii.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte)
            if ascii.count > 34 { return nil }
        }
        guard ascii.count >= 15, ascii[0..<2].allSatisfy(MT940Bytes.isUpper), ascii[2..<4].allSatisfy(MT940Bytes.isDigit),
              ascii[4...].allSatisfy({ MT940Bytes.isUpper($0) || MT940Bytes.isDigit($0) })
        else { return nil }
        return String(decoding: ascii, as: UTF8.self)
    }

    /// ``normalised(_:)`` for text with non-ASCII characters (upper-casing may make ASCII of them).
    private static func normalisedUnicode(_ text: String) -> String? {
        let compact = text.filter { $0 != " " }.uppercased()
        let scalars = Array(compact.unicodeScalars)
        guard (15...34).contains(scalars.count),
              scalars[0..<2].allSatisfy({ ("A"..."Z").contains($0) }),
              scalars[2..<4].allSatisfy({ ("0"..."9").contains($0) }),
              scalars[4...].allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return nil }
        return compact
    }

    /// Whether `text` is shaped like a BIC (8 or 11 characters, letters for bank and country).
    static func isBIC(_ text: String) -> Bool {
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            guard utf8.count == 8 || utf8.count == 11 else { return false }
            return utf8.enumerated().allSatisfy { offset, byte in
                MT940Bytes.isUpper(byte) || (offset >= 6 && MT940Bytes.isDigit(byte))
            }
        }
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 8 || scalars.count == 11 else { return false }
        return scalars[0..<6].allSatisfy { ("A"..."Z").contains($0) }
            && scalars[6...].allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let bytes = utf8
        guard let first = bytes.first, let last = bytes.last, MT940Bytes.isSpace(first) || MT940Bytes.isSpace(last) else { return self }
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    /// Runs of spaces and tabs as one space, trimmed. Works on the UTF-8 bytes (no byte of a
    /// multi-byte character is a space or a tab).
    var collapsingSpaces: String {
        // Most text has nothing to collapse: check before building a copy.
        var previousSpace = true
        var clean = true
        for byte in utf8 {
            if byte == 0x09 || (byte == 0x20 && previousSpace) {
                clean = false
                break
            }
            previousSpace = byte == 0x20
        }
        if clean && !previousSpace { return self }
        if clean && isEmpty { return self }
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count)
        var space = false
        var changed = false
        for byte in utf8 {
            if MT940Bytes.isSpace(byte) {
                if space || result.isEmpty || byte == 0x09 { changed = true }
                space = true
            } else {
                if space, !result.isEmpty { result.append(UInt8(ascii: " ")) }
                space = false
                result.append(byte)
            }
        }
        if space { changed = true }
        return changed ? String(decoding: result, as: UTF8.self) : self
    }

    /// Nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
