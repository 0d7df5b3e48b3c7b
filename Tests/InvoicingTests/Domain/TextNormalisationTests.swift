import Foundation
@testable import Invoicing
import Money
import Testing

@Suite("Import fast paths agree with the general code")
struct TextNormalisationTests {
    @Test("the amount fast path equals Money(parsing:) on every shape", arguments: ["EUR", "JPY", "KWD"])
    func amountsAgree(code: String) throws {
        let currency = try Currency(code: code)
        let samples = [
            "0", "1", "-1", "12", "1234", "1234.5", "1234,56", "1,234", "1.234", "1,2345", "12.", ".5", ",50", "-0,01",
            "+5", "1 234,56", "1.234,56", "1,234.56", "12a", "", "-", "1..2", "99999999999999", "999999999999999",
            "123456789012345678", "0.001", "0,999", "1'234.50",
        ]
        for text in samples {
            let fast = Result { () throws(MoneyError) in try TextNormalisation.money(text, currency: currency) }
            let general = Result { () throws(MoneyError) in try Money(parsing: text, currency: currency) }
            switch (fast, general) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(text) in \(currency)")
            case (.failure(let a), .failure(let b)): #expect(a.code == b.code, "\(text) in \(currency)")
            default: Issue.record("'\(text)' in \(currency): fast \(fast) vs general \(general)")
            }
        }
    }

    @Test("trimming and control-character checks match Foundation")
    func textAgrees() {
        for text in ["abc", " abc", "abc ", "\tabc\n", "é", " é ", "\u{00A0}x\u{00A0}", "", "  ", "a b", "a\u{85}b", "a\tb", "a\u{7F}"] {
            #expect(TextNormalisation.trimmed(text) == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(text.debugDescription)")
            #expect(TextNormalisation.hasControlCharacters(text) == text.unicodeScalars.contains { $0.properties.generalCategory == .control },
                    "\(text.debugDescription)")
        }
    }
}
