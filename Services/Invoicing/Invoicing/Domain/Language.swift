import Foundation

/// A language Relance writes reminders and documents in.
public enum Language: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// French.
    case fr
    /// English.
    case en

    /// Reads a language code, case-insensitively; a region or script suffix is ignored
    /// (`fr-FR`, `en_GB` are accepted).
    /// - Throws: `InvoicingError` `.unsupportedLanguage` (field `language`) for other languages.
    public init(parsing text: String) throws(InvoicingError) {
        let trimmed = TextNormalisation.trimmed(text).lowercased()
        let primary = trimmed.split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        guard let language = Language(rawValue: primary) else {
            throw InvoicingError(.unsupportedLanguage,
                                 "'\(text)' is not a supported language; use one of \(Language.allCases.map(\.rawValue).joined(separator: ", "))",
                                 field: "language")
        }
        self = language
    }

    /// The default language for customers of a country when none is given: French for
    /// French-speaking countries (FR, BE, LU, MC), English otherwise.
    public static func `default`(for country: CountryCode) -> Language {
        ["FR", "BE", "LU", "MC"].contains(country.code) ? .fr : .en
    }

    /// The ISO 639-1 code.
    public var description: String { rawValue }
}
