import CSV
import Events
import Foundation
import Money

/// Turns records of a credit note CSV (an ERP export) into credit note drafts, or rejections
/// with the line.
///
/// Columns (header names match like the invoice import's; order is free; others ignored):
///
/// | column | required | content |
/// |---|---|---|
/// | `number` | yes | the credit note number (`creditNoteNumber`) |
/// | `customerNumber` | yes | the customer's number |
/// | `invoiceNumber` | no | the invoice it credits; blank: a standalone credit note |
/// | `amount` | yes | total, VAT included (`total`): `1234.56`, `1 234,56` |
/// | `currency` | yes | ISO 4217 code |
/// | `netAmount`, `vatAmount` | no | the split (`net`, `vat`): both or neither |
/// | `reason` | yes | why it was issued (at most 1000 characters) |
/// | `issueDate` | yes | `YYYY-MM-DD` or `DD/MM/YYYY` (`date`) |
public struct CreditNoteCSVRow: Sendable {
    /// Columns that must be in the header.
    public static let requiredColumns = ["number", "customerNumber", "amount", "currency", "reason", "issueDate"]
    /// Columns that may be in the header.
    public static let optionalColumns = ["invoiceNumber", "netAmount", "vatAmount"]
    /// The longest reason accepted, as through the API.
    public static let maximumReasonLength = 1_000

    /// One mapped record.
    public struct Line: Sendable, Hashable {
        public var line: Int
        public var customerNumber: String
        public var invoiceNumber: String?
        /// Validated (``CreditNoteDraft/validated()``), `issueDate` set.
        public var draft: CreditNoteDraft
        public var issueDate: CalendarDate
    }

    private let columns: CSVColumns
    private let number: Int?, customer: Int?, invoice: Int?, amount: Int?, currency: Int?, net: Int?, vat: Int?, reason: Int?, issueDate: Int?

    /// Reads the header record.
    /// - Throws: `InvoicingError` `.missingColumn` when a required column is absent.
    public init(header: CSVRecord) throws(InvoicingError) {
        columns = try CSVColumns(header: header, required: Self.requiredColumns, aliases: [
            "creditnotenumber": "number", "total": "amount", "net": "netamount", "vat": "vatamount", "date": "issuedate",
        ])
        number = columns.index("number")
        customer = columns.index("customerNumber")
        invoice = columns.index("invoiceNumber")
        amount = columns.index("amount")
        currency = columns.index("currency")
        net = columns.index("netAmount")
        vat = columns.index("vatAmount")
        reason = columns.index("reason")
        issueDate = columns.index("issueDate")
    }

    /// Maps one record, reusing the previous record's currency when it is the same.
    /// - Returns: The line, or a rejection naming the column at fault and why.
    public func map(_ record: CSVRecord, currencyCache: inout Currency?) -> Result<Line, CSVRejection> {
        do throws(InvoicingError) {
            try CSVColumns.checkWidth(record, headerCount: columns.headerCount)
            let noteNumber = try CustomerDraft.identifier(try CSVColumns.required(record, number, column: "number"), field: "number",
                                                          maximumLength: InvoiceDraft.maximumNumberLength)
            let customerNumber = try CustomerDraft.identifier(try CSVColumns.required(record, customer, column: "customerNumber"),
                                                              field: "customerNumber", maximumLength: CustomerDraft.maximumNumberLength)
            let invoiceNumber = try CSVColumns.value(record, invoice).map { text throws(InvoicingError) in
                try CustomerDraft.identifier(text, field: "invoiceNumber", maximumLength: InvoiceDraft.maximumNumberLength)
            }
            let noteCurrency = try CSVColumns.currency(try CSVColumns.required(record, currency, column: "currency"), column: "currency",
                                                       cache: &currencyCache)
            func money(_ index: Int?, _ column: String) throws(InvoicingError) -> Money? {
                guard let text = CSVColumns.value(record, index) else { return nil }
                do {
                    return try TextNormalisation.money(text, currency: noteCurrency)
                } catch {
                    throw InvoicingError(error, field: column)
                }
            }
            guard let total = try money(amount, "amount") else { throw InvoicingError(.missingField, "amount is empty", field: "amount") }
            let reasonText = try CSVColumns.required(record, reason, column: "reason")
            try InputLimits.check(reasonText, atMost: Self.maximumReasonLength, field: "reason", "the reason")
            let day = try CSVColumns.date(try CSVColumns.required(record, issueDate, column: "issueDate"), column: "issueDate")
            let draft = try CreditNoteDraft(number: noteNumber, amount: total, netAmount: try money(net, "netAmount"),
                                            vatAmount: try money(vat, "vatAmount"), reason: reasonText, issueDate: day).validated()
            return .success(Line(line: record.line, customerNumber: customerNumber, invoiceNumber: invoiceNumber, draft: draft, issueDate: day))
        } catch {
            return .failure(CSVRejection(line: record.line, error: error))
        }
    }
}
