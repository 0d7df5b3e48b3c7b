import Money

/// Everything other services need to know about a customer: carried whole by
/// `customer.registered` and `customer.updated`, so consumers keep a projection without
/// asking invoicing anything.
public struct CustomerSnapshot: Codable, Sendable, Hashable {
    public var customerId: String
    public var customerNumber: String
    public var legalName: String
    /// ISO 3166-1 alpha-2.
    public var country: String
    /// A BCP 47 tag (`fr`, `en-GB`); an open set (it was `fr` or `en` before): fall back to
    /// the primary subtag, then to a language you have, for a tag you do not.
    public var language: String
    /// IANA time zone, e.g. `Europe/Paris`: reminders are scheduled in it.
    public var timeZone: String
    public var defaultCurrency: Currency
    /// Payment terms in Relance's notation: `net:30`, `eom+10`, `45eom`, `30eom:10`,
    /// `instalments:30/60/90`, `receipt` (an open set of forms).
    public var paymentTerms: String
    public var creditLimit: Money?
    public var segment: String?
    /// `low`, `medium`, `high` or `critical`.
    public var riskCategory: String?
    public var strategic: Bool
    public var tags: [String]
    public var contacts: [ContactSnapshot]
    /// Company registration number (SIREN, Companies House...), when known.
    public var registrationId: String?
    /// Intra-community VAT number, when known.
    public var vatId: String?
    /// Where letters and formal notices are sent.
    public var billingAddress: PostalAddressSnapshot?
    /// The contractual late-payment rate in basis points (1250 = 12.50 %), when the customer
    /// has one; the French legal default applies otherwise.
    public var lateInterestRateBasisPoints: Int?
    /// Whether the customer's credit is applied to its oldest open invoices automatically;
    /// absent from events published before the option existed (read it as `false`).
    public var autoApplyCredit: Bool?
    /// `prospect` for a company not signed yet (vetted before the first order; never invoiced,
    /// so never reminded), `customer` once signed. An open set; absent from events published
    /// before prospects existed: read it as `customer`.
    public var relationship: String?
    /// What happens when a quote acceptance or an order would take the customer over its credit
    /// limit: `block`, `warn` or `allow` (an open set). Absent from events published before
    /// credit policies existed: read it as `warn`.
    public var creditPolicy: String?

    public init(
        customerId: String, customerNumber: String, legalName: String, country: String, language: String,
        timeZone: String, defaultCurrency: Currency, paymentTerms: String, creditLimit: Money?, segment: String?,
        riskCategory: String?, strategic: Bool, tags: [String], contacts: [ContactSnapshot],
        registrationId: String? = nil, vatId: String? = nil, billingAddress: PostalAddressSnapshot? = nil,
        lateInterestRateBasisPoints: Int? = nil,
        autoApplyCredit: Bool? = nil, relationship: String? = nil, creditPolicy: String? = nil
    ) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.legalName = legalName
        self.country = country
        self.language = language
        self.timeZone = timeZone
        self.defaultCurrency = defaultCurrency
        self.paymentTerms = paymentTerms
        self.creditLimit = creditLimit
        self.segment = segment
        self.riskCategory = riskCategory
        self.strategic = strategic
        self.tags = tags
        self.contacts = contacts
        self.registrationId = registrationId
        self.vatId = vatId
        self.billingAddress = billingAddress
        self.lateInterestRateBasisPoints = lateInterestRateBasisPoints
        self.autoApplyCredit = autoApplyCredit
        self.relationship = relationship
        self.creditPolicy = creditPolicy
    }
}
