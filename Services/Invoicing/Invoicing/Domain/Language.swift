import Foundation

/// A language Relance writes reminders and documents in: a BCP 47 language tag (`fr`,
/// `en-GB`, `pt-BR`, `zh-Hant-TW`).
///
/// An open set: any well-formed tag is accepted, so adding a language needs no release.
/// Only the syntax is checked (RFC 5646 `language[-script][-region][-variant]...`, without
/// extensions or private use), and the tag is stored in its canonical case (language lower
/// case, script title case, region upper case). Stored customers hold `fr` or `en` (the
/// previous closed list), which read back unchanged.
public struct Language: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The canonical tag, e.g. `fr` or `en-GB`.
    public let tag: String

    /// French.
    public static let fr = Language(canonical: "fr")
    /// English.
    public static let en = Language(canonical: "en")

    /// The longest tag accepted.
    public static let maximumLength = 35

    private init(canonical: String) {
        tag = canonical
    }

    /// Reads a language tag, case-insensitively; `_` is read as `-` (`en_GB` is `en-GB`).
    /// - Throws: `InvoicingError` `.unsupportedLanguage` (field `language`) when the text is
    ///   not a well-formed tag.
    public init(parsing text: String) throws(InvoicingError) {
        let trimmed = TextNormalisation.trimmed(text).replacingOccurrences(of: "_", with: "-")
        guard let canonical = Language.canonicalTag(trimmed) else {
            throw InvoicingError(.unsupportedLanguage,
                                 "'\(text)' is not a BCP 47 language tag; write a language code with an optional script and region, like fr, en-GB or zh-Hant-TW",
                                 field: "language")
        }
        tag = canonical
    }

    /// The primary language subtag (`fr` for `fr-CA`).
    public var primary: String { String(tag.prefix { $0 != "-" }) }

    /// The tag, as before the set was open (`fr`, `en`).
    public var rawValue: String { tag }

    /// The default language for customers of a country when none is given: French for
    /// French-speaking countries (FR, BE, LU, MC), English otherwise.
    public static func `default`(for country: CountryCode) -> Language {
        ["FR", "BE", "LU", "MC"].contains(country.code) ? .fr : .en
    }

    /// The tag.
    public var description: String { tag }

    /// Decodes a tag, in any letter case, `_` or `-` between subtags, without surrounding
    /// spaces (exactly what the OpenAPI document's pattern accepts); a malformed one is a
    /// `DecodingError` whose `underlyingError` is the `InvoicingError`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do throws(InvoicingError) {
            guard TextNormalisation.trimmed(text) == text else {
                throw InvoicingError(.unsupportedLanguage, "'\(text)' has surrounding spaces; write a language tag like fr or en-GB", field: "language")
            }
            try self.init(parsing: text)
        } catch {
            throw error.decodingError(decoder)
        }
    }

    /// Encodes the tag.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(tag)
    }

    /// The canonical form of a well-formed tag, or nil.
    static func canonicalTag(_ text: String) -> String? {
        guard (2...maximumLength).contains(text.unicodeScalars.count),
              text.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }) else { return nil }
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let isAlpha: (String) -> Bool = { $0.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) } }
        let isDigits: (String) -> Bool = { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
        guard let language = subtags.first, isAlpha(language), (2...3).contains(language.count) || (5...8).contains(language.count) else { return nil }
        var result = [language.lowercased()]
        var index = 1
        if index < subtags.count, subtags[index].count == 4, isAlpha(subtags[index]) {
            result.append(subtags[index].prefix(1).uppercased() + subtags[index].dropFirst().lowercased())
            index += 1
        }
        if index < subtags.count, (subtags[index].count == 2 && isAlpha(subtags[index])) || (subtags[index].count == 3 && isDigits(subtags[index])) {
            result.append(subtags[index].uppercased())
            index += 1
        }
        while index < subtags.count {
            let variant = subtags[index]
            let first = variant.unicodeScalars.first.map { ("0"..."9").contains($0) } ?? false
            guard (5...8).contains(variant.count) || (variant.count == 4 && first) else { return nil }
            result.append(variant.lowercased())
            index += 1
        }
        return result.joined(separator: "-")
    }
}
