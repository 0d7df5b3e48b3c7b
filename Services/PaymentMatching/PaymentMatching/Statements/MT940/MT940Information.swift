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

    /// Reads the field from its lines as in the file (without the `:86:` tag).
    init(lines: [String]) {
        // Structured dialects wrap at a fixed width, in the middle of words: join as is.
        let joined = lines.joined()
        if Self.isGerman(joined) {
            parseGerman(joined)
        } else if joined.hasPrefix("/"), let tags = Self.dutchTags(joined) {
            parseDutch(tags)
        } else {
            let text = lines.map { $0.trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: " ")
            remittance.unstructured = text.collapsingSpaces.nonEmpty
        }
    }

    // MARK: German ?NN sub-fields

    /// Sub-field marks: `?` in the German standard, `>` at some Dutch banks (Triodos).
    private static let separators: Set<Character> = ["?", ">"]

    private static func isGerman(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.prefix(6))
        guard scalars.count >= 6 else { return false }
        return scalars[0..<3].allSatisfy { ("0"..."9").contains($0) } && separators.contains(Character(scalars[3]))
            && ("0"..."9").contains(scalars[4]) && ("0"..."9").contains(scalars[5])
    }

    private mutating func parseGerman(_ text: String) {
        let characters = Array(text)
        transactionCode = String(characters[0..<3])
        let separator = characters[3]
        var fields: [(Int, String)] = []
        var index = 3
        while index < characters.count {
            // A sub-field starts at '?' followed by two digits; a lone '?' is text.
            guard characters[index] == separator, index + 2 < characters.count,
                  let tens = characters[index + 1].wholeNumberValue, let ones = characters[index + 2].wholeNumberValue
            else {
                if !fields.isEmpty { fields[fields.count - 1].1.append(characters[index]) }
                index += 1
                continue
            }
            fields.append((tens * 10 + ones, ""))
            index += 3
        }
        var purpose = ""
        var name = ""
        var account: String?
        var bank: String?
        for (key, value) in fields {
            switch key {
            case 0: postingText = value.trimmingSpaces.nonEmpty
            case 20...29, 60...63: purpose += value
            case 30: bank = value.trimmingSpaces.nonEmpty
            case 31: account = value.trimmingSpaces.nonEmpty
            case 32, 33: name += value
            default: break
            }
        }
        // SEPA keywords inside the purpose: EREF+ end-to-end id, SVWZ+ the remittance text.
        let keyed = Self.sepaKeywords(purpose)
        if let reference = keyed["EREF"], reference.uppercased() != "NOTPROVIDED" { endToEndId = reference }
        if let text = keyed["SVWZ"] {
            remittance.unstructured = text.collapsingSpaces.nonEmpty
        } else {
            remittance.unstructured = purpose.trimmingSpaces.collapsingSpaces.nonEmpty
        }
        let iban = account.flatMap { IBANText.normalised($0) }
        let bic = bank.flatMap { IBANText.isBIC($0) ? $0.uppercased() : nil }
        let payer = name.trimmingSpaces.collapsingSpaces.nonEmpty
        if payer != nil || iban != nil || bic != nil {
            counterparty = Counterparty(name: payer, iban: iban, bic: bic)
        }
    }

    /// Splits a German SEPA purpose at its keywords (`EREF+`, `SVWZ+`, ...).
    private static func sepaKeywords(_ text: String) -> [String: String] {
        let keywords = ["EREF", "KREF", "MREF", "CRED", "DEBT", "SVWZ", "ABWA", "ABWE", "IBAN", "BIC", "COAM", "OAMT", "SQTP", "PURP"]
        var found: [(range: Range<String.Index>, key: String)] = []
        for key in keywords {
            var searchStart = text.startIndex
            while let range = text.range(of: key + "+", range: searchStart..<text.endIndex) {
                found.append((range, key))
                searchStart = range.upperBound
            }
        }
        found.sort { $0.range.lowerBound < $1.range.lowerBound }
        var result: [String: String] = [:]
        for (offset, item) in found.enumerated() {
            let end = offset + 1 < found.count ? found[offset + 1].range.lowerBound : text.endIndex
            guard item.range.upperBound <= end, result[item.key] == nil else { continue }
            result[item.key] = String(text[item.range.upperBound..<end]).trimmingSpaces
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
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 8 || scalars.count == 11 else { return false }
        return scalars[0..<6].allSatisfy { ("A"..."Z").contains($0) }
            && scalars[6...].allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    /// Runs of spaces and tabs as one space, trimmed.
    var collapsingSpaces: String {
        split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Nil when empty.
    var nonEmpty: String? { isEmpty ? nil : self }
}
