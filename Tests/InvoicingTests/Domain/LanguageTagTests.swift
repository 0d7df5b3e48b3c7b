import Foundation
import Invoicing
import Testing

@Suite("Language: an open set of BCP 47 tags")
struct LanguageTagTests {
    @Test("well-formed tags are accepted in canonical case", arguments: [
        ("fr", "fr"), ("EN", "en"), ("fr-FR", "fr-FR"), ("en_gb", "en-GB"), ("de", "de"), ("pt-br", "pt-BR"),
        ("zh-hant-tw", "zh-Hant-TW"), ("es-419", "es-419"), ("sl-rozaj", "sl-rozaj"), ("de-CH-1901", "de-CH-1901"), ("gsw", "gsw"),
    ])
    func accepted(text: String, canonical: String) throws {
        #expect(try Language(parsing: text).tag == canonical)
    }

    @Test("malformed tags are refused", arguments: [
        "", "f", "french-", "fr--FR", "fr-", "12", "fr-F", "fr-FRA1", "fr-FR-FR", "fr FR", "é", "fr-x-private", "abcdefghi",
        String(repeating: "a", count: 3) + String(repeating: "-abcde", count: 6),
    ])
    func refused(text: String) {
        let error = #expect(throws: InvoicingError.self) { try Language(parsing: text) }
        #expect(error?.code == .unsupportedLanguage)
    }

    @Test("stored languages (fr, en) read back unchanged; JSON refuses surrounding spaces")
    func stored() throws {
        struct Box: Codable, Equatable { var language: Language }
        #expect(try JSONDecoder().decode(Box.self, from: Data(#"{"language":"fr"}"#.utf8)).language == .fr)
        #expect(try JSONDecoder().decode(Box.self, from: Data(#"{"language":"en"}"#.utf8)).language == .en)
        #expect(String(decoding: try JSONEncoder().encode(Box(language: try Language(parsing: "en-gb"))), as: UTF8.self) == #"{"language":"en-GB"}"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Box.self, from: Data(#"{"language":" fr"}"#.utf8)) }
        #expect(try Language(parsing: "fr-CA").primary == "fr")
    }
}
