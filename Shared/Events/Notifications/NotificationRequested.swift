import Money

/// `relance.notification.requested.v1`: a command from the scenario scheduler to the
/// notification service: send one consolidated reminder. Self-contained: the notification
/// service renders and sends it from this alone, without reading any other topic.
///
/// One command is one customer, one step, one channel and **one currency**: the invoices,
/// `totals` and charges are all in it (a customer owing in two currencies gets two commands,
/// with different invoices and so different ids). `requestedAt` is the event's `ce_time`.
///
/// Idempotent by ``notificationId``: the scheduler derives it from the customer, the step
/// and the invoices (``notificationId(customerId:step:invoiceIds:)``), so a replay or a
/// re-planned tick asks for the same id again, and the notification service sends an id at
/// most once.
public struct NotificationRequested: CustomerEvent, Hashable {
    public static let eventType = "relance.notification.requested.v1"
    public static let topic = Topic.notificationRequests

    /// The deterministic id of this notification: see ``notificationId(customerId:step:invoiceIds:)``.
    public var notificationId: String
    public var customerId: String
    /// How to send it.
    public var channel: NotificationChannel
    /// Where to send it instead when `channel` fails permanently (e.g. `letter` for an
    /// e-mail that bounces); absent: the failure is reported and nothing else is tried.
    public var fallbackChannel: NotificationChannel?
    /// The language to render in (BCP 47, e.g. `fr`, `en-GB`).
    public var language: String
    /// The template to render.
    public var templateId: NotificationTemplateId
    /// Who it goes to, at least one, each with the address `channel` (and `fallbackChannel`) needs.
    public var recipients: [NotificationRecipient]
    /// Who sends it: the creditor.
    public var sender: CreditorSnapshot
    /// The customer as the message names it.
    public var customer: Customer
    /// The invoices reminded, at least one, all in the currency of `totals`.
    public var invoices: [ClaimedInvoice]
    /// What is claimed in all.
    public var totals: ClaimTotals
    /// The date the customer is asked to pay by.
    public var payBy: CalendarDate
    /// What a formal notice must state; present for a formal notice only.
    public var formalNotice: FormalNotice?
    /// The scenario step that asked for it.
    public var scenario: DunningStepReference

    public init(
        notificationId: String, customerId: String, channel: NotificationChannel, fallbackChannel: NotificationChannel? = nil,
        language: String, templateId: NotificationTemplateId, recipients: [NotificationRecipient], sender: CreditorSnapshot,
        customer: Customer, invoices: [ClaimedInvoice], totals: ClaimTotals, payBy: CalendarDate, formalNotice: FormalNotice? = nil,
        scenario: DunningStepReference
    ) {
        self.notificationId = notificationId
        self.customerId = customerId
        self.channel = channel
        self.fallbackChannel = fallbackChannel
        self.language = language
        self.templateId = templateId
        self.recipients = recipients
        self.sender = sender
        self.customer = customer
        self.invoices = invoices
        self.totals = totals
        self.payBy = payBy
        self.formalNotice = formalNotice
        self.scenario = scenario
    }

    public var subject: String? { notificationId }

    /// The customer as a reminder names it.
    public struct Customer: Codable, Sendable, Hashable {
        /// The creditor's number for the customer, e.g. `C-00042`.
        public var customerNumber: String
        public var legalName: String

        public init(customerNumber: String, legalName: String) {
            self.customerNumber = customerNumber
            self.legalName = legalName
        }
    }

    /// What a formal notice ("mise en demeure") states besides the claim.
    public struct FormalNotice: Codable, Sendable, Hashable {
        /// The date by which the customer must pay or answer before further action.
        public var responseDeadline: CalendarDate
        /// The annual late-interest rate applied, in basis points (1215 = 12.15 %).
        public var annualInterestRateBasisPoints: Int

        public init(responseDeadline: CalendarDate, annualInterestRateBasisPoints: Int) {
            self.responseDeadline = responseDeadline
            self.annualInterestRateBasisPoints = annualInterestRateBasisPoints
        }
    }

    /// The deterministic notification id of a step for a set of invoices.
    ///
    /// The same customer, scenario version, step and invoices (in any order, duplicates
    /// counted once) give the same id; any change gives another. Derivation, for other
    /// implementations: the strings `relance.notification-id.v1`, `customerId`, the scenario
    /// name, its version in decimal, the step id, then the distinct invoice ids sorted by
    /// their UTF-8 bytes, are each written as `<UTF-8 byte length in decimal>:<UTF-8 bytes>,`
    /// and concatenated; the SHA-256 of that is taken; its first 16 bytes become a UUID
    /// (version nibble set to 8, variant bits to `10`, RFC 9562 UUIDv8), written in lower case
    /// `8-4-4-4-12` hex.
    public static func notificationId(customerId: String, step: DunningStepReference, invoiceIds: some Sequence<String>) -> String {
        let sortedInvoiceIds = Set(invoiceIds).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let fields = ["relance.notification-id.v1", customerId, step.name, String(step.version), step.stepId] + sortedInvoiceIds
        var input: [UInt8] = []
        for field in fields {
            input += Array(String(field.utf8.count).utf8)
            input.append(UInt8(ascii: ":"))
            input += Array(field.utf8)
            input.append(UInt8(ascii: ","))
        }
        var bytes = Array(SHA256.digest(input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return groups.joined(separator: "-")
    }

    /// This command's id as its own fields derive it: equal to ``notificationId`` when the
    /// command was built by the rule.
    public var derivedNotificationId: String {
        NotificationRequested.notificationId(customerId: customerId, step: scenario, invoiceIds: invoices.map(\.invoiceId))
    }
}
