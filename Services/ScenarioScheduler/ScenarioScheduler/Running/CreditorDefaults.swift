import Events

/// The creditor a reminder names when an invoice carries no payee, and what payee snapshots
/// lack (where to answer, the postal address letters need). From the configuration.
public struct CreditorDefaults: Sendable, Hashable {
    public var legalName: String
    public var iban: String
    public var bic: String?
    public var replyTo: String?
    public var postalAddress: PostalAddressSnapshot?

    public init(legalName: String = "Relance Demo SAS", iban: String = "FR7630006000011234567890189", bic: String? = nil,
                replyTo: String? = nil, postalAddress: PostalAddressSnapshot? = nil) {
        self.legalName = legalName
        self.iban = iban
        self.bic = bic
        self.replyTo = replyTo
        self.postalAddress = postalAddress
    }

    /// The sender of a reminder about an invoice paid to `payee`.
    public func sender(payee: PayeeSnapshot?) -> CreditorSnapshot {
        if let payee { return CreditorSnapshot(payee: payee, replyTo: replyTo, postalAddress: postalAddress) }
        return CreditorSnapshot(legalName: legalName, iban: iban, bic: bic, replyTo: replyTo, postalAddress: postalAddress)
    }
}
