import Events
import Foundation
@testable import Invoicing
import Money
import ServiceKit
import Testing

/// The OpenAPI document states exactly what the server enforces: for each pattern, enum and
/// limit it declares, the server accepts a value if and only if the document does. Patterns
/// are evaluated as JSON Schema does (unanchored search, ICU regular expressions here).
@Suite("HTTP: the OpenAPI constraints are the server's")
struct OpenAPIConstraintTests {
    // MARK: The document

    /// The document in the source tree (read on each use: `[String: Any]` is not `Sendable`).
    static var document: [String: Any] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Services/Invoicing/Invoicing/Resources/openapi.json")
        let data = (try? Data(contentsOf: url)) ?? Data()
        return ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:]
    }

    /// The object at a path of keys (array indexes as numbers).
    static func node(_ path: Any...) throws -> [String: Any] {
        var current: Any = document
        for key in path {
            if let index = key as? Int, let array = current as? [Any], array.indices.contains(index) {
                current = array[index]
            } else if let name = key as? String, let object = current as? [String: Any], let next = object[name] {
                current = next
            } else {
                throw DocumentError(path: path.map { "\($0)" }.joined(separator: "/"))
            }
        }
        guard let object = current as? [String: Any] else { throw DocumentError(path: path.map { "\($0)" }.joined(separator: "/")) }
        return object
    }

    struct DocumentError: Error { let path: String }

    static func schema(_ name: String) throws -> [String: Any] { try node("components", "schemas", name) }
    static func property(_ schema: String, _ name: String) throws -> [String: Any] {
        try node("components", "schemas", schema, "properties", name)
    }

    /// JSON Schema's `pattern`: the text contains a match, `$` meaning the end of the text as
    /// in ECMA-262 (ICU's `$` also matches before a final line break, hence `\z`).
    static func matches(_ pattern: String, _ text: String) throws -> Bool {
        let ecma = pattern.hasSuffix("$") && !pattern.hasSuffix("\\$") ? String(pattern.dropLast()) + "\\z" : pattern
        let regex = try NSRegularExpression(pattern: ecma)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static func pattern(_ object: [String: Any]) throws -> String {
        try #require(object["pattern"] as? String)
    }

    /// Whether decoding `text` as a JSON string into `Value` succeeds.
    static func decodes<Value: Decodable>(_ type: Value.Type, _ text: String) -> Bool {
        guard let json = try? JSONEncoder().encode(text) else { return false }
        return (try? JSONDecoder().decode(Value.self, from: json)) != nil
    }

    /// Texts that probe white space, control characters and Unicode.
    static let tricky: [String] = [
        "", " ", "a", " a ", "a b", "\t", "\n", "\u{0B}", "\u{0C}", "\r", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}",
        "\u{200B}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "\u{180E}", "\u{1C}", "\u{1F}", "\u{0}",
        "\u{7F}", "\u{9F}", "\u{A0}x\u{A0}", "a\tb", "a\u{85}b", "x\u{1}", "é", "e\u{301}", "日本", "😀", "\u{3000}字\u{3000}",
        "C-00042", " C-00042 ", "INV/2026-0042", "|", "a|b",
    ]

    // MARK: Codes

    @Test("CountryCode's pattern accepts exactly the codes the server decodes, in any letter case")
    func countryPattern() throws {
        let pattern = try Self.pattern(Self.schema("CountryCode"))
        let letters = (UInt8(ascii: "A")...UInt8(ascii: "Z")).map { String(UnicodeScalar($0)) }
        var samples = [" FR", "FR ", "F", "FRA", "", "F1", "ÉS"]
        for first in letters {
            for second in letters {
                samples += [first + second, (first + second).lowercased(), first + second.lowercased()]
            }
        }
        for text in samples {
            #expect(try Self.matches(pattern, text) == Self.decodes(CountryCode.self, text), "\(text.debugDescription)")
        }
    }

    @Test("CurrencyCode's pattern accepts exactly the active ISO 4217 codes the server knows, in any letter case")
    func currencyPattern() throws {
        let pattern = try Self.pattern(Self.schema("CurrencyCode"))
        let regex = try NSRegularExpression(pattern: String(pattern.dropLast()) + "\\z")
        let letters = Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        var samples = ["eur", "Eur", "eUR", " EUR", "EUR ", "EU", "EURO", ""]
        for a in letters {
            for b in letters {
                for c in letters {
                    samples.append(String(decoding: [a, b, c], as: UTF8.self))
                }
            }
        }
        for text in samples {
            let documented = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect(documented == Self.decodes(Currency.self, text), "\(text.debugDescription)")
        }
    }

    @Test("the timeZone enum is exactly the listed IANA names, each known to the system")
    func timeZoneEnum() throws {
        let documented = try #require(Self.property("CustomerDraft", "timeZone")["enum"] as? [String])
        #expect(Set(documented) == TimeZoneIdentifier.listed)
        #expect(documented.count == TimeZoneIdentifier.listed.count)
        for name in documented {
            #expect(TimeZone(identifier: name) != nil, "\(name)")
            #expect(Self.decodes(TimeZoneIdentifier.self, name), "\(name)")
        }
        for name in [" Europe/Paris", "Europe/Paris ", "europe/paris", "Etc/GMT+1", "CET", "GMT"] {
            #expect(!documented.contains(name))
            let listed = (try? TimeZoneIdentifier(name))?.isListed ?? false
            #expect(!(Self.decodes(TimeZoneIdentifier.self, name) && listed), "\(name)")
        }
    }

    @Test("countries with a default time zone are exactly those the document lets omit timeZone")
    func timeZoneRequiredUnlessDefault() throws {
        let rules = try #require(Self.schema("CustomerDraft")["allOf"] as? [[String: Any]])
        let rule = try #require(rules.first { (($0["then"] as? [String: Any])?["required"] as? [String]) == ["timeZone"] })
        let condition = try #require(((rule["if"] as? [String: Any])?["properties"] as? [String: Any])?["country"] as? [String: Any])
        let singleZone = try #require((condition["not"] as? [String: Any])?["pattern"] as? String)
        for code in CountryCode.assigned {
            let hasDefault = TimeZoneIdentifier.default(for: try CountryCode(code)) != nil
            #expect(try Self.matches(singleZone, code) == hasDefault, "\(code)")
            if let zone = TimeZoneIdentifier.default(for: try CountryCode(code)) {
                #expect(zone.isListed, "\(code): \(zone)")
            }
        }
    }

    @Test("paymentTerms' pattern accepts exactly the terms the server decodes")
    func paymentTermsPattern() throws {
        let pattern = try Self.pattern(Self.property("CustomerDraft", "paymentTerms"))
        var samples = ["receipt", "RECEIPT", "Receipt", "receipts", " receipt", "receipt ", "net30", "net:", "net:-1", "net:+1",
                       "eom+", "eom", "+10eom", "net:30eom", "eom+10eom", "net:１０", "45 eom", "net: 30", ""]
        for days in [0, 1, 9, 10, 99, 100, 199, 200, 299, 300, 359, 360, 365, 366, 399, 400, 999, 1000, 9999] {
            for digits in ["\(days)", "0\(days)", "00\(days)", "000\(days)"] {
                samples += ["net:\(digits)", "NET:\(digits)", "eom+\(digits)", "EoM+\(digits)", "\(digits)eom", "\(digits)EOM"]
            }
        }
        for days in [0, 9, 30, 365, 366, 1000] {
            for day in [0, 1, 9, 10, 28, 31, 32, 99] {
                samples += ["\(days)eom:\(day)", "\(days)EOM:0\(day)", "\(days)eom:00\(day)", "\(days)eom:000\(day)"]
            }
        }
        samples += ["eom:10", "30eom:", "30eom:1:2", "30eom+10", "instalments:", "instalments:30", "Instalments:30/60", "instalments:30/60/",
                    "instalments:0/365", "instalments:30/366", "instalments:30=50/60=50", "instalments:30=0/60=100", "instalments:30=101/60=1",
                    "instalments:30=0100/60=0000", "instalments:1/2/3/4/5/6/7/8/9/10/11/12", "instalments:1/2/3/4/5/6/7/8/9/10/11/12/13",
                    "instalments:30==50/60", "instalments:30=50=1/60", "instalment:30/60", " instalments:30/60"]
        for text in samples {
            #expect(try Self.matches(pattern, text) == Self.decodes(PaymentTerms.self, text), "\(text.debugDescription)")
        }
        // What the pattern cannot express (documented in its description): instalment day counts
        // strictly ascending, percentages for all or none, summing to 100.
        for text in ["instalments:60/30", "instalments:30/30", "instalments:30=50/60", "instalments:30=60/60=60"] {
            #expect(try Self.matches(pattern, text))
            #expect(!Self.decodes(PaymentTerms.self, text), "\(text)")
        }
    }

    @Test("documentUrl's pattern accepts exactly the URLs the server does")
    func documentURLPattern() throws {
        let pattern = try Self.pattern(Self.property("InvoiceDraft", "documentUrl"))
        let samples = Self.tricky + [
            "https://files.example.com/INV-1.pdf", "HTTP://a.b", "http://localhost:8080/x?y=1#z", "https://a-b.c/%41%zz", "https://a-b.c/%41",
            "https://-a.b/", "https://a-.b/", "https://a..b/", "https://a.b:123456/", "https://a.b/ space", "https://a.b/\n", "https://a.b\n",
            "ftp://a.b/", "https:/a.b", "https://", "https://a.b/é", "https://a.b/[x]", "https://a.b/<x>", "https://user@a.b/", "https://a.b/~x_y.z!$&'()*+,;=",
        ]
        for text in samples {
            var draft = InvoiceDraft(number: "INV-1", customerNumber: "C-1", issueDate: try CalendarDate(iso8601: "2026-01-01"), currency: .eur,
                                     total: Money(minorUnits: 100, currency: .eur))
            draft.documentUrl = text
            let accepted = (try? draft.validate(terms: .netDays(30))) != nil
            #expect(try Self.matches(pattern, text) == accepted, "\(text.debugDescription)")
        }
    }

    @Test("language's pattern accepts exactly the BCP 47 tags the server decodes")
    func languagePattern() throws {
        let schema = try Self.schema("LanguageTag")
        let pattern = try Self.pattern(schema)
        let maximum = try #require(schema["maxLength"] as? Int)
        #expect(maximum == Language.maximumLength)
        var samples = ["fr", "FR", "en-GB", "en_gb", "zh-Hant-TW", "es-419", "sl-rozaj", "de-CH-1901", "de-1901", "gsw", "abcde", "abcdefghi",
                       "f", "", " fr", "fr ", "fr-", "-fr", "fr--FR", "fr-FR-FR", "fr-F", "fr-Hant-Hant", "fr-1", "fr-12", "fr-123", "fr-1234",
                       "fr-a234", "fr-abcd-12", "é", "fr-FR-x-priv", "12", "fr.FR", "fr-FR_variant", "en-GB-oxendict"]
        samples += Self.tricky
        for text in samples where text.unicodeScalars.count <= maximum {
            #expect(try Self.matches(pattern, text) == Self.decodes(Language.self, text), "\(text.debugDescription)")
        }
    }

    // MARK: Contact details

    @Test("phone's pattern accepts exactly the numbers the server reads as E.164")
    func phonePattern() throws {
        let pattern = try Self.pattern(Self.property("ContactDraft", "phone"))
        let samples = [
            "+33 6 12 34 56 78", "+33.6.12.34.56.78", "+1-415-555-2671", "+12345678", "+1234567", "+123456789012345",
            "+1234567890123456", "+0123456789", "33612345678", "+33 6 12 34 56 78 ", " +33612345678", "+33\u{A0}6\u{202F}12\t34",
            "+33(6)12345678", "++33612345678", "+33612345678+", "+336123456７8", "", "+", "-+33612345678", "+33\u{2009}612345678",
        ]
        for text in samples + Self.tricky {
            #expect(try Self.matches(pattern, text) == Self.decodes(PhoneNumber.self, text), "\(text.debugDescription)")
        }
    }

    // MARK: Texts

    /// Whether the server accepts `text` as a customer's `field` (other fields valid).
    static func customerAccepts(_ edit: (inout CustomerDraft) -> Void, field: String) throws -> Bool {
        var draft = CustomerDraft(customerNumber: "C-1", legalName: "Acme", country: .france, language: .fr, timeZone: .paris,
                                  defaultCurrency: .eur)
        edit(&draft)
        do {
            _ = try draft.validated()
            return true
        } catch {
            #expect(error.field?.hasPrefix(field) == true, "unexpected \(error)")
            return false
        }
    }

    @Test("customerNumber's pattern accepts exactly the identifiers the server does (not blank, no control character)")
    func identifierPattern() throws {
        let pattern = try Self.pattern(Self.property("CustomerDraft", "customerNumber"))
        for text in Self.tricky {
            let server = try Self.customerAccepts({ $0.customerNumber = text }, field: "customerNumber")
            #expect(try Self.matches(pattern, text) == server, "\(text.debugDescription)")
        }
        #expect(try Self.property("CreditNoteDraft", "number")["pattern"] as? String == pattern)
        #expect(try Self.property("InvoiceDraft", "customerNumber")["pattern"] as? String == pattern)
    }

    @Test("the required-text pattern accepts exactly the texts the server finds not blank")
    func nonBlankPattern() throws {
        let pattern = try Self.pattern(Self.property("CustomerDraft", "legalName"))
        for text in Self.tricky {
            let server = try Self.customerAccepts({ $0.legalName = text }, field: "legalName")
            #expect(try Self.matches(pattern, text) == server, "\(text.debugDescription)")
            let required = (try? InvoicingAPI.requiredText(text, field: "reason", maximumLength: 1000, "")) != nil
            #expect(try Self.matches(pattern, text) == required, "\(text.debugDescription)")
        }
        for (schema, property) in [("ContactDraft", "name"), ("PostalAddress", "city"), ("DisputeRequest", "reason"),
                                   ("ResolveDisputeRequest", "resolution"), ("FactorRequest", "factorName"), ("WriteOffRequest", "reason")] {
            #expect(try Self.property(schema, property)["pattern"] as? String == pattern, "\(schema).\(property)")
        }
    }

    @Test("vatId's pattern accepts exactly the VAT numbers the server does, blank included")
    func vatPattern() throws {
        let pattern = try Self.pattern(Self.property("CustomerDraft", "vatId"))
        let samples = ["FR40303265045", "fr 40 303 265 045", "FR-40.303", "FR4", "FR40", String(repeating: "1", count: 20),
                       String(repeating: "1", count: 21), " FR40303265045\t", "FR\t40303265045", "FR\u{A0}40303265045", "ﬀﬀ", "ßß",
                       "FR40/303", "....", "..FR40..", "Ｆ４０３０３", "DE 123 456 789"]
        for text in samples + Self.tricky {
            let server = try Self.customerAccepts({ $0.vatId = text }, field: "vatId")
            #expect(try Self.matches(pattern, text) == server, "\(text.debugDescription)")
        }
    }

    @Test("an invoice number's pattern accepts exactly the numbers that make an RF reference")
    func invoiceNumberPattern() throws {
        let pattern = try Self.pattern(Self.property("InvoiceDraft", "number"))
        let samples = ["INV-2026-0042", "inv/2026/0042", "-/-", "A", String(repeating: "9", count: 21), String(repeating: "9", count: 22),
                       "1 2 3", "INV\t1", "INV\u{85}1", "éé1", "発票1", " 1 "]
        for text in samples + Self.tricky {
            let draft = InvoiceDraft(number: text, customerNumber: "C-1", issueDate: try DomainFixture.day("2026-03-01"),
                                     currency: .eur, total: DomainFixture.eur(100))
            let server = (try? draft.validate(terms: .netDays(30))) != nil
            #expect(try Self.matches(pattern, text) == server, "\(text.debugDescription)")
        }
    }

    @Test("a string quantity's pattern accepts exactly what the server parses")
    func quantityPattern() throws {
        let variants = try #require(Self.property("InvoiceLine", "quantity")["oneOf"] as? [[String: Any]])
        let pattern = try #require(variants.first { $0["type"] as? String == "string" }?["pattern"] as? String)
        let samples = ["1", "1.5", "1,5", "-1", "+2", "0.001", "0.0001", ".5", ",250", "1.", "1..2", "1,2,3", "", "-", ".", " 1.5 ",
                       "1 000", "1e3", "０", "999999999999999.999", "999999999999999999"]
        for text in samples + Self.tricky {
            #expect(try Self.matches(pattern, text) == ((try? Quantity(parsing: text)) != nil), "\(text.debugDescription)")
        }
    }

    // MARK: Parameters

    @Test("the cursor pattern accepts exactly the cursors the server reads, including every cursor it hands out")
    func cursorPattern() throws {
        let pattern = try Self.pattern(Self.node("components", "parameters", "Cursor", "schema"))
        for key in ["C-001", "INV-2026-0042", "é", "", "x", "xy", "xyz"] {
            #expect(try Self.matches(pattern, PageRequest.encodeCursor(key)), "\(key)")
        }
        for text in ["AB", "ABC", "ABCD", "A", "ABCDE", "AB==", "a+b/", "a-b_", "Zm9v", "Zm9vYg", "%", " AB"] + Self.tricky {
            #expect(try Self.matches(pattern, text) == PageRequest.isCursor(text), "\(text.debugDescription)")
        }
    }

    @Test("the Idempotency-Key pattern accepts exactly the keys the middleware does")
    func idempotencyKeyPattern() throws {
        let pattern = try Self.pattern(Self.node("components", "parameters", "IdempotencyKey", "schema"))
        for text in ["abc", "0c8f5e0e-8d1e-4b8e-9d55-0e2e1c3a9f10", "a b", "~!", String(repeating: "k", count: 255),
                     String(repeating: "k", count: 256)] + Self.tricky {
            #expect(try Self.matches(pattern, text) == IdempotencyMiddleware<RelanceRequestContext>.isValidKey(text),
                    "\(text.debugDescription)")
        }
    }

    // MARK: Limits

    @Test("every maxLength and maxItems of the document is the server's limit", arguments: [
        ("CustomerDraft/customerNumber", "maxLength", CustomerDraft.maximumNumberLength),
        ("CustomerDraft/legalName", "maxLength", CustomerDraft.maximumLegalNameLength),
        ("CustomerDraft/registrationId", "maxLength", CustomerDraft.maximumRegistrationIdLength),
        ("CustomerDraft/segment", "maxLength", CustomerDraft.maximumSegmentLength),
        ("CustomerDraft/tags", "maxItems", CustomerDraft.maximumTags),
        ("CustomerDraft/contacts", "maxItems", CustomerDraft.maximumContacts),
        ("ContactDraft/name", "maxLength", ContactDraft.maximumNameLength),
        ("ContactDraft/email", "maxLength", EmailAddress.maximumLength),
        ("PostalAddress/lines", "maxItems", PostalAddress.maximumLines),
        ("PostalAddress/postalCode", "maxLength", PostalAddress.maximumPostalCodeLength),
        ("PostalAddress/city", "maxLength", PostalAddress.maximumCityLength),
        ("InvoiceDraft/number", "maxLength", InvoiceDraft.maximumNumberLength),
        ("InvoiceDraft/customerNumber", "maxLength", CustomerDraft.maximumNumberLength),
        ("InvoiceDraft/orderReference", "maxLength", InvoiceDraft.maximumOrderReferenceLength),
        ("InvoiceLine/description", "maxLength", InvoiceDraft.maximumLineDescriptionLength),
        ("CreditNoteDraft/number", "maxLength", InvoiceDraft.maximumNumberLength),
        ("CreditNoteDraft/reason", "maxLength", InvoicingAPI.maximumReasonLength),
        ("CancelRequest/reason", "maxLength", InvoicingAPI.maximumReasonLength),
        ("DisputeRequest/reason", "maxLength", InvoicingAPI.maximumReasonLength),
        ("ResolveDisputeRequest/resolution", "maxLength", InvoicingAPI.maximumReasonLength),
        ("WriteOffRequest/reason", "maxLength", InvoicingAPI.maximumReasonLength),
        ("FactorRequest/factorName", "maxLength", InvoicingAPI.maximumNameLength),
        ("InvoiceDraft/documentUrl", "maxLength", InvoiceDraft.maximumDocumentURLLength),
        ("ContactDraft/consents", "maxItems", ContactDraft.maximumConsents),
        ("ContactDraft/cc", "maxItems", ContactDraft.maximumCC),
        ("ScheduleRequest/instalments", "maxItems", InvoicingDatabase.maximumInstalments),
        ("DueDateChangeRequest/reason", "maxLength", InvoicingAPI.maximumReasonLength),
        ("QuoteDraft/number", "maxLength", InvoiceDraft.maximumNumberLength),
        ("QuoteDraft/lines", "maxItems", QuoteDraft.maximumLines),
        ("QuoteDraft/note", "maxLength", QuoteDraft.maximumNoteLength),
        ("OrderDraft/number", "maxLength", InvoiceDraft.maximumNumberLength),
        ("OrderDraft/customerReference", "maxLength", InvoiceDraft.maximumOrderReferenceLength),
        ("AcceptQuoteRequest/customerReference", "maxLength", InvoiceDraft.maximumOrderReferenceLength),
        ("VettingDraft/legalForm", "maxLength", VettingDraft.maximumTextLength),
        ("VettingDraft/decidedBy", "maxLength", VettingDraft.maximumTextLength),
        ("VettingDraft/note", "maxLength", VettingDraft.maximumNoteLength),
        ("VettingDraft/creditScore", "maximum", VettingDraft.maximumCreditScore),
    ])
    func limits(path: String, keyword: String, limit: Int) throws {
        let parts = path.split(separator: "/").map(String.init)
        #expect(try Self.property(parts[0], parts[1])[keyword] as? Int == limit)
    }

    @Test("nested limits: tag and street line lengths, the insurer's length")
    func nestedLimits() throws {
        #expect(try Self.node("components", "schemas", "CustomerDraft", "properties", "tags", "items")["maxLength"] as? Int
                == CustomerDraft.maximumTagLength)
        #expect(try Self.node("components", "schemas", "PostalAddress", "properties", "lines", "items")["maxLength"] as? Int
                == PostalAddress.maximumLineLength)
        #expect(try Self.node("components", "schemas", "CreditInsuranceRequest", "properties", "insurer", "oneOf", 0)["maxLength"] as? Int
                == InvoicingAPI.maximumNameLength)
    }
}
