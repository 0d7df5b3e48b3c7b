/// One person a notification goes to, with the address its channel needs: `email` for
/// e-mail, `phone` for SMS, `postalAddress` for letters (the others may be absent).
public struct NotificationRecipient: Codable, Sendable, Hashable {
    /// The customer's contact (`ContactSnapshot.contactId`).
    public var contactId: String
    public var name: String
    /// The contact's role (`accounting`, `operational`, `management`); an open set.
    public var role: String
    public var email: String?
    /// E.164, e.g. `+33612345678`.
    public var phone: String?
    public var postalAddress: PostalAddressSnapshot?
    /// Addresses to copy on an e-mail.
    public var cc: [String]?

    public init(
        contactId: String, name: String, role: String, email: String? = nil, phone: String? = nil,
        postalAddress: PostalAddressSnapshot? = nil, cc: [String]? = nil
    ) {
        self.contactId = contactId
        self.name = name
        self.role = role
        self.email = email
        self.phone = phone
        self.postalAddress = postalAddress
        self.cc = cc
    }
}
