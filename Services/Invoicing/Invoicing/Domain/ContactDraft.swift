import Foundation

/// A person to reach at a customer, as given by the API or a CSV import.
///
/// JSON: `{"name": "Claire Martin", "email": "claire@acme.fr", "phone": "+33 6 12 34 56 78",
/// "role": "accounting", "preferredChannel": "email", "isDunningRecipient": true}`.
/// `email` and `phone` may be absent; `preferredChannel` defaults to e-mail when there is an
/// address, else SMS when there is a phone, else letter; `isDunningRecipient` defaults to false.
public struct ContactDraft: Hashable, Sendable, Codable {
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
    /// Whether reminders for their role go to them. At most one per role per customer.
    public var isDunningRecipient: Bool

    /// The longest contact name accepted.
    public static let maximumNameLength = 200

    /// Creates a contact; call ``validated()`` (or the customer's) before storing it.
    public init(name: String, email: EmailAddress? = nil, phone: PhoneNumber? = nil, role: ContactRole,
                preferredChannel: Channel? = nil, isDunningRecipient: Bool = false) {
        self.name = name
        self.email = email
        self.phone = phone
        self.role = role
        self.preferredChannel = preferredChannel ?? ContactDraft.defaultChannel(email: email, phone: phone)
        self.isDunningRecipient = isDunningRecipient
    }

    /// The contact with its name trimmed, checked for what its channel needs.
    /// - Throws: `InvoicingError` `.limitExceeded` when the name (as given) is longer than
    ///   ``maximumNameLength``; `.missingField` when the name is blank (`name`), or the
    ///   preferred channel lacks its address: e-mail without `email`, SMS or phone without
    ///   `phone`. Letters need the customer's billing address, checked by
    ///   ``CustomerDraft/validated()``.
    public func validated() throws(InvoicingError) -> ContactDraft {
        var copy = self
        try InputLimits.check(name, atMost: ContactDraft.maximumNameLength, field: "name", "the contact name")
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
        return copy
    }

    /// E-mail when there is an address, else SMS when there is a phone, else letter.
    public static func defaultChannel(email: EmailAddress?, phone: PhoneNumber?) -> Channel {
        email != nil ? .email : phone != nil ? .sms : .letter
    }

    private enum CodingKeys: String, CodingKey {
        case name, email, phone, role, preferredChannel, isDunningRecipient
    }

    /// Decodes a contact, applying the documented defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name),
                  email: try container.decodeIfGiven(EmailAddress.self, forKey: .email),
                  phone: try container.decodeIfGiven(PhoneNumber.self, forKey: .phone),
                  role: try container.decode(ContactRole.self, forKey: .role),
                  preferredChannel: try container.decodeIfGiven(Channel.self, forKey: .preferredChannel),
                  isDunningRecipient: try container.decodeIfGiven(Bool.self, forKey: .isDunningRecipient) ?? false)
    }
}
