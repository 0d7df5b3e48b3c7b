import Events
import Foundation
import Money

/// An invoice as given by the API or a CSV import, before it is issued.
///
/// Give either `lines` (the totals are computed) or a `total` (the gross amount, when only
/// totals are known, as in most CSV exports), or both: the total must then match the lines
/// within ``InvoiceTotals/roundingTolerance(lineCount:)`` (1 minor unit per line, the
/// issuer's per-line VAT rounding), and the given total is the one stored.
/// JSON (camelCase keys): `number`, `customerNumber`, `issueDate` (`"2025-03-31"`),
/// `dueDate`?, `currency`, `lines`? ([``InvoiceLine``], default empty), `total`? (Money),
/// `orderReference`?, `documentUrl`? (an absolute `https` or `http` URL of the invoice PDF,
/// carried by `invoice.issued` for notifications), `orderId`? (the order it invoices).
public struct InvoiceDraft: Hashable, Sendable, Codable {
    /// The creditor's invoice number, unique per creditor (`INV-2025-0042`), up to 64
    /// characters with at least one letter or digit; the readable part of the invoice's RF
    /// creditor reference (``CreditorReference/init(invoiceNumber:attempt:)``).
    public var number: String
    /// The customer's number (or id) as the caller knows it; the store resolves it.
    public var customerNumber: String
    /// The day the invoice was issued.
    public var issueDate: CalendarDate
    /// The day payment is due; computed from the customer's payment terms when absent.
    public var dueDate: CalendarDate?
    /// The invoice currency.
    public var currency: Currency
    /// The lines; may be empty when ``total`` is given.
    public var lines: [InvoiceLine]
    /// The gross total (VAT included); required without lines, checked against them otherwise.
    public var total: Money?
    /// The customer's purchase order number, quoted in reminders.
    public var orderReference: String?
    /// Where the invoice document (PDF) can be fetched: an absolute `https` or `http` URL.
    public var documentUrl: String?
    /// The order this invoice invoices (all or part of), by id: same customer and currency,
    /// lines required, and the orders' invoiced net amount may not exceed its net amount.
    public var orderId: String?

    /// The longest invoice number accepted.
    public static let maximumNumberLength = 64
    /// The longest order reference accepted (it is carried by `invoice.issued`).
    public static let maximumOrderReferenceLength = 100
    /// The longest line description accepted.
    public static let maximumLineDescriptionLength = 1000
    /// The longest document URL accepted.
    public static let maximumDocumentURLLength = 2048

    /// Creates a draft; call ``validate(terms:)`` before storing it.
    public init(number: String, customerNumber: String, issueDate: CalendarDate, dueDate: CalendarDate? = nil,
                currency: Currency, lines: [InvoiceLine] = [], total: Money? = nil, orderReference: String? = nil,
                documentUrl: String? = nil) {
        self.number = number
        self.customerNumber = customerNumber
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.lines = lines
        self.total = total
        self.orderReference = orderReference
        self.documentUrl = documentUrl
    }

    /// Checks the draft and turns it into an invoice ready to issue.
    /// - Parameter terms: The customer's payment terms, used when ``dueDate`` is absent.
    /// - Returns: The invoice with its due date, totals and RF creditor reference.
    /// - Throws: `InvoicingError`, with the field at fault:
    ///   - `.missingField` blank `number` / `customerNumber`, or neither `lines` nor `total`;
    ///   - `.limitExceeded` a number longer than 64 characters, an order reference longer than
    ///     100, a line description longer than 1000 (as given);
    ///   - `.invalidField` a number with control characters; a `documentUrl` that is not an
    ///     absolute http(s) URL (``documentURLPattern``; longer than 2048 characters:
    ///     `.limitExceeded`);
    ///   - `.invalidCreditorReference` (`number`) no letters or digits;
    ///   - `.invalidPaymentTerms` terms out of range (when they are used);
    ///   - `.dueBeforeIssue` (`dueDate`) the due date is before the issue date;
    ///   - `.currencyMismatch` a line or the total not in `currency`;
    ///   - `.totalsMismatch` (`total`) the given total differs from the lines' gross by more
    ///     than 1 minor unit per line (within that, the given total is kept);
    ///   - `.nonPositiveTotal` (`total`) the total is zero or negative;
    ///   - `.overflow` amounts too large.
    public func validate(terms: PaymentTerms) throws(InvoicingError) -> ValidatedInvoice {
        let cleanNumber = try CustomerDraft.identifier(number, field: "number", maximumLength: InvoiceDraft.maximumNumberLength)
        let cleanCustomer = try CustomerDraft.identifier(customerNumber, field: "customerNumber",
                                                         maximumLength: CustomerDraft.maximumNumberLength)
        if let orderReference {
            try InputLimits.check(orderReference, atMost: InvoiceDraft.maximumOrderReferenceLength, field: "orderReference",
                                  "the order reference")
        }
        for (index, line) in lines.enumerated() {
            try InputLimits.check(line.description, atMost: InvoiceDraft.maximumLineDescriptionLength,
                                  field: "lines[\(index)].description", "the description of line \(index + 1)")
        }
        let reference = try CreditorReference(invoiceNumber: cleanNumber)
        let documentURL = try InvoiceDraft.validatedDocumentURL(documentUrl)
        let due: CalendarDate
        if let dueDate {
            due = dueDate
        } else {
            try terms.validate()
            due = terms.dueDate(issuedOn: issueDate)
        }
        guard due >= issueDate else {
            throw InvoicingError(.dueBeforeIssue, "the due date \(due) is before the issue date \(issueDate); correct one of them",
                                 field: "dueDate")
        }
        if let total, total.currency != currency {
            throw InvoicingError(.currencyMismatch,
                                 "the total is in \(total.currency.code) but the invoice is in \(currency.code); use one currency",
                                 field: "total")
        }
        let totals: InvoiceTotals?
        let gross: Money
        if lines.isEmpty {
            guard let total else {
                throw InvoicingError(.missingField, "the invoice has neither lines nor a total; give one of them", field: "lines")
            }
            totals = nil
            gross = total
        } else {
            let computed = try InvoiceTotals(lines: lines, currency: currency)
            if let total, total != computed.gross {
                // Per-line VAT rounding: accept the issuer's total, within the tolerance.
                guard let reconciled = computed.reconciled(withGivenTotal: total, lineCount: lines.count) else {
                    let tolerance = InvoiceTotals.roundingTolerance(lineCount: lines.count)
                    throw InvoicingError(.totalsMismatch,
                                         "the total \(total) differs from \(computed.gross) computed from the lines (net \(computed.net) + VAT \(computed.vat)) by more than the \(tolerance) minor unit(s) per-line rounding allows (\(InvoiceTotals.roundingTolerancePerLine) per line); correct the lines or the total",
                                         field: "total")
                }
                totals = reconciled
                gross = total
            } else {
                totals = computed
                gross = computed.gross
            }
        }
        guard gross.isPositive else {
            throw InvoicingError(.nonPositiveTotal, "the invoice total \(gross) is not positive; issue a credit note for refunds",
                                 field: "total")
        }
        var validated = ValidatedInvoice(number: cleanNumber, customerNumber: cleanCustomer, issueDate: issueDate, dueDate: due,
                                         currency: currency, lines: lines, totals: totals, total: gross,
                                         orderReference: CustomerDraft.blankToNil(orderReference), creditorReference: reference)
        validated.paymentTerms = terms
        validated.documentURL = documentURL
        if let orderId {
            guard !lines.isEmpty else {
                throw InvoicingError(.missingField, "an invoice of an order needs its lines: the order is invoiced by net amount", field: "lines")
            }
            validated.orderId = try CustomerDraft.identifier(orderId, field: "orderId", maximumLength: InvoiceDraft.maximumNumberLength)
        }
        if dueDate == nil, let instalments = terms.instalments(of: gross, issuedOn: issueDate) {
            validated.instalments = instalments
        }
        return validated
    }

    /// An absolute `http`/`https` URL: a host of dot-separated labels (letters, digits, inner
    /// `-`), an optional port, then an optional path, query and fragment of RFC 3986
    /// characters and `%XX` escapes. The OpenAPI document states the same pattern.
    static let documentURLPattern = #"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?(?:[/?#](?:[A-Za-z0-9._~:/?#@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*)?\z"#

    /// The URL when it matches ``documentURLPattern`` and the length limit.
    private static func validatedDocumentURL(_ text: String?) throws(InvoicingError) -> String? {
        guard let text else { return nil }
        try InputLimits.check(text, atMost: maximumDocumentURLLength, field: "documentUrl", "the document URL")
        guard text.range(of: documentURLPattern, options: .regularExpression) != nil else {
            throw InvoicingError(.invalidField, "'\(text)' is not an absolute http(s) URL; give the invoice PDF's address, like https://files.example.com/INV-42.pdf",
                                 field: "documentUrl")
        }
        return text
    }

    private enum CodingKeys: String, CodingKey {
        case number, customerNumber, issueDate, dueDate, currency, lines, total, orderReference, documentUrl, orderId
    }

    /// Decodes a draft; `lines` defaults to empty.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(number: try container.decode(String.self, forKey: .number),
                  customerNumber: try container.decode(String.self, forKey: .customerNumber),
                  issueDate: try container.decode(CalendarDate.self, forKey: .issueDate),
                  dueDate: try container.decodeIfGiven(CalendarDate.self, forKey: .dueDate),
                  currency: try container.decode(Currency.self, forKey: .currency),
                  lines: try container.decodeIfGiven([InvoiceLine].self, forKey: .lines) ?? [],
                  total: try container.decodeIfGiven(Money.self, forKey: .total),
                  orderReference: try container.decodeIfGiven(String.self, forKey: .orderReference),
                  documentUrl: try container.decodeIfGiven(String.self, forKey: .documentUrl))
        orderId = try container.decodeIfGiven(String.self, forKey: .orderId)
    }
}
