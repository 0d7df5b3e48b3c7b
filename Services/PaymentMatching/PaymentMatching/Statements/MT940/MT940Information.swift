import Foundation

/// What an MT940 `:86:` field says about an entry, in any of the common dialects: German
/// structured (`GVC?00...?20...?32...`, or `>` for `?` as Triodos writes), Dutch `/TAG/value/`, or free text.
struct MT940Information: Sendable, Hashable {
    var remittance = Remittance()
    var counterparty: Counterparty?
    var endToEndId: String?
    /// The German business transaction code (GVC), the three digits before the first `?`.
    var transactionCode: String?

    /// Buffers the reading reuses from field to field (the reader keeps one), so that a
    /// German `:86:` costs no allocation but its values' strings.
    struct Scratch {
        var joined: [UInt8] = []
        var purpose: [UInt8] = []
        var name: [UInt8] = []
    }

    /// Reads the field from its lines' bytes as in the file (without the `:86:` tag), each line
    /// decoded as UTF-8, else Windows-1252.
    init(lines: [[UInt8]]) {
        var scratch = Scratch()
        self.init(MT940FieldText(lines: lines), scratch: &scratch)
    }

    /// Reads the field (without the `:86:` tag), each line decoded as UTF-8, else Windows-1252.
    init(_ field: MT940FieldText, scratch: inout Scratch) {
        // Structured dialects wrap at a fixed width, in the middle of words: join as is. ASCII
        // lines (nearly all) are the field's buffer itself.
        let joined: ArraySlice<UInt8>
        if field.isASCII {
            joined = field.bytes[...]
        } else {
            scratch.joined.removeAll(keepingCapacity: true)
            for index in 0..<field.lineCount {
                let line = field.line(index)
                if line.allSatisfy({ $0 < 0x80 }) { scratch.joined += line } else { scratch.joined += MT940Bytes.decode(line).utf8 }
            }
            joined = scratch.joined[...]
        }
        if Self.isGerman(joined) {
            parseGerman(joined, scratch: &scratch)
        } else if joined.first == UInt8(ascii: "/"), let tags = Self.dutchTags(String(decoding: joined, as: UTF8.self)) {
            parseDutch(tags)
        } else {
            let text = (0..<field.lineCount).map { MT940Bytes.decode(field.line($0)).trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: " ")
            remittance.unstructured = text.collapsingSpaces.nonEmpty
        }
    }

    // MARK: German ?NN sub-fields

    private static func isGerman(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 6 else { return false }
        let start = bytes.startIndex
        return bytes[start..<(start + 3)].allSatisfy(MT940Bytes.isDigit) && (bytes[start + 3] == UInt8(ascii: "?") || bytes[start + 3] == UInt8(ascii: ">"))
            && MT940Bytes.isDigit(bytes[start + 4]) && MT940Bytes.isDigit(bytes[start + 5])
    }

    /// Works on the UTF-8 bytes: the marks are ASCII, and no byte of a multi-byte character is.
    /// Sub-fields are handled as they end, without collecting them first.
    private mutating func parseGerman(_ bytes: ArraySlice<UInt8>, scratch: inout Scratch) {
        let start = bytes.startIndex, end = bytes.endIndex
        transactionCode = String(decoding: bytes[start..<(start + 3)], as: UTF8.self)
        // Sub-field marks: `?` in the German standard, `>` at some Dutch banks (Triodos).
        let separator = bytes[start + 3]
        scratch.purpose.removeAll(keepingCapacity: true)
        scratch.name.removeAll(keepingCapacity: true)
        var account: Range<Int>?
        var bank: Range<Int>?
        var key = -1
        var valueStart = end
        var index = start + 3
        while index <= end {
            // A sub-field starts at '?' followed by two digits; a lone '?' is text.
            let isMark = index < end && bytes[index] == separator && index + 2 < end
                && MT940Bytes.isDigit(bytes[index + 1]) && MT940Bytes.isDigit(bytes[index + 2])
            guard isMark || index == end else {
                index += 1
                continue
            }
            switch key {
            case 20...29, 60...63: scratch.purpose += bytes[valueStart..<index]
            case 30: bank = valueStart..<index
            case 31: account = valueStart..<index
            case 32, 33: scratch.name += bytes[valueStart..<index]
            default: break
            }
            guard index < end else { break }
            key = Int(bytes[index + 1] - UInt8(ascii: "0")) * 10 + Int(bytes[index + 2] - UInt8(ascii: "0"))
            valueStart = index + 3
            index += 3
        }
        // SEPA keywords inside the purpose: EREF+ end-to-end id, SVWZ+ the remittance text.
        let keyed = Self.sepaKeywords(scratch.purpose)
        if let reference = keyed.endToEnd.map({ MT940Bytes.trimmedString(scratch.purpose[$0]) }), !MT940Bytes.equalsIgnoringCase(reference, "NOTPROVIDED") {
            endToEndId = reference
        }
        remittance.unstructured = MT940Bytes.collapsedString(scratch.purpose[keyed.remittance ?? scratch.purpose.indices])
        let iban = account.flatMap { IBANText.normalised(trimmed: bytes[$0]) }
        // A BIC is upper case already (``IBANText/isBIC(_:)`` checks): kept as written.
        let bic = bank.flatMap { MT940Bytes.trimmedString(bytes[$0]).nonEmpty }.flatMap { IBANText.isBIC($0) ? $0 : nil }
        let payer = MT940Bytes.collapsedString(scratch.name[...])
        if payer != nil || iban != nil || bic != nil {
            counterparty = Counterparty(name: payer, iban: iban, bic: bic)
        }
    }

    /// The SEPA keyword `code` (four letters packed big-endian) is one of those that end a value.
    private static func isSEPAKeyword(_ code: UInt32) -> Bool {
        switch code {
        case 0x4552_4546, 0x4B52_4546, 0x4D52_4546, 0x4352_4544, 0x4445_4254, 0x5356_575A, 0x4142_5741, // EREF KREF MREF CRED DEBT SVWZ ABWA
             0x4142_5745, 0x4942_414E, 0x434F_414D, 0x4F41_4D54, 0x5351_5450, 0x5055_5250: // ABWE IBAN COAM OAMT SQTP PURP
            true
        default:
            false
        }
    }

    /// Splits a German SEPA purpose at its keywords (`EREF+`, `SVWZ+`, ...): where the first
    /// value of `EREF` and of `SVWZ` are, each up to the next keyword (untrimmed).
    static func sepaKeywords(_ purpose: [UInt8]) -> (endToEnd: Range<Int>?, remittance: Range<Int>?) {
        let eref: UInt32 = 0x4552_4546, svwz: UInt32 = 0x5356_575A // "EREF", "SVWZ"
        var result: (endToEnd: Range<Int>?, remittance: Range<Int>?) = (nil, nil)
        // The keyword whose value runs until the next one: its code (0 for BIC) and where its value starts.
        var open: (code: UInt32, valueStart: Int)?
        func close(at end: Int) {
            guard let (code, valueStart) = open, valueStart <= end else { return }
            if code == eref, result.endToEnd == nil {
                result.endToEnd = valueStart..<end
            } else if code == svwz, result.remittance == nil {
                result.remittance = valueStart..<end
            }
        }
        // Each '+' ends at most one keyword (no four-letter one ends in "BIC").
        for index in purpose.indices where purpose[index] == UInt8(ascii: "+") {
            let code = purpose[max(0, index - 4)..<index].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if index >= 4, isSEPAKeyword(code) {
                close(at: index - 4)
                open = (code, index + 1)
            } else if index >= 3, code & 0xFF_FFFF == 0x42_4943 { // "BIC"
                close(at: index - 3)
                open = (0, index + 1)
            }
        }
        close(at: purpose.count)
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

    /// ``normalised(_:)`` of the bytes without leading and trailing spaces and tabs (what a
    /// value trimmed with `trimmingSpaces` gives), nil when they are empty. `bytes` must be
    /// valid UTF-8; ASCII (all real IBANs) makes no intermediate `String`.
    static func normalised(trimmed bytes: ArraySlice<UInt8>) -> String? {
        if let result = bytes.withUnsafeBufferPointer({ all -> String?? in
            // Non-ASCII bytes: nil here, the `String` path below.
            all.contains(where: { $0 >= 0x80 }) ? nil : .some(normalisedASCII(all, trimming: true))
        }) {
            return result
        }
        return MT940Bytes.trimmedString(bytes).nonEmpty.flatMap { normalised($0) }
    }

    /// The IBAN in ASCII `bytes` without spaces, upper case, as ``normalised(_:)`` makes it;
    /// nil when not shaped like one.
    /// - Parameter trimming: Whether tabs at either end are dropped too (spaces always are).
    private static func normalisedASCII(_ bytes: UnsafeBufferPointer<UInt8>, trimming: Bool = false) -> String? {
        var start = 0, end = bytes.count
        if trimming {
            while start < end, MT940Bytes.isSpace(bytes[start]) { start += 1 }
            while end > start, MT940Bytes.isSpace(bytes[end - 1]) { end -= 1 }
        }
        // 34 bytes at most: on the stack, no allocation.
        var ascii: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &ascii) { storage -> String? in
            var count = 0
            for index in start..<end where bytes[index] != UInt8(ascii: " ") {
                let byte = bytes[index]
                guard byte < 0x80, count < 34 else { return nil }
                storage[count] = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
                count += 1
            }
            guard count >= 15, MT940Bytes.isUpper(storage[0]), MT940Bytes.isUpper(storage[1]), MT940Bytes.isDigit(storage[2]), MT940Bytes.isDigit(storage[3]),
                  (4..<count).allSatisfy({ MT940Bytes.isUpper(storage[$0]) || MT940Bytes.isDigit(storage[$0]) })
            else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: storage[0..<count]), as: UTF8.self)
        }
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
        // Fast path: the bytes in place (`String.UTF8View` iteration is slow), ASCII only.
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            for byte in bytes where byte >= 0x80 { return nil }
            guard bytes.count == 8 || bytes.count == 11 else { return false }
            for offset in 0..<bytes.count where !(MT940Bytes.isUpper(bytes[offset]) || (offset >= 6 && MT940Bytes.isDigit(bytes[offset]))) { return false }
            return true
        }
        if let fast, let shaped = fast { return shaped }
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
        // Fast path: most values have nothing to trim; look at the bytes in place.
        let edges = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty ? false : MT940Bytes.isSpace(bytes[0]) || MT940Bytes.isSpace(bytes[bytes.count - 1])
        }
        if edges == false { return self }
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
