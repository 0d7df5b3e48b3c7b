import Events
import Money

/// A booked entry of a statement. `amount` is always positive; ``creditDebit`` gives the
/// direction. Only credits are payments; a reversal (``reversal``) undoes an earlier entry.
public struct StatementEntry: Codable, Sendable, Hashable {
    public var bookingDate: CalendarDate?
    public var valueDate: CalendarDate?
    /// Positive, in the entry's currency.
    public var amount: Money
    public var creditDebit: CreditDebit
    /// Whether the entry reverses an earlier one (`RvslInd`, MT940 `RC`/`RD` marks).
    public var reversal: Bool
    /// The bank's reference for the entry (`AcctSvcrRef`, MT940 reference for the bank, ...).
    public var bankReference: String?
    /// The entry's own reference in the file (`NtryRef`, MT940 customer reference).
    public var entryReference: String?
    /// The payer's end-to-end id, when the file gives one.
    public var endToEndId: String?
    public var remittance: Remittance
    public var counterparty: Counterparty?
    /// Bank transaction code as given (`BkTxCd` domain/family/subfamily or proprietary,
    /// MT940 `N` code, CFONB operation code).
    public var transactionCode: String?
    /// A batch booking's transaction details (`NtryDtls/TxDtls`, MT940 batch `:86:`), each a
    /// payment of its own; empty when the entry is a single transaction.
    public var details: [TransactionDetail]
    /// Where the entry is in the file, for error reports and people ("line 42",
    /// "Stmt[1]/Ntry[3]").
    public var location: String?

    public init(
        bookingDate: CalendarDate? = nil, valueDate: CalendarDate? = nil, amount: Money, creditDebit: CreditDebit,
        reversal: Bool = false, bankReference: String? = nil, entryReference: String? = nil, endToEndId: String? = nil,
        remittance: Remittance = Remittance(), counterparty: Counterparty? = nil, transactionCode: String? = nil,
        details: [TransactionDetail] = [], location: String? = nil
    ) {
        self.bookingDate = bookingDate
        self.valueDate = valueDate
        self.amount = amount
        self.creditDebit = creditDebit
        self.reversal = reversal
        self.bankReference = bankReference
        self.entryReference = entryReference
        self.endToEndId = endToEndId
        self.remittance = remittance
        self.counterparty = counterparty
        self.transactionCode = transactionCode
        self.details = details
        self.location = location
    }
}

/// The direction of an entry, from the account holder's side.
public enum CreditDebit: String, Codable, Sendable, Hashable {
    /// Money in: a payment candidate.
    case credit
    /// Money out.
    case debit
}

/// What the payer said the payment is for.
public struct Remittance: Codable, Sendable, Hashable {
    /// Structured references (`Strd/CdtrRefInf/Ref`: an ISO 11649 `RF...` reference, an
    /// invoice number, a national reference), as given.
    public var structured: [String]
    /// Free text (`Ustrd`, MT940 `:86:` purpose, CFONB 05 complements), joined with spaces.
    public var unstructured: String?

    public init(structured: [String] = [], unstructured: String? = nil) {
        self.structured = structured
        self.unstructured = unstructured
    }
}

/// The other party of an entry: the payer of a credit.
public struct Counterparty: Codable, Sendable, Hashable {
    public var name: String?
    /// IBAN, electronic form, when given.
    public var iban: String?
    public var bic: String?

    public init(name: String? = nil, iban: String? = nil, bic: String? = nil) {
        self.name = name
        self.iban = iban
        self.bic = bic
    }
}

/// One transaction of a batch booking.
public struct TransactionDetail: Codable, Sendable, Hashable {
    /// The transaction's amount, when the file gives it per transaction.
    public var amount: Money?
    public var creditDebit: CreditDebit?
    public var bankReference: String?
    public var endToEndId: String?
    public var remittance: Remittance
    public var counterparty: Counterparty?

    public init(amount: Money? = nil, creditDebit: CreditDebit? = nil, bankReference: String? = nil, endToEndId: String? = nil,
                remittance: Remittance = Remittance(), counterparty: Counterparty? = nil) {
        self.amount = amount
        self.creditDebit = creditDebit
        self.bankReference = bankReference
        self.endToEndId = endToEndId
        self.remittance = remittance
        self.counterparty = counterparty
    }
}
