import Foundation
import Money

/// A customer as given by the API or a CSV import, before it is stored.
///
/// JSON (camelCase keys): `customerNumber`, `legalName`, `registrationId`?, `vatId`?,
/// `billingAddress`? (``PostalAddress``), `country`, `language`?, `timeZone`?,
/// `defaultCurrency`, `paymentTerms`? (`"net:30"`), `creditLimit`? (Money), `segment`?,
/// `riskCategory`?, `strategic`?, `tags`?, `contacts`? ([``ContactDraft``]),
/// `lateInterestRateBasisPoints`? (the contractual late-payment rate, 0...10000), `autoApplyCredit`?,
/// `creditPolicy`? (``CreditPolicy``, default `warn`).
/// Defaults when absent: `language` from the country (``Language/default(for:)``),
/// `timeZone` from the country when it has a single one, `paymentTerms` net 30 days (the
/// French statutory default), `strategic` false, `tags` and `contacts` empty, `autoApplyCredit`
/// false.
///
/// Decoding checks each value's form (country, e-mail...); ``validated()`` checks the rules
/// that involve several fields and normalises text.
public struct CustomerDraft: Hashable, Sendable, Codable {
    /// The creditor's own number for the customer, unique per creditor (`C-00042`).
    public var customerNumber: String
    /// The registered company name.
    public var legalName: String
    /// The company registration number (SIREN/SIRET in France).
    public var registrationId: String?
    /// The intra-community VAT number (`FR40303265045`).
    public var vatId: String?
    /// Where letters and formal notices go.
    public var billingAddress: PostalAddress?
    /// The customer's country.
    public var country: CountryCode
    /// The language reminders are written in.
    public var language: Language
    /// Where the customer is; reminders go out in its business hours.
    public var timeZone: TimeZoneIdentifier
    /// The currency the customer is usually invoiced in; the credit limit's currency.
    public var defaultCurrency: Currency
    /// How long the customer has to pay, unless an invoice says otherwise.
    public var paymentTerms: PaymentTerms
    /// The most the customer may owe, in ``defaultCurrency``.
    public var creditLimit: Money?
    /// A free segment name for reporting and scenario rules ("SMB", "Public sector").
    public var segment: String?
    /// The credit manager's risk assessment.
    public var riskCategory: RiskCategory?
    /// A strategic customer is reminded gently and escalated by a person only.
    public var strategic: Bool
    /// Free labels; no `|` (the CSV separator), at most ``maximumTags`` of at most
    /// ``maximumTagLength`` characters.
    public var tags: [String]
    /// The people to reach, at most ``maximumContacts``, several per role allowed; the first
    /// listed dunning recipient of a role is its primary one.
    public var contacts: [ContactDraft]
    /// The contractual annual late-payment interest rate in basis points (1250 = 12.50 %),
    /// 0...10000; without one, the French legal default applies (``LatePaymentTerms``).
    public var lateInterestRateBasisPoints: Int?
    /// Whether the customer's open credit (overpayments, credit notes' excess) is applied to
    /// its oldest open invoices of the same currency automatically, when credit appears and
    /// when an invoice is issued. Default: false (credit waits for `apply-credit`).
    public var autoApplyCredit: Bool
    /// What happens when accepting a quote or creating an order would take the customer over
    /// its credit limit: refused (`block`), accepted and announced (`warn`), or accepted silently
    /// (`allow`). Default: `warn` (see ``CreditPolicy``).
    public var creditPolicy: CreditPolicy = .warn

    /// The longest customer number accepted.
    public static let maximumNumberLength = 64
    /// The longest legal name accepted.
    public static let maximumLegalNameLength = 200
    /// The longest registration number accepted (a SIRET has 14 digits).
    public static let maximumRegistrationIdLength = 64
    /// The longest segment name accepted.
    public static let maximumSegmentLength = 64
    /// The most tags a customer may have.
    public static let maximumTags = 50
    /// The longest tag accepted.
    public static let maximumTagLength = 50
    /// The most contacts a customer may have. With the other limits, the largest customer's
    /// `customer.updated` record stays far below librdkafka's 1 MB `message.max.bytes`.
    public static let maximumContacts = 50

    /// Creates a draft; call ``validated()`` before storing it.
    public init(customerNumber: String, legalName: String, registrationId: String? = nil, vatId: String? = nil,
                billingAddress: PostalAddress? = nil, country: CountryCode, language: Language,
                timeZone: TimeZoneIdentifier, defaultCurrency: Currency, paymentTerms: PaymentTerms = .netDays(30),
                creditLimit: Money? = nil, segment: String? = nil, riskCategory: RiskCategory? = nil,
                strategic: Bool = false, tags: [String] = [], contacts: [ContactDraft] = [], autoApplyCredit: Bool = false) {
        self.customerNumber = customerNumber
        self.legalName = legalName
        self.registrationId = registrationId
        self.vatId = vatId
        self.billingAddress = billingAddress
        self.country = country
        self.language = language
        self.timeZone = timeZone
        self.defaultCurrency = defaultCurrency
        self.paymentTerms = paymentTerms
        self.creditLimit = creditLimit
        self.segment = segment
        self.riskCategory = riskCategory
        self.strategic = strategic
        self.tags = tags
        self.contacts = contacts
        self.autoApplyCredit = autoApplyCredit
    }

    /// The draft checked and normalised: text trimmed, blank optionals removed, VAT number
    /// upper case without spaces, tags deduplicated.
    ///
    /// Lengths are counted in Unicode scalars on the text as given (``InputLimits``).
    /// - Throws: `InvoicingError`, with the field at fault:
    ///   - `.missingField` blank `customerNumber` or `legalName`; a contact without what its
    ///     channel needs; a letter contact without `billingAddress`;
    ///   - `.limitExceeded` a text or list beyond its limit: number 64 characters, legal name
    ///     200, registration number 64, segment 64, tags 50 of 50 characters, contacts 50, and
    ///     those of ``ContactDraft`` and ``PostalAddress``;
    ///   - `.invalidField` a number with control characters, malformed `vatId`, negative
    ///     `creditLimit`, a tag with `|`, a bad address;
    ///   - `.invalidTimeZone` a time zone alias (``TimeZoneIdentifier/isListed``);
    ///   - `.invalidPaymentTerms` day count outside 0...365;
    ///   - `.invalidField` (`lateInterestRateBasisPoints`) a rate outside 0...10000;
    ///   - `.currencyMismatch` `creditLimit` not in `defaultCurrency`;
    ///   - `.duplicateContact` a contact given twice (same e-mail in one role, same `id` or
    ///     `externalReference`).
    ///
    /// Several contacts of one role are allowed; when several are marked dunning recipient,
    /// the first listed stays the role's primary dunning recipient and the others lose the
    /// mark (see ``ContactDraft/isDunningRecipient``).
    public func validated() throws(InvoicingError) -> CustomerDraft {
        var copy = self
        copy.customerNumber = try CustomerDraft.identifier(customerNumber, field: "customerNumber",
                                                           maximumLength: CustomerDraft.maximumNumberLength)
        try InputLimits.check(legalName, atMost: CustomerDraft.maximumLegalNameLength, field: "legalName", "the legal name")
        copy.legalName = TextNormalisation.trimmed(legalName)
        guard !copy.legalName.isEmpty else {
            throw InvoicingError(.missingField, "the customer has no legal name", field: "legalName")
        }
        if let registrationId {
            try InputLimits.check(registrationId, atMost: CustomerDraft.maximumRegistrationIdLength, field: "registrationId",
                                  "the registration number")
        }
        copy.registrationId = CustomerDraft.blankToNil(registrationId)
        if let vatId = CustomerDraft.blankToNil(vatId) {
            // ASCII letters and digits before upper-casing: "ß" or "ﬀ" upper-case to ASCII.
            let compact = vatId.unicodeScalars.filter { $0 != " " && $0 != "." && $0 != "-" }
            let alphanumeric = compact.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
            guard (4...20).contains(compact.count), alphanumeric else {
                throw InvoicingError(.invalidField, "'\(vatId)' is not a VAT number; write it like FR40303265045", field: "vatId")
            }
            copy.vatId = String(compact).uppercased()
        } else {
            copy.vatId = nil
        }
        do {
            copy.billingAddress = try billingAddress?.validated()
        } catch {
            throw error.at("billingAddress")
        }
        guard timeZone.isListed else {
            throw InvoicingError(.invalidTimeZone,
                                 "'\(timeZone)' is not an IANA time zone name; use an Area/City identifier like Europe/Paris or UTC",
                                 field: "timeZone")
        }
        try paymentTerms.validate()
        if let rate = lateInterestRateBasisPoints, !(0...10_000).contains(rate) {
            throw InvoicingError(.invalidField, "the late-payment rate \(rate) basis points is outside 0...10000 (0 % to 100 %); 1250 means 12.50 %",
                                 field: "lateInterestRateBasisPoints")
        }
        if let creditLimit {
            guard creditLimit.currency == defaultCurrency else {
                throw InvoicingError(.currencyMismatch,
                                     "the credit limit is in \(creditLimit.currency.code) but the customer's currency is \(defaultCurrency.code); give it in \(defaultCurrency.code)",
                                     field: "creditLimit")
            }
            guard !creditLimit.isNegative else {
                throw InvoicingError(.invalidField, "the credit limit \(creditLimit) is negative; give zero or more", field: "creditLimit")
            }
        }
        if let segment {
            try InputLimits.check(segment, atMost: CustomerDraft.maximumSegmentLength, field: "segment", "the segment")
        }
        copy.segment = CustomerDraft.blankToNil(segment)
        copy.tags = try CustomerDraft.cleanTags(tags)
        try InputLimits.check(count: contacts.count, atMost: CustomerDraft.maximumContacts, field: "contacts",
                              "contacts are")
        for (index, contact) in contacts.enumerated() {
            do {
                copy.contacts[index] = try contact.validated()
            } catch {
                throw error.at("contacts[\(index)]")
            }
            if contact.preferredChannel == .letter && billingAddress == nil {
                throw InvoicingError(.missingField,
                                     "contact '\(contact.name)' prefers letters but the customer has no billing address; add one",
                                     field: "billingAddress")
            }
        }
        copy.contacts = try CustomerDraft.checkedContacts(copy.contacts)
        return copy
    }

    /// Refuses contacts given twice and keeps one primary dunning recipient per role.
    ///
    /// A customer may have several contacts of one role. A true duplicate is refused: the same
    /// e-mail address (case-insensitive) twice in one role, or the same `id` or
    /// `externalReference` twice. When several contacts of one role are marked
    /// `isDunningRecipient`, the first listed is the role's primary dunning recipient and the
    /// others lose the mark, so at most one per role is stored and published.
    /// - Throws: `InvoicingError` `.duplicateContact` on the later contact's field.
    static func checkedContacts(_ contacts: [ContactDraft]) throws(InvoicingError) -> [ContactDraft] {
        var result = contacts
        var firstByEmail: [ContactRole: [String: Int]] = [:]
        var firstByID: [String: Int] = [:]
        var firstByReference: [String: Int] = [:]
        var recipientRoles: Set<ContactRole> = []
        for (index, contact) in contacts.enumerated() {
            if let id = contact.id {
                if let first = firstByID[id] {
                    throw InvoicingError(.duplicateContact, "contacts \(first + 1) and \(index + 1) have the same id \(id); give each contact once",
                                         field: "contacts[\(index)].id")
                }
                firstByID[id] = index
            }
            if let reference = contact.externalReference {
                if let first = firstByReference[reference] {
                    throw InvoicingError(.duplicateContact,
                                         "contacts \(first + 1) and \(index + 1) have the same external reference '\(reference)'; give each contact once",
                                         field: "contacts[\(index)].externalReference")
                }
                firstByReference[reference] = index
            }
            if let email = contact.emailKey {
                if let first = firstByEmail[contact.role]?[email] {
                    throw InvoicingError(.duplicateContact,
                                         "contacts \(first + 1) and \(index + 1) are both \(contact.role) contacts with the address \(email); give each person once per role",
                                         field: "contacts[\(index)].email")
                }
                firstByEmail[contact.role, default: [:]][email] = index
            }
            if contact.isDunningRecipient && !recipientRoles.insert(contact.role).inserted {
                result[index].isDunningRecipient = false
            }
        }
        return result
    }

    /// Trims an identifier (customer, invoice or credit-note number) and checks it is short
    /// enough (as given), present and free of control characters.
    static func identifier(_ text: String, field: String, maximumLength: Int) throws(InvoicingError) -> String {
        try InputLimits.check(text, atMost: maximumLength, field: field, field)
        let trimmed = TextNormalisation.trimmed(text)
        guard !trimmed.isEmpty else {
            throw InvoicingError(.missingField, "\(field) is blank; give the number", field: field)
        }
        guard !TextNormalisation.hasControlCharacters(trimmed) else {
            throw InvoicingError(.invalidField, "\(field) contains control characters (tabs, line breaks)", field: field)
        }
        return trimmed
    }

    static func blankToNil(_ text: String?) -> String? {
        guard let text else { return nil }
        let trimmed = TextNormalisation.trimmed(text)
        guard !trimmed.isEmpty else { return nil }
        return trimmed
    }

    /// At most ``maximumTags`` tags of at most ``maximumTagLength`` characters without `|`;
    /// blank tags are dropped, duplicates kept once.
    private static func cleanTags(_ tags: [String]) throws(InvoicingError) -> [String] {
        try InputLimits.check(count: tags.count, atMost: maximumTags, field: "tags", "tags are")
        var seen: Set<String> = []
        var result: [String] = []
        for (index, tag) in tags.enumerated() {
            try InputLimits.check(tag, atMost: maximumTagLength, field: "tags[\(index)]", "tag \(index + 1)")
            let trimmed = TextNormalisation.trimmed(tag)
            guard !trimmed.isEmpty else { continue }
            guard !trimmed.contains("|") else {
                throw InvoicingError(.invalidField, "tag '\(trimmed)' contains '|', the CSV separator of tags", field: "tags[\(index)]")
            }
            if seen.insert(trimmed).inserted { result.append(trimmed) }
        }
        return result
    }

    private enum CodingKeys: String, CodingKey {
        case customerNumber, legalName, registrationId, vatId, billingAddress, country, language, timeZone
        case defaultCurrency, paymentTerms, creditLimit, segment, riskCategory, strategic, tags, contacts
        case lateInterestRateBasisPoints, autoApplyCredit, creditPolicy
    }

    /// Decodes a draft, applying the documented defaults.
    /// - Throws: `DecodingError`; when a value is invalid its `underlyingError` is the
    ///   `InvoicingError`. A missing `timeZone` for a country with several zones is
    ///   `.missingField`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let country = try container.decode(CountryCode.self, forKey: .country)
        let timeZone: TimeZoneIdentifier
        if let given = try container.decodeIfGiven(TimeZoneIdentifier.self, forKey: .timeZone) {
            timeZone = given
        } else if let fallback = TimeZoneIdentifier.default(for: country) {
            timeZone = fallback
        } else {
            throw InvoicingError(.missingField, "give the customer's time zone, like America/New_York; \(country) has several",
                                 field: "timeZone").decodingError(decoder)
        }
        self.init(
            customerNumber: try container.decode(String.self, forKey: .customerNumber),
            legalName: try container.decode(String.self, forKey: .legalName),
            registrationId: try container.decodeIfGiven(String.self, forKey: .registrationId),
            vatId: try container.decodeIfGiven(String.self, forKey: .vatId),
            billingAddress: try container.decodeIfGiven(PostalAddress.self, forKey: .billingAddress),
            country: country,
            language: try container.decodeIfGiven(Language.self, forKey: .language) ?? Language.default(for: country),
            timeZone: timeZone,
            defaultCurrency: try container.decode(Currency.self, forKey: .defaultCurrency),
            paymentTerms: try container.decodeIfGiven(PaymentTerms.self, forKey: .paymentTerms) ?? .netDays(30),
            creditLimit: try container.decodeIfGiven(Money.self, forKey: .creditLimit),
            segment: try container.decodeIfGiven(String.self, forKey: .segment),
            riskCategory: try container.decodeIfGiven(RiskCategory.self, forKey: .riskCategory),
            strategic: try container.decodeIfGiven(Bool.self, forKey: .strategic) ?? false,
            tags: try container.decodeIfGiven([String].self, forKey: .tags) ?? [],
            contacts: try container.decodeIfGiven([ContactDraft].self, forKey: .contacts) ?? [],
            autoApplyCredit: try container.decodeIfGiven(Bool.self, forKey: .autoApplyCredit) ?? false)
        lateInterestRateBasisPoints = try container.decodeIfGiven(Int.self, forKey: .lateInterestRateBasisPoints)
        creditPolicy = try container.decodeIfGiven(CreditPolicy.self, forKey: .creditPolicy) ?? .warn
    }
}
