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
///
/// The draft still has to pass ``InvoiceDraft/validate(terms:)`` with the customer's terms;
/// wrap its error in a ``CSVRejection`` with the record's line.
public struct InvoiceCSVRow: Sendable {
    /// Columns that must be in the header.
    public static let requiredColumns = ["invoiceNumber", "customerNumber", "issueDate", "currency", "total"]
    /// Columns that may be in the header.
    public static let optionalColumns = ["dueDate", "orderReference"]

    private let columns: CSVColumns
    private let number: Int?, customer: Int?, issueDate: Int?, dueDate: Int?, currency: Int?, total: Int?, order: Int?

    /// Reads the header record.
    /// - Throws: `InvoicingError` `.missingColumn` when a required column is absent.
    public init(header: CSVRecord) throws(InvoicingError) {
        columns = try CSVColumns(header: header, required: InvoiceCSVRow.requiredColumns,
                                 aliases: ["number": "invoicenumber", "amount": "total"])
        number = columns.index("invoiceNumber")
        customer = columns.index("customerNumber")
        issueDate = columns.index("issueDate")
        dueDate = columns.index("dueDate")
        currency = columns.index("currency")
        total = columns.index("total")
        order = columns.index("orderReference")
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
            return .success(InvoiceDraft(number: invoiceNumber, customerNumber: customerNumber, issueDate: issue,
                                         dueDate: due, currency: invoiceCurrency, lines: [], total: amount,
                                         orderReference: CSVColumns.value(record, order)))
        } catch {
            return .failure(CSVRejection(line: record.line, error: error))
        }
    }
}
