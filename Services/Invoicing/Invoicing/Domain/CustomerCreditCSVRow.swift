import CSV
import Events
import Foundation
import Money

/// Turns records of an on-account credit CSV (an ERP export of money received on account)
/// into lines, or rejections with the line.
///
/// Columns (header names match like the invoice import's; order is free; others ignored):
///
/// | column | required | content |
/// |---|---|---|
/// | `customerNumber` | yes | the customer's number |
/// | `reference` | yes | the ERP's reference of the credit, unique per customer (at most 64 characters) |
/// | `amount` | yes | above zero: `1234.56`, `1 234,56` |
/// | `currency` | yes | ISO 4217 code |
/// | `date` | yes | when it was received, `YYYY-MM-DD` or `DD/MM/YYYY` (`valueDate`, `receivedOn`) |
public struct CustomerCreditCSVRow: Sendable {
    /// Columns that must be in the header.
    public static let requiredColumns = ["customerNumber", "reference", "amount", "currency", "date"]
    /// The longest reference accepted.
    public static let maximumReferenceLength = 64

    /// One mapped record.
    public struct Line: Sendable, Hashable {
        public var line: Int
        public var customerNumber: String
        public var reference: String
        public var amount: Money
        public var date: CalendarDate
    }

    private let columns: CSVColumns
    private let customer: Int?, reference: Int?, amount: Int?, currency: Int?, date: Int?

    /// Reads the header record.
    /// - Throws: `InvoicingError` `.missingColumn` when a required column is absent.
    public init(header: CSVRecord) throws(InvoicingError) {
        columns = try CSVColumns(header: header, required: Self.requiredColumns, aliases: [
            "valuedate": "date", "receivedon": "date", "creditreference": "reference",
        ])
        customer = columns.index("customerNumber")
        reference = columns.index("reference")
        amount = columns.index("amount")
        currency = columns.index("currency")
        date = columns.index("date")
    }

    /// Maps one record, reusing the previous record's currency when it is the same.
    /// - Returns: The line, or a rejection naming the column at fault and why.
    public func map(_ record: CSVRecord, currencyCache: inout Currency?) -> Result<Line, CSVRejection> {
        do throws(InvoicingError) {
            try CSVColumns.checkWidth(record, headerCount: columns.headerCount)
            let customerNumber = try CustomerDraft.identifier(try CSVColumns.required(record, customer, column: "customerNumber"),
                                                              field: "customerNumber", maximumLength: CustomerDraft.maximumNumberLength)
            let creditReference = try CustomerDraft.identifier(try CSVColumns.required(record, reference, column: "reference"),
                                                               field: "reference", maximumLength: Self.maximumReferenceLength)
            let creditCurrency = try CSVColumns.currency(try CSVColumns.required(record, currency, column: "currency"), column: "currency",
                                                         cache: &currencyCache)
            let amountText = try CSVColumns.required(record, amount, column: "amount")
            let credit: Money
            do {
                credit = try TextNormalisation.money(amountText, currency: creditCurrency)
            } catch {
                throw InvoicingError(error, field: "amount")
            }
            guard credit.isPositive else {
                throw InvoicingError(.nonPositiveTotal, "amount must be above zero", field: "amount")
            }
            let day = try CSVColumns.date(try CSVColumns.required(record, date, column: "date"), column: "date")
            return .success(Line(line: record.line, customerNumber: customerNumber, reference: creditReference, amount: credit, date: day))
        } catch {
            return .failure(CSVRejection(line: record.line, error: error))
        }
    }
}
