/// Something about an accepted invoice the creditor should look at, e.g. payment terms beyond
/// the legal maximum. The codes are an open set: later releases may add some; show the
/// `message` of a code you do not know.
public struct InvoiceWarning: Codable, Sendable, Hashable {
    /// Machine-readable, e.g. `paymentTermsExceedLegalMaximum`.
    public var code: String
    /// For people: what the rule is and which dates break it.
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
