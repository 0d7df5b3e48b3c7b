import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Customer drafts")
struct CustomerDraftTests {
    typealias F = DomainFixture

    static func valid() throws -> CustomerDraft {
        CustomerDraft(
            customerNumber: " C-00042 ", legalName: " Acme SAS ", registrationId: "552 100 554", vatId: "fr 40 303 265 045",
            billingAddress: PostalAddress(lines: ["12 rue de la Paix", " "], postalCode: "75002", city: "Paris", country: .france),
            country: .france, language: .fr, timeZone: .paris, defaultCurrency: .eur, paymentTerms: .endOfMonthPlusDays(10),
            creditLimit: F.eur(5_000_000), segment: "  ", riskCategory: .medium, strategic: true,
            tags: ["key account", " export ", "key account", ""],
            contacts: [
                ContactDraft(name: "Claire Martin", email: try EmailAddress("claire@acme.fr"), role: .accounting, isDunningRecipient: true),
                ContactDraft(name: "Paul Durand", phone: try PhoneNumber("+33 6 12 34 56 78"), role: .management, isDunningRecipient: true),
                ContactDraft(name: "Service achats", role: .operational, preferredChannel: .letter),
            ])
    }

    @Test("a valid draft is normalised")
    func normalises() throws {
        let draft = try Self.valid().validated()
        #expect(draft.customerNumber == "C-00042")
        #expect(draft.legalName == "Acme SAS")
        #expect(draft.vatId == "FR40303265045")
        #expect(draft.segment == nil)
        #expect(draft.tags == ["key account", "export"])
        #expect(draft.billingAddress?.lines == ["12 rue de la Paix"])
        #expect(draft.contacts[1].preferredChannel == .sms)
        #expect(draft.contacts[0].preferredChannel == .email)
    }

    @Test("each broken rule gives its code and field", arguments: [
        ("blank number", InvoicingError.Code.missingField, "customerNumber"),
        ("long number", .limitExceeded, "customerNumber"),
        ("control character", .invalidField, "customerNumber"),
        ("blank name", .missingField, "legalName"),
        ("limit in dollars", .currencyMismatch, "creditLimit"),
        ("negative limit", .invalidField, "creditLimit"),
        ("terms out of range", .invalidPaymentTerms, "paymentTerms"),
        ("same e-mail twice in a role", .duplicateContact, "contacts[3].email"),
        ("e-mail channel without address", .missingField, "contacts[0].email"),
        ("SMS without phone", .missingField, "contacts[0].phone"),
        ("blank contact name", .missingField, "contacts[2].name"),
        ("letter without address", .missingField, "billingAddress"),
        ("address without city", .missingField, "billingAddress.city"),
        ("tag with a pipe", .invalidField, "tags[1]"),
        ("bad VAT number", .invalidField, "vatId"),
    ])
    func brokenRules(rule: String, code: InvoicingError.Code, field: String) throws {
        var draft = try Self.valid()
        switch rule {
        case "blank number": draft.customerNumber = "  "
        case "long number": draft.customerNumber = String(repeating: "9", count: 65)
        case "control character": draft.customerNumber = "C-1\t2"
        case "blank name": draft.legalName = ""
        case "limit in dollars": draft.creditLimit = Money(minorUnits: 100, currency: .usd)
        case "negative limit": draft.creditLimit = F.eur(-1)
        case "terms out of range": draft.paymentTerms = .netDays(400)
        case "same e-mail twice in a role":
            draft.contacts.append(ContactDraft(name: "Bis", email: try EmailAddress("Claire@ACME.fr"), role: .accounting))
        case "e-mail channel without address": draft.contacts[0].email = nil
        case "SMS without phone": draft.contacts[0].preferredChannel = .sms
        case "blank contact name": draft.contacts[2].name = " "
        case "letter without address": draft.billingAddress = nil
        case "address without city": draft.billingAddress?.city = ""
        case "tag with a pipe": draft.tags = ["ok", "a|b"]
        case "bad VAT number": draft.vatId = "FR 40/303"
        default: Issue.record("unknown rule \(rule)")
        }
        let error = #expect(throws: InvoicingError.self) { try draft.validated() }
        #expect(error?.code == code)
        #expect(error?.field == field)
    }

    @Test("one dunning recipient per role is fine")
    func recipientsPerRole() throws {
        var draft = try Self.valid()
        draft.contacts.append(ContactDraft(name: "Ops", email: try EmailAddress("ops@acme.fr"), role: .operational, isDunningRecipient: true))
        draft.contacts.append(ContactDraft(name: "Bis", email: try EmailAddress("bis@acme.fr"), role: .accounting, isDunningRecipient: false))
        #expect(try draft.validated().contacts.count == 5)
    }

    @Test("decodes a minimal JSON body with defaults")
    func decodesWithDefaults() throws {
        let json = #"{"customerNumber":"C-1","legalName":"Acme","country":"FR","defaultCurrency":"EUR"}"#
        let draft = try JSONDecoder().decode(CustomerDraft.self, from: Data(json.utf8))
        #expect(draft.language == .fr)
        #expect(draft.timeZone.identifier == "Europe/Paris")
        #expect(draft.paymentTerms == .netDays(30))
        #expect(draft.strategic == false)
        #expect(draft.tags.isEmpty && draft.contacts.isEmpty)
    }

    @Test("a country with several time zones needs one")
    func needsTimeZone() throws {
        let json = #"{"customerNumber":"C-1","legalName":"Acme","country":"US","defaultCurrency":"USD"}"#
        do {
            _ = try JSONDecoder().decode(CustomerDraft.self, from: Data(json.utf8))
            Issue.record("decoded without a time zone")
        } catch let DecodingError.dataCorrupted(context) {
            #expect((context.underlyingError as? InvoicingError)?.field == "timeZone")
        }
        let withZone = json.replacingOccurrences(of: "}", with: #","timeZone":"America/Chicago"}"#)
        #expect(try JSONDecoder().decode(CustomerDraft.self, from: Data(withZone.utf8)).language == .en)
    }

    @Test("round-trips through JSON with camelCase keys")
    func jsonRoundTrip() throws {
        let draft = try Self.valid().validated()
        let data = try JSONEncoder().encode(draft)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""isDunningRecipient":true"#))
        #expect(text.contains(#""paymentTerms":"eom+10""#))
        #expect(text.contains(#""defaultCurrency":"EUR""#))
        #expect(try JSONDecoder().decode(CustomerDraft.self, from: data) == draft)
    }

    @Test("JSON codes are exact, while CSV cells keep being trimmed")
    func jsonCodesAreExact() throws {
        let json = #"{"customerNumber":"C-1","legalName":"Acme","country":"FR","defaultCurrency":"EUR","timeZone":"Europe/Paris","paymentTerms":"NET:30"}"#
        #expect(try JSONDecoder().decode(CustomerDraft.self, from: Data(json.utf8)).paymentTerms == .netDays(30))
        for (exact, padded) in [(#""country":"FR""#, #""country":" FR""#), (#""timeZone":"Europe/Paris""#, #""timeZone":"Europe/Paris ""#),
                                (#""paymentTerms":"NET:30""#, #""paymentTerms":"NET:30\n""#)] {
            let body = json.replacingOccurrences(of: exact, with: padded)
            #expect(throws: DecodingError.self, "\(padded)") { try JSONDecoder().decode(CustomerDraft.self, from: Data(body.utf8)) }
        }
        #expect(try CountryCode(" fr ").code == "FR")
        #expect(try PaymentTerms(parsing: " net:30 ") == .netDays(30))
        #expect(try TimeZoneIdentifier(" Europe/Paris ").identifier == "Europe/Paris")
    }

    @Test("an explicit null is refused where an absent key takes its default")
    func nullIsNotAbsent() throws {
        let json = #"{"customerNumber":"C-1","legalName":"Acme","country":"FR","defaultCurrency":"EUR","strategic":null}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CustomerDraft.self, from: Data(json.utf8)) }
    }

    @Test("time zones outside the IANA list decode but are refused for new customers")
    func unlistedTimeZones() throws {
        var draft = try Self.valid()
        draft.timeZone = try TimeZoneIdentifier("Etc/GMT-1")
        let error = #expect(throws: InvoicingError.self) { try draft.validated() }
        #expect(error?.code == .invalidTimeZone)
        draft.timeZone = try TimeZoneIdentifier("Asia/Kolkata")
        #expect(try draft.validated().timeZone.identifier == "Asia/Kolkata")
        #expect(TimeZoneIdentifier.listed.contains("Asia/Calcutta"))
    }

    @Test("a VAT number is checked as ASCII before it is upper-cased")
    func vatNumberIsAscii() throws {
        var draft = try Self.valid()
        draft.vatId = "\u{FB00}\u{FB00}" // "ﬀﬀ" upper-cases to "FFFF"
        let error = #expect(throws: InvoicingError.self) { try draft.validated() }
        #expect(error?.field == "vatId")
    }
}
