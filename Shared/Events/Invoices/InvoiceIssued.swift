import Money

/// `relance.invoice.issued.v1`: everything matching and dunning need about a new invoice.
public struct InvoiceIssued: CustomerEvent, Hashable {
    public static let eventType = "relance.invoice.issued.v1"
    public static let topic = Topic.invoices
    public var customerId: String
    public var customerNumber: String
    public var invoiceId: String
    public var number: String
    /// ISO 11649 creditor reference printed on the invoice, electronic form (`RF18...`).
    public var paymentReference: String
    public var issueDate: CalendarDate
    public var dueDate: CalendarDate
    /// Amount due, VAT included.
    public var totalAmount: Money
    /// Net amount, when the invoice has lines.
    public var netAmount: Money?
    /// VAT amount, when the invoice has lines.
    public var vatAmount: Money?
    public var orderReference: String?
    /// `issued` (through the API) or `imported` (a CSV sync); absent from events written
    /// before this field existed, which were all `issued` or imported unpaid.
    public var origin: InvoiceOrigin?
    /// Reminders must not be sent about the invoice before this day (the customer's calendar).
    /// The issue date for invoices issued here (the scenario decides, pre-due courtesy notices
    /// included); for imported ones the day the CSV gave, else the import day, so that history
    /// never triggers reminders retroactively.
    public var dunningStartsOn: CalendarDate?
    /// The open balance when the event was written: the total for invoices issued here; what
    /// the ERP said for imported ones (zero for those settled at import).
    public var balance: Money?
    /// The status when the event was written: `open` for invoices issued here; for imported
    /// ones what the amounts give (`paid`, `writtenOff` for those settled at import).
    public var status: InvoiceStatus?
    /// The customer's `customerVersion` when the invoice was written: customer events with a
    /// lower version are older than ``customer``.
    public var customerVersion: Int?
    /// The customer fields the scheduler needs, as of ``customerVersion``.
    public var customer: InvoiceCustomerSnapshot?
    /// The customer's payment terms in Relance's notation (`net:30`, `45eom`, `30eom:10`,
    /// `instalments:30/60/90`...), when recorded. The due date is authoritative: it may have
    /// been given instead of computed.
    public var paymentTerms: String?
    /// Who to pay and where, when configured.
    public var payee: PayeeSnapshot?
    /// Late-payment interest and the fixed recovery indemnity.
    public var latePaymentTerms: LatePaymentTerms?
    /// Where the invoice document (PDF) can be fetched, when it was given at issue.
    public var documentUrl: String?
    /// What the creditor should look at (e.g. terms beyond the legal maximum); absent when
    /// nothing. The codes are an open set.
    public var warnings: [InvoiceWarning]?

    public init(
        customerId: String, customerNumber: String, invoiceId: String, number: String, paymentReference: String,
        issueDate: CalendarDate, dueDate: CalendarDate, totalAmount: Money, netAmount: Money?, vatAmount: Money?,
        orderReference: String?, origin: InvoiceOrigin? = nil, dunningStartsOn: CalendarDate? = nil,
        balance: Money? = nil, status: InvoiceStatus? = nil, customerVersion: Int? = nil,
        customer: InvoiceCustomerSnapshot? = nil,
        paymentTerms: String? = nil, payee: PayeeSnapshot? = nil,
        latePaymentTerms: LatePaymentTerms? = nil, documentUrl: String? = nil, warnings: [InvoiceWarning]? = nil
    ) {
        self.customerId = customerId
        self.customerNumber = customerNumber
        self.invoiceId = invoiceId
        self.number = number
        self.paymentReference = paymentReference
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.totalAmount = totalAmount
        self.netAmount = netAmount
        self.vatAmount = vatAmount
        self.orderReference = orderReference
        self.origin = origin
        self.dunningStartsOn = dunningStartsOn
        self.balance = balance
        self.status = status
        self.customerVersion = customerVersion
        self.customer = customer
        self.paymentTerms = paymentTerms
        self.payee = payee
        self.latePaymentTerms = latePaymentTerms
        self.documentUrl = documentUrl
        self.warnings = warnings
    }

    public var subject: String? { invoiceId }
}
