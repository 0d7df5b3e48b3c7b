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
    /// `accounting`, `operational` or `management`.
    public var role: String
    /// `email`, `sms`, `letter` or `phone`.
    public var preferredChannel: String
    /// Whether the contact is the primary dunning recipient of its role: reminders for the
    /// role go to them. At most one per role; a role may have other contacts besides.
    public var isDunningRecipient: Bool

    /// Creates a snapshot.
    public init(contactId: String, name: String, email: String?, phone: String?, role: String, preferredChannel: String,
                isDunningRecipient: Bool, externalReference: String? = nil) {
        self.contactId = contactId
        self.externalReference = externalReference
        self.name = name
        self.email = email
        self.phone = phone
        self.role = role
        self.preferredChannel = preferredChannel
        self.isDunningRecipient = isDunningRecipient
    }
}
