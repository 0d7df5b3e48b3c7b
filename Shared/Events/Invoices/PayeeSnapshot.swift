/// The creditor as named on an invoice: who to pay, and where.
public struct PayeeSnapshot: Codable, Sendable, Hashable {
    public var legalName: String
    /// Electronic form, upper case without spaces.
    public var iban: String
    /// 8 or 11 characters, when configured.
    public var bic: String?

    public init(legalName: String, iban: String, bic: String?) {
        self.legalName = legalName
        self.iban = iban
        self.bic = bic
    }
}
