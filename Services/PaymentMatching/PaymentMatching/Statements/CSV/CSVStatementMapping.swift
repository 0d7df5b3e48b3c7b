/// Which columns of a bank's CSV export hold what, read from JSON (`--csv-mapping FILE`).
/// Columns are named by their header; the header row is the first row that has the date
/// column and the amount column(s), so preamble lines before it (account, period) are skipped.
///
/// ```json
/// {"delimiter": ";", "decimalSeparator": ".", "date": "Buchung", "dateFormat": "dd.MM.yyyy",
///  "credit": "Gutschrift", "debit": "Belastung", "fixedCurrency": "CHF", "remittance": ["Buchungstext"]}
/// ```
public struct CSVStatementMapping: Codable, Sendable, Hashable {
    /// `,`, `;` or a tab (`"\t"` or `"tab"`). Default: `;`.
    public var delimiter: String
    /// `.` or `,`. Default: `.`.
    public var decimalSeparator: String
    /// The booking date column.
    public var date: String
    /// The date's layout with `yyyy`, `yy`, `MM`, `M`, `dd`, `d` and literal separators.
    /// Default: `yyyy-MM-dd`.
    public var dateFormat: String
    /// The value date column, when there is one.
    public var valueDate: String?
    /// One signed amount column (negative: debit); or ``credit`` and ``debit``.
    public var amount: String?
    public var credit: String?
    public var debit: String?
    /// The currency column; or ``fixedCurrency``.
    public var currency: String?
    public var fixedCurrency: String?
    public var payerName: String?
    public var iban: String?
    /// Remittance text columns, joined with spaces.
    public var remittance: [String]
    public var bankReference: String?
    /// A column with a batch's single amounts: rows with no date but this amount are the
    /// transaction details of the entry above them (UBS "Importo singolo").
    public var detailAmount: String?
    /// The statement's account IBAN, when the file does not say.
    public var accountIBAN: String?

    public init(delimiter: String = ";", decimalSeparator: String = ".", date: String, dateFormat: String = "yyyy-MM-dd", valueDate: String? = nil,
                amount: String? = nil, credit: String? = nil, debit: String? = nil, currency: String? = nil, fixedCurrency: String? = nil,
                payerName: String? = nil, iban: String? = nil, remittance: [String] = [], bankReference: String? = nil,
                detailAmount: String? = nil, accountIBAN: String? = nil) {
        self.delimiter = delimiter
        self.decimalSeparator = decimalSeparator
        self.date = date
        self.dateFormat = dateFormat
        self.valueDate = valueDate
        self.amount = amount
        self.credit = credit
        self.debit = debit
        self.currency = currency
        self.fixedCurrency = fixedCurrency
        self.payerName = payerName
        self.iban = iban
        self.remittance = remittance
        self.bankReference = bankReference
        self.detailAmount = detailAmount
        self.accountIBAN = accountIBAN
    }

    private enum CodingKeys: String, CodingKey {
        case delimiter, decimalSeparator, date, dateFormat, valueDate, amount, credit, debit, currency, fixedCurrency, payerName, iban,
             remittance, bankReference, detailAmount, accountIBAN
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            delimiter: try container.decodeIfPresent(String.self, forKey: .delimiter) ?? ";",
            decimalSeparator: try container.decodeIfPresent(String.self, forKey: .decimalSeparator) ?? ".",
            date: try container.decode(String.self, forKey: .date),
            dateFormat: try container.decodeIfPresent(String.self, forKey: .dateFormat) ?? "yyyy-MM-dd",
            valueDate: try container.decodeIfPresent(String.self, forKey: .valueDate),
            amount: try container.decodeIfPresent(String.self, forKey: .amount),
            credit: try container.decodeIfPresent(String.self, forKey: .credit),
            debit: try container.decodeIfPresent(String.self, forKey: .debit),
            currency: try container.decodeIfPresent(String.self, forKey: .currency),
            fixedCurrency: try container.decodeIfPresent(String.self, forKey: .fixedCurrency),
            payerName: try container.decodeIfPresent(String.self, forKey: .payerName),
            iban: try container.decodeIfPresent(String.self, forKey: .iban),
            remittance: try container.decodeIfPresent([String].self, forKey: .remittance) ?? [],
            bankReference: try container.decodeIfPresent(String.self, forKey: .bankReference),
            detailAmount: try container.decodeIfPresent(String.self, forKey: .detailAmount),
            accountIBAN: try container.decodeIfPresent(String.self, forKey: .accountIBAN))
    }

    /// Checks the mapping itself before any file is read.
    /// - Throws: `StatementError` `.unsupported` saying what to fix.
    public func validate() throws(StatementError) {
        func fail(_ reason: String) -> StatementError { StatementError(.unsupported, "CSV mapping: \(reason)", location: nil) }
        guard delimiterCharacter != nil else { throw fail("delimiter '\(delimiter)' must be ',', ';' or a tab") }
        guard decimalSeparator == "." || decimalSeparator == "," else { throw fail("decimalSeparator must be '.' or ','") }
        guard amount != nil || credit != nil || debit != nil else { throw fail("give an amount column, or credit and debit columns") }
        guard currency != nil || fixedCurrency != nil else { throw fail("give a currency column or a fixedCurrency") }
        if let fixedCurrency { _ = try StatementAmountParser.currency(fixedCurrency, location: nil) }
        guard dateFormat.contains("yy"), dateFormat.contains("M"), dateFormat.contains("d") else {
            throw fail("dateFormat '\(dateFormat)' needs yyyy or yy, MM and dd")
        }
    }

    var delimiterCharacter: Character? {
        switch delimiter {
        case ",", ";": Character(delimiter)
        case "\t", "tab", "\\t": "\t"
        default: nil
        }
    }
}
