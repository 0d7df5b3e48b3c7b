/// A customer's contact as published in customer events.
public struct ContactSnapshot: Codable, Sendable, Hashable {
    /// The contact's stable id: it stays with the person across updates whatever the order
    /// of the contacts, and is never reused for another person. Key a contact's history and
    /// consent on it. (Contacts created before ids were stable keep the id they had then,
    /// `<customer id>-contact-<n>`; newer ones have a UUIDv7.)
    public var contactId: String
    /// The creditor's own key for the contact (a CRM id), when it gave one.
    public var externalReference: String?
    public var name: String
    public var email: String?
    /// E.164, e.g. `+33612345678`.
    public var phone: String?
    /// `accounting`, `operational` or `management` today; an open set: treat an unknown
    /// role like a contact you do not remind.
    public var role: String
    /// `email`, `sms`, `letter` or `phone` today; an open set: fall back to the contact's
    /// e-mail, then letter, for a channel you cannot use.
    public var preferredChannel: String
    /// Whether the contact is the primary dunning recipient of its role: reminders for the
    /// role go to them. At most one per role; a role may have other contacts besides.
    public var isDunningRecipient: Bool
    /// The contact's language (BCP 47), when it differs from the customer's; an open set.
    public var language: String?
    /// The contact's consents per channel, when recorded.
    public var consents: [ConsentSnapshot]?
    /// Addresses to copy on e-mails to the contact, when any.
    public var cc: [String]?

    /// Creates a snapshot.
    public init(contactId: String, name: String, email: String?, phone: String?, role: String, preferredChannel: String,
                isDunningRecipient: Bool, externalReference: String? = nil, language: String? = nil,
                consents: [ConsentSnapshot]? = nil, cc: [String]? = nil) {
        self.contactId = contactId
        self.externalReference = externalReference
        self.name = name
        self.email = email
        self.phone = phone
        self.role = role
        self.preferredChannel = preferredChannel
        self.isDunningRecipient = isDunningRecipient
        self.language = language
        self.consents = consents
        self.cc = cc
    }
}
