/// The fields of an invoice's customer that the scheduler needs to plan reminders, as they
/// were when the invoice event was written (`invoice.issued`).
///
/// Customer events travel on another topic, so a consumer reading both can see an invoice
/// before the `customer.registered` it needs. It uses this snapshot until then; the snapshot's
/// `customerVersion` (in the invoice event) tells which customer events are older.
public struct InvoiceCustomerSnapshot: Codable, Sendable, Hashable {
    public var customerNumber: String
    public var legalName: String
    /// IANA time zone, e.g. `Europe/Paris`: reminders are scheduled in it.
    public var timeZone: String
    /// BCP 47 language tag reminders are written in (`fr`, `en`...).
    public var language: String
    public var segment: String?
    /// `low`, `medium`, `high` or `critical`.
    public var riskCategory: String?
    public var strategic: Bool

    public init(customerNumber: String, legalName: String, timeZone: String, language: String, segment: String?,
                riskCategory: String?, strategic: Bool) {
        self.customerNumber = customerNumber
        self.legalName = legalName
        self.timeZone = timeZone
        self.language = language
        self.segment = segment
        self.riskCategory = riskCategory
        self.strategic = strategic
    }
}
