import CSV
import Events
import Foundation
import Money

/// Turns records of an invoice CSV into ``InvoiceDraft``s, or rejections with the line.
///
/// Columns (header names match case-insensitively, ignoring spaces, `_` and `-`; order is
/// free; other columns are ignored):
///
/// | column | required | content |
/// |---|---|---|
/// | `invoiceNumber` | yes | the invoice number |
/// | `customerNumber` | yes | the customer's number |
/// | `issueDate` | yes | `YYYY-MM-DD` or `DD/MM/YYYY` |
/// | `dueDate` | no | same forms; blank: computed from the customer's payment terms |
/// | `currency` | yes | ISO 4217 code |
/// | `total` | yes | gross amount, VAT included: `1234.56`, `1 234,56` |
/// | `orderReference` | no | the customer's purchase order |
/// | `amountDue` | no | what is still open in the ERP (`openAmount`, `balance`, `outstanding`) |
/// | `amountPaid` | no | what the ERP received on it (`paid`, `paidAmount`) |
/// | `lastPaymentDate` | no | value date of the last payment (`paidOn`, `paymentDate`) |
/// | `status` | no | `open`, `partiallyPaid`, `paid` or `settled` (closed: nothing left open) |
/// | `disputed` | no | `true`/`false`, `yes`/`no`, `1`/`0`, `oui`/`non`; blank: unchanged |
/// | `dunningStartsOn` | no | no reminder before this day; blank: the import's default |
///
/// The last six make the import a sync (``InvoiceSyncFields``); a file without them imports
/// open invoices as before.
///
/// The draft still has to pass ``InvoiceDraft/validate(terms:)`` with the customer's terms;
/// wrap its error in a ``CSVRejection`` with the record's line.
public struct InvoiceCSVRow: Sendable {
    /// Columns that must be in the header.
    public static let requiredColumns = ["invoiceNumber", "customerNumber", "issueDate", "currency", "total"]
    /// Columns that may be in the header.
    public static let optionalColumns = ["dueDate", "orderReference", "amountDue", "amountPaid", "lastPaymentDate", "status", "disputed", "dunningStartsOn"]

    private let columns: CSVColumns
    private let number: Int?, customer: Int?, issueDate: Int?, dueDate: Int?, currency: Int?, total: Int?, order: Int?
    private let amountDue: Int?, amountPaid: Int?, lastPayment: Int?, status: Int?, disputed: Int?, dunningStart: Int?
    /// Whether the header has any of the sync columns (a plain import skips reading them).
    public let hasSyncColumns: Bool

    /// Reads the header record.
    /// - Throws: `InvoicingError` `.missingColumn` when a required column is absent.
    public init(header: CSVRecord) throws(InvoicingError) {
        columns = try CSVColumns(header: header, required: InvoiceCSVRow.requiredColumns,
                                 aliases: [
                                    "number": "invoicenumber", "amount": "total",
                                    "openamount": "amountdue", "balance": "amountdue", "outstanding": "amountdue",
                                    "paid": "amountpaid", "paidamount": "amountpaid",
                                    "paidon": "lastpaymentdate", "paymentdate": "lastpaymentdate",
                                    "dispute": "disputed", "indispute": "disputed",
                                 ])
        number = columns.index("invoiceNumber")
        customer = columns.index("customerNumber")
        issueDate = columns.index("issueDate")
        dueDate = columns.index("dueDate")
        currency = columns.index("currency")
        total = columns.index("total")
        order = columns.index("orderReference")
        amountDue = columns.index("amountDue")
        amountPaid = columns.index("amountPaid")
        lastPayment = columns.index("lastPaymentDate")
        status = columns.index("status")
        disputed = columns.index("disputed")
        dunningStart = columns.index("dunningStartsOn")
        hasSyncColumns = [amountDue, amountPaid, lastPayment, status, disputed, dunningStart].contains { $0 != nil }
    }

    /// Maps one record.
    /// - Returns: The draft, or a rejection with the record's line, the column at fault and
    ///   the reason (missing value, bad date, unknown currency, malformed amount...).
    public func map(_ record: CSVRecord) -> Result<InvoiceDraft, CSVRejection> {
        var cache: Currency?
        return map(record, currencyCache: &cache)
    }

    /// Maps one record, reusing the currency of the previous record when it is the same
    /// (faster for large files).
    public func map(_ record: CSVRecord, currencyCache: inout Currency?) -> Result<InvoiceDraft, CSVRejection> {
        mapLine(record, currencyCache: &currencyCache).map(\.draft)
    }

    /// Maps one record with its sync columns.
    /// - Returns: The draft and what the ERP says of the invoice's state, or a rejection with
    ///   the record's line, the column at fault and the reason.
    public func mapLine(_ record: CSVRecord, currencyCache: inout Currency?) -> Result<(draft: InvoiceDraft, sync: InvoiceSyncFields), CSVRejection> {
        do throws(InvoicingError) {
            try CSVColumns.checkWidth(record, headerCount: columns.headerCount)
            let invoiceNumber = try CSVColumns.required(record, number, column: "invoiceNumber")
            let customerNumber = try CSVColumns.required(record, customer, column: "customerNumber")
            let issue = try CSVColumns.date(try CSVColumns.required(record, issueDate, column: "issueDate"), column: "issueDate")
            let due = try CSVColumns.value(record, dueDate).map { text throws(InvoicingError) in
                try CSVColumns.date(text, column: "dueDate")
            }
            let invoiceCurrency = try CSVColumns.currency(try CSVColumns.required(record, currency, column: "currency"),
                                                          column: "currency", cache: &currencyCache)
            let totalText = try CSVColumns.required(record, total, column: "total")
            let amount: Money
            do {
                amount = try TextNormalisation.money(totalText, currency: invoiceCurrency)
            } catch {
                throw InvoicingError(error, field: "total")
            }
            let draft = InvoiceDraft(number: invoiceNumber, customerNumber: customerNumber, issueDate: issue,
                                     dueDate: due, currency: invoiceCurrency, lines: [], total: amount,
                                     orderReference: CSVColumns.value(record, order))
            guard hasSyncColumns else { return .success((draft, InvoiceSyncFields())) }
            func syncAmount(_ index: Int?, _ column: String) throws(InvoicingError) -> Money? {
                guard let text = CSVColumns.value(record, index) else { return nil }
                let money: Money
                do {
                    money = try TextNormalisation.money(text, currency: invoiceCurrency)
                } catch {
                    throw InvoicingError(error, field: column)
                }
                guard !money.isNegative else { throw InvoicingError(.invalidField, "\(column) cannot be negative", field: column) }
                return money
            }
            func day(_ index: Int?, _ column: String) throws(InvoicingError) -> CalendarDate? {
                guard let text = CSVColumns.value(record, index) else { return nil }
                return try CSVColumns.date(text, column: column)
            }
            let sync = InvoiceSyncFields(
                amountDue: try syncAmount(amountDue, "amountDue"), amountPaid: try syncAmount(amountPaid, "amountPaid"),
                lastPaymentDate: try day(lastPayment, "lastPaymentDate"),
                status: try CSVColumns.value(record, status).map { text throws(InvoicingError) in try InvoiceSyncFields.status(text) },
                disputed: try CSVColumns.value(record, disputed).map { text throws(InvoicingError) in try InvoiceSyncFields.flag(text, column: "disputed") },
                dunningStartsOn: try day(dunningStart, "dunningStartsOn"))
            return .success((draft, sync))
        } catch {
            return .failure(CSVRejection(line: record.line, error: error))
        }
    }
}
