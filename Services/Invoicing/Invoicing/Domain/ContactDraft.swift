import Foundation

/// A person to reach at a customer, as given by the API or a CSV import.
///
/// JSON: `{"id": "0192f0c4-...", "externalReference": "crm-4711", "name": "Claire Martin",
/// "email": "claire@acme.fr", "phone": "+33 6 12 34 56 78", "role": "accounting",
/// "preferredChannel": "email", "isDunningRecipient": true}`.
/// `id`, `externalReference`, `email` and `phone` may be absent; `preferredChannel` defaults to
/// e-mail when there is an address, else SMS when there is a phone, else letter;
/// `isDunningRecipient` defaults to false. Optional too: `language` (BCP 47, when the contact
/// reads another language than the customer's), `consents` ([``ChannelConsent``], at most one
/// per channel) and `cc` (e-mail addresses copied on e-mails to the contact), both default empty.
///
/// A customer may have several contacts of one role (two accounting contacts). Its contacts'
/// ids are stable: an update keeps the id of each contact it matches (see
/// `ContactIdentity`), so history and consent stay with the person whatever the order.
public struct ContactDraft: Hashable, Sendable, Codable {
    /// Relance's id for the contact, assigned by the store and kept across updates: a
    /// time-ordered UUID (contacts stored before ids were kept have `<customer id>-contact-<n>`,
    /// the position they had then). Absent for a contact not stored yet; give it back in an
    /// update to keep the contact, whatever else changes.
    public var id: String?
    /// The client's own key for the contact (a CRM id), at most 100 characters, unique among
    /// the customer's contacts. An update matches a contact by it when `id` is absent.
    public var externalReference: String?
    /// The person's name (or a function: "Service comptabilité").
    public var name: String
    /// Their e-mail address.
    public var email: EmailAddress?
    /// Their phone number, E.164.
    public var phone: PhoneNumber?
    /// What they do for the customer.
    public var role: ContactRole
    /// How they prefer to be reached.
    public var preferredChannel: Channel
    /// Whether they are the primary dunning recipient of their role: reminders for the role go
    /// to them. When several contacts of one role say so, the first listed is the primary and
    /// ``CustomerDraft/validated()`` clears the flag of the others, so at most one per role
    /// is stored and published.
    public var isDunningRecipient: Bool
    /// The contact's language, when it differs from the customer's.
    public var language: Language?
    /// The contact's consents, at most one per channel.
    public var consents: [ChannelConsent] = []
    /// Addresses copied on e-mails to the contact, at most ``maximumCC``.
    public var cc: [EmailAddress] = []

    /// The most consents a contact may have.
    public static let maximumConsents = 20
    /// The most cc addresses a contact may have.
    public static let maximumCC = 10
    /// The longest contact name accepted.
    public static let maximumNameLength = 200
    /// The longest ``externalReference`` accepted.
    public static let maximumExternalReferenceLength = 100
    /// The longest ``id`` accepted (ids are Relance's; this only bounds what a client echoes).
    public static let maximumIDLength = 128

    /// Creates a contact; call ``validated()`` (or the customer's) before storing it.
    public init(name: String, email: EmailAddress? = nil, phone: PhoneNumber? = nil, role: ContactRole,
                preferredChannel: Channel? = nil, isDunningRecipient: Bool = false,
                id: String? = nil, externalReference: String? = nil) {
        self.id = id
        self.externalReference = externalReference
        self.name = name
        self.email = email
        self.phone = phone
        self.role = role
        self.preferredChannel = preferredChannel ?? ContactDraft.defaultChannel(email: email, phone: phone)
        self.isDunningRecipient = isDunningRecipient
    }

    /// The contact with its name, id and external reference trimmed (blank ones removed),
    /// checked for what its channel needs.
    /// - Throws: `InvoicingError` `.limitExceeded` when the name (as given) is longer than
    ///   ``maximumNameLength``; `.missingField` when the name is blank (`name`), or the
    ///   preferred channel lacks its address: e-mail without `email`, SMS or phone without
    ///   `phone`; `.limitExceeded` for an `id` or `externalReference` too long, `.invalidField` with control
    ///   characters. Letters need the customer's billing address, checked by
    ///   ``CustomerDraft/validated()``.
    public func validated() throws(InvoicingError) -> ContactDraft {
        var copy = self
        try InputLimits.check(name, atMost: ContactDraft.maximumNameLength, field: "name", "the contact name")
        copy.id = try ContactDraft.key(id, field: "id", maximumLength: ContactDraft.maximumIDLength)
        copy.externalReference = try ContactDraft.key(externalReference, field: "externalReference",
                                                      maximumLength: ContactDraft.maximumExternalReferenceLength)
        copy.name = TextNormalisation.trimmed(name)
        guard !copy.name.isEmpty else {
            throw InvoicingError(.missingField, "the contact has no name; give a person's name or a function", field: "name")
        }
        switch preferredChannel {
        case .email where email == nil:
            throw InvoicingError(.missingField, "contact '\(copy.name)' prefers e-mail but has no e-mail address", field: "email")
        case .sms where phone == nil, .phone where phone == nil:
            throw InvoicingError(.missingField, "contact '\(copy.name)' prefers \(preferredChannel) but has no phone number", field: "phone")
        default:
            break
        }
        try InputLimits.check(count: consents.count, atMost: ContactDraft.maximumConsents, field: "consents", "consents")
        var channels: Set<String> = []
        copy.consents = []
        for (index, consent) in consents.enumerated() {
            let clean: ChannelConsent
            do {
                clean = try consent.validated()
            } catch {
                throw error.at("consents[\(index)]")
            }
            guard channels.insert(clean.channel).inserted else {
                throw InvoicingError(.invalidField, "two consents for channel \(clean.channel); give one per channel, the latest", field: "consents[\(index)].channel")
            }
            copy.consents.append(clean)
        }
        try InputLimits.check(count: cc.count, atMost: ContactDraft.maximumCC, field: "cc", "cc addresses")
        return copy
    }

    /// A trimmed identifier, nil when blank. Length and control characters are checked on the
    /// text as given, as the OpenAPI document states them (`maxLength`, `pattern`).
    private static func key(_ text: String?, field: String, maximumLength: Int) throws(InvoicingError) -> String? {
        guard let text else { return nil }
        try InputLimits.check(text, atMost: maximumLength, field: field, "the contact's \(field)")
        guard !TextNormalisation.hasControlCharacters(text) else {
            throw InvoicingError(.invalidField, "the contact's \(field) contains control characters (tabs, line breaks)", field: field)
        }
        return CustomerDraft.blankToNil(text)
    }

    /// The e-mail address as contacts are compared by it: in lower case (mail systems treat
    /// the part before @ case-insensitively in practice).
    var emailKey: String? { email?.address.lowercased() }

    /// E-mail when there is an address, else SMS when there is a phone, else letter.
    public static func defaultChannel(email: EmailAddress?, phone: PhoneNumber?) -> Channel {
        email != nil ? .email : phone != nil ? .sms : .letter
    }

    private enum CodingKeys: String, CodingKey {
        case id, externalReference, name, email, phone, role, preferredChannel, isDunningRecipient
        case language, consents, cc
    }

    /// Decodes a contact, applying the documented defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  email: try container.decodeIfGiven(EmailAddress.self, forKey: .email),
                  phone: try container.decodeIfGiven(PhoneNumber.self, forKey: .phone),
                  role: try container.decode(ContactRole.self, forKey: .role),
                  preferredChannel: try container.decodeIfGiven(Channel.self, forKey: .preferredChannel),
                  isDunningRecipient: try container.decodeIfGiven(Bool.self, forKey: .isDunningRecipient) ?? false,
                  id: try container.decodeIfGiven(String.self, forKey: .id),
                  externalReference: try container.decodeIfGiven(String.self, forKey: .externalReference))
        language = try container.decodeIfGiven(Language.self, forKey: .language)
        consents = try container.decodeIfGiven([ChannelConsent].self, forKey: .consents) ?? []
        cc = try container.decodeIfGiven([EmailAddress].self, forKey: .cc) ?? []
    }
}
