import Events
import Foundation
import Invoicing
import Testing

@Suite("Validators")
struct ValidatorTests {
    @Test("accepts plausible e-mail addresses", arguments: [
        ("claire.martin@acme.fr", "claire.martin@acme.fr"),
        ("  Claire+factures@ACME.Example.COM ", "Claire+factures@acme.example.com"),
        ("o'brien@sub-domain.co.uk", "o'brien@sub-domain.co.uk"),
        ("compta@société.fr", "compta@société.fr"),
    ])
    func validEmails(text: String, normalised: String) throws {
        #expect(try EmailAddress(text).address == normalised)
    }

    @Test("refuses implausible e-mail addresses", arguments: [
        "", "claire", "claire@", "@acme.fr", "claire@acme", "claire@@acme.fr", "cla ire@acme.fr", "claire@acme..fr",
        ".claire@acme.fr", "claire.@acme.fr", "cl..aire@acme.fr", "claire@-acme.fr", "claire@acme.f", "claire@acme.fr1",
        "a,b@acme.fr", "claire@acme_corp.fr", "clai\u{7}re@acme.fr", "claire@acme.fr\nbcc@evil.fr", String(repeating: "a", count: 65) + "@acme.fr",
        String(repeating: "a", count: 60) + "@" + String(repeating: "b", count: 60) + "." + String(repeating: "c", count: 60)
            + "." + String(repeating: "d", count: 60) + "." + String(repeating: "e", count: 10) + ".fr", // 257 characters
    ])
    func invalidEmails(text: String) {
        let error = #expect(throws: InvoicingError.self) { try EmailAddress(text) }
        #expect(error?.code == .invalidEmail)
        #expect(error?.field == "email")
    }

    @Test("normalises E.164 phone numbers", arguments: [
        ("+33 6 12 34 56 78", "+33612345678"),
        ("+33.6.12.34.56.78", "+33612345678"),
        ("+1-415-555-2671", "+14155552671"),
        ("+4930123456", "+4930123456"),
        ("+123456789012345", "+123456789012345"),
        ("+12345678", "+12345678"),
    ])
    func validPhones(text: String, e164: String) throws {
        #expect(try PhoneNumber(text).e164 == e164)
    }

    @Test("refuses numbers that are not E.164", arguments: [
        "06 12 34 56 78", "0033612345678", "+0612345678", "+33 (0)6 12 34 56 78", "+1234567890123456", "+1234567", "+33 6 12 34 56 7a",
        "33+612345678", "++33612345678", "", "+",
    ])
    func invalidPhones(text: String) {
        let error = #expect(throws: InvoicingError.self) { try PhoneNumber(text) }
        #expect(error?.code == .invalidPhone)
    }

    @Test("accepts IANA time zones", arguments: ["Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata", "Etc/GMT+1"])
    func validTimeZones(identifier: String) throws {
        let zone = try TimeZoneIdentifier(identifier)
        #expect(zone.identifier == identifier)
        #expect(zone.timeZone.identifier == identifier || identifier == "UTC")
    }

    @Test("refuses abbreviations, offsets and unknown zones", arguments: ["CET", "EST", "GMT+1", "Europe/Atlantis", "", "Paris"])
    func invalidTimeZones(identifier: String) {
        let error = #expect(throws: InvoicingError.self) { try TimeZoneIdentifier(identifier) }
        #expect(error?.code == .invalidTimeZone)
    }

    @Test("country codes are the 249 assigned ISO 3166-1 alpha-2 codes")
    func countries() throws {
        #expect(CountryCode.assigned.count == 249)
        #expect(try CountryCode("fr").code == "FR")
        #expect(try CountryCode(" BE ").code == "BE")
        #expect(try CountryCode("AX").code == "AX")
        for invalid in ["UK", "EU", "XK", "FRA", "F", "", "zz"] {
            let error = #expect(throws: InvoicingError.self) { try CountryCode(invalid) }
            #expect(error?.code == .invalidCountry)
        }
    }

    @Test("languages are BCP 47 tags, region kept (an open set since issue 7)")
    func languages() throws {
        #expect(try Language(parsing: "fr") == .fr)
        #expect(try Language(parsing: "EN") == .en)
        #expect(try Language(parsing: "fr-FR").tag == "fr-FR")
        #expect(try Language(parsing: "en_GB").tag == "en-GB")
        #expect(try Language(parsing: "de").tag == "de")
        let error = #expect(throws: InvoicingError.self) { try Language(parsing: "deutsch!") }
        #expect(error?.code == .unsupportedLanguage)
        #expect(Language.default(for: try CountryCode("BE")) == .fr)
        #expect(Language.default(for: try CountryCode("US")) == .en)
    }

    @Test("validated values code as plain strings")
    func codable() throws {
        struct Contact: Codable, Equatable {
            var email: EmailAddress
            var phone: PhoneNumber
            var country: CountryCode
            var timeZone: TimeZoneIdentifier
        }
        let json = #"{"country":"fr","email":"Claire@ACME.fr","phone":"+33 6 12 34 56 78","timeZone":"Europe/Paris"}"#
        let contact = try JSONDecoder().decode(Contact.self, from: Data(json.utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(String(decoding: try encoder.encode(contact), as: UTF8.self)
            == #"{"country":"FR","email":"Claire@acme.fr","phone":"+33612345678","timeZone":"Europe\/Paris"}"#)
        do {
            _ = try JSONDecoder().decode(Contact.self, from: Data(json.replacingOccurrences(of: "+33 6", with: "06").utf8))
            Issue.record("a national number decoded")
        } catch let DecodingError.dataCorrupted(context) {
            #expect((context.underlyingError as? InvoicingError)?.code == .invalidPhone)
            #expect(context.codingPath.last?.stringValue == "phone")
        }
    }
}
