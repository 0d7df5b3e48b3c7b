/// A customer's contact as published in customer events.
public struct ContactSnapshot: Codable, Sendable, Hashable {
    public var contactId: String
    public var name: String
    public var email: String?
    /// E.164, e.g. `+33612345678`.
    public var phone: String?
    /// `accounting`, `operational` or `management`.
    public var role: String
    /// `email`, `sms`, `letter` or `phone`.
    public var preferredChannel: String
    /// The contact reminders for this role go to.
    public var isDunningRecipient: Bool

    public init(contactId: String, name: String, email: String?, phone: String?, role: String, preferredChannel: String, isDunningRecipient: Bool) {
        self.contactId = contactId
        self.name = name
        self.email = email
        self.phone = phone
        self.role = role
        self.preferredChannel = preferredChannel
        self.isDunningRecipient = isDunningRecipient
    }
}
