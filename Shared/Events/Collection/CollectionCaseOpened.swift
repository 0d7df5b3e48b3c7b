/// `relance.collection.case-opened.v1`: the scenario scheduler hands a customer's overdue
/// invoices to an external collection agency. Self-contained for the agency: who owes (with
/// contacts), to whom, what, with which charges, and what dunning already did. One case is
/// one currency. The invoices stay out of reminders while the case is open.
public struct CollectionCaseOpened: CustomerEvent, Hashable {
    public static let eventType = "relance.collection.case-opened.v1"
    public static let topic = Topic.collectionCases

    public var customerId: String
    /// The case; the agency's `collection-updates` name it.
    public var caseId: String
    /// Who owes.
    public var debtor: Debtor
    /// To whom, and where to pay.
    public var creditor: CreditorSnapshot
    /// The invoices handed over, at least one, all in the currency of `totals`.
    public var invoices: [ClaimedInvoice]
    /// What is claimed in all.
    public var totals: ClaimTotals
    /// What dunning did before, oldest first.
    public var history: [HistoryEntry]

    public init(
        customerId: String, caseId: String, debtor: Debtor, creditor: CreditorSnapshot, invoices: [ClaimedInvoice], totals: ClaimTotals,
        history: [HistoryEntry]
    ) {
        self.customerId = customerId
        self.caseId = caseId
        self.debtor = debtor
        self.creditor = creditor
        self.invoices = invoices
        self.totals = totals
        self.history = history
    }

    public var subject: String? { caseId }

    /// The customer as an agency needs it.
    public struct Debtor: Codable, Sendable, Hashable {
        public var customerNumber: String
        public var legalName: String
        /// The company registration number (SIREN in France), when known.
        public var registrationId: String?
        /// The intra-community VAT number, when known.
        public var vatId: String?
        /// The billing address, when known.
        public var address: PostalAddressSnapshot?
        /// The customer's contacts, as invoicing published them.
        public var contacts: [ContactSnapshot]

        public init(
            customerNumber: String, legalName: String, registrationId: String? = nil, vatId: String? = nil,
            address: PostalAddressSnapshot? = nil, contacts: [ContactSnapshot]
        ) {
            self.customerNumber = customerNumber
            self.legalName = legalName
            self.registrationId = registrationId
            self.vatId = vatId
            self.address = address
            self.contacts = contacts
        }
    }

    /// One thing dunning did, summarised.
    public struct HistoryEntry: Codable, Sendable, Hashable {
        /// The day, in the customer's time zone.
        public var date: CalendarDate
        /// How: a notification channel, a phone call...
        public var channel: DunningStepChannel
        /// The scenario step.
        public var stepId: String
        /// What happened, for people: "Reminder 1 e-mailed to compta@..., delivered."
        public var summary: String

        public init(date: CalendarDate, channel: DunningStepChannel, stepId: String, summary: String) {
            self.date = date
            self.channel = channel
            self.stepId = stepId
            self.summary = summary
        }
    }
}
