/// The creditor as a reminder or a collection case names it: who is owed, where to pay, where
/// to answer.
public struct CreditorSnapshot: Codable, Sendable, Hashable {
    /// The creditor's registered name (the payee's).
    public var legalName: String
    /// Where to pay: IBAN, electronic form, upper case without spaces.
    public var iban: String
    /// The bank's BIC, 8 or 11 characters, when configured.
    public var bic: String?
    /// The address answers to an e-mail go to, when configured.
    public var replyTo: String?
    /// The creditor's postal address: the sender of letters (they need it).
    public var postalAddress: PostalAddressSnapshot?

    public init(legalName: String, iban: String, bic: String? = nil, replyTo: String? = nil, postalAddress: PostalAddressSnapshot? = nil) {
        self.legalName = legalName
        self.iban = iban
        self.bic = bic
        self.replyTo = replyTo
        self.postalAddress = postalAddress
    }

    /// The creditor of an invoice's payee, with the contact details payee snapshots lack.
    public init(payee: PayeeSnapshot, replyTo: String? = nil, postalAddress: PostalAddressSnapshot? = nil) {
        self.init(legalName: payee.legalName, iban: payee.iban, bic: payee.bic, replyTo: replyTo, postalAddress: postalAddress)
    }
}
