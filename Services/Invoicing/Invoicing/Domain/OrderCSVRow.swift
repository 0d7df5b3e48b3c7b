import CSV
import Events
import Foundation
import Money

/// Turns records of an open-orders CSV (an ERP export) into order lines, or rejections.
///
/// One row per order, one line each (ERP exports give totals, not lines). Columns (header
/// names match like the other imports'; order is free; others ignored):
///
/// | column | required | content |
/// |---|---|---|
/// | `number` | yes | the order number, the sync key (at most 64 characters) |
/// | `customerNumber` | yes | the customer's number |
/// | `orderDate` | yes | `YYYY-MM-DD` or `DD/MM/YYYY` (`date`) |
/// | `currency` | yes | ISO 4217 code |
/// | `netAmount` | yes | above zero, VAT excluded: `1234.56`, `1 234,56` (`net`) |
/// | `vatRate` | no | percent, `20`, `5.5`, `2,1`; default 0 |
/// | `description` | no | the line's text; default `Order <number>` |
/// | `customerReference` | no | the customer's purchase order number |
/// | `status` | no | `open` (default) or `cancelled`: a cancelled order is cancelled here too |
public struct OrderCSVRow: Sendable {
    /// Columns that must be in the header.
    public static let requiredColumns = ["number", "customerNumber", "orderDate", "currency", "netAmount"]

    /// One mapped record.
    public struct Line: Sendable, Hashable {
        public var line: Int
        public var draft: OrderDraft
        public var cancelled: Bool
    }

    private let columns: CSVColumns
    private let number: Int?, customer: Int?, date: Int?, currency: Int?, net: Int?, vat: Int?, text: Int?, reference: Int?, status: Int?

    /// Reads the header record.
    /// - Throws: `InvoicingError` `.missingColumn` when a required column is absent.
    public init(header: CSVRecord) throws(InvoicingError) {
        columns = try CSVColumns(header: header, required: Self.requiredColumns, aliases: [
            "date": "orderDate", "net": "netAmount", "ordernumber": "number", "vat": "vatRate",
        ])
        number = columns.index("number")
        customer = columns.index("customerNumber")
        date = columns.index("orderDate")
        currency = columns.index("currency")
        net = columns.index("netAmount")
        vat = columns.index("vatRate")
        text = columns.index("description")
        reference = columns.index("customerReference")
        status = columns.index("status")
    }

    /// Maps one record.
    /// - Returns: The line, or a rejection naming the column at fault and why.
    public func map(_ record: CSVRecord, currencyCache: inout Currency?) -> Result<Line, CSVRejection> {
        do throws(InvoicingError) {
            try CSVColumns.checkWidth(record, headerCount: columns.headerCount)
            let orderNumber = try CSVColumns.required(record, number, column: "number")
            let orderCurrency = try CSVColumns.currency(try CSVColumns.required(record, currency, column: "currency"), column: "currency",
                                                        cache: &currencyCache)
            let netText = try CSVColumns.required(record, net, column: "netAmount")
            let netAmount: Money
            do {
                netAmount = try TextNormalisation.money(netText, currency: orderCurrency)
            } catch {
                throw InvoicingError(error, field: "netAmount")
            }
            guard netAmount.isPositive else {
                throw InvoicingError(.nonPositiveTotal, "netAmount must be above zero", field: "netAmount")
            }
            var rate = 0
            if let text = CSVColumns.value(record, vat) { rate = try Self.basisPoints(text) }
            let stated = CSVColumns.value(record, status)?.lowercased()
            guard stated == nil || stated == "open" || stated == "cancelled" else {
                throw InvoicingError(.invalidField, "status must be open or cancelled", field: "status")
            }
            let line = try InvoiceLine(description: CSVColumns.value(record, text) ?? "Order \(orderNumber)", quantity: Quantity(thousandths: 1000),
                                       unitPrice: netAmount, vatRateBasisPoints: rate)
            let draft = OrderDraft(
                number: orderNumber, customerNumber: try CSVColumns.required(record, customer, column: "customerNumber"),
                orderDate: try CSVColumns.date(try CSVColumns.required(record, date, column: "orderDate"), column: "orderDate"),
                currency: orderCurrency, lines: [line], customerReference: CSVColumns.value(record, reference))
            return .success(Line(line: record.line, draft: try draft.validated().draft, cancelled: stated == "cancelled"))
        } catch {
            return .failure(CSVRejection(line: record.line, error: error))
        }
    }

    /// A VAT rate in percent (`20`, `5.5`, `2,1`) in basis points: at most two decimals, 0...100.
    static func basisPoints(_ text: String) throws(InvoicingError) -> Int {
        let parts = text.split(separator: text.contains(",") ? "," : ".", omittingEmptySubsequences: false)
        let units = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        guard parts.count <= 2, !units.isEmpty, units.count <= 3, fraction.count <= 2,
              (units + fraction).allSatisfy(\.isASCIIDigitCharacter),
              let whole = Int(units), let decimals = Int(fraction.padding(toLength: 2, withPad: "0", startingAt: 0)),
              whole * 100 + decimals <= 10_000 else {
            throw InvoicingError(.invalidField, "vatRate '\(text)' is not a percentage between 0 and 100 with at most two decimals, like 20 or 5.5",
                                 field: "vatRate")
        }
        return whole * 100 + decimals
    }
}
