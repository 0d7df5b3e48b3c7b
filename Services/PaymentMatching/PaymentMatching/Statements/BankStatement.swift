import Events
import Money

/// One statement of a bank file: an account's booked entries over a period, with the balances
/// when the file gives them.
///
/// A reader reports a statement in two steps (``StatementVisitor``): the header first (this
/// value with no entries and, when the file only gives it after the entries, no closing
/// balance), then each entry, then the closing balance.
public struct BankStatement: Codable, Sendable, Hashable {
    /// The statement's identifier in the file (`Stmt/Id`, MT940 `:20:`/`:28C:`), when given.
    public var id: String?
    public var account: StatementAccount
    /// The account's currency.
    public var currency: Currency
    public var openingBalance: Money?
    public var closingBalance: Money?
    /// The booked entries, in file order (`Ntry`, MT940 `:61:`, CFONB 04 records).
    public var entries: [StatementEntry]
    /// When the file gives both balances and they do not reconcile: closing balance minus
    /// (opening balance + credits - debits). Nil when they reconcile or cannot be checked.
    /// The statement is still reported; an importer stores it flagged.
    public var balanceMismatch: Money?

    public init(id: String? = nil, account: StatementAccount, currency: Currency, openingBalance: Money? = nil,
                closingBalance: Money? = nil, entries: [StatementEntry] = [], balanceMismatch: Money? = nil) {
        self.id = id
        self.account = account
        self.currency = currency
        self.openingBalance = openingBalance
        self.closingBalance = closingBalance
        self.entries = entries
        self.balanceMismatch = balanceMismatch
    }
}

/// The account a statement is about.
public struct StatementAccount: Codable, Sendable, Hashable {
    /// IBAN, electronic form (no spaces, upper case), when the file gives one.
    public var iban: String?
    /// Another account identifier (MT940 `:25:` that is not an IBAN, CFONB bank/branch/account).
    public var other: String?
    /// The account servicer's BIC, when given.
    public var bic: String?

    public init(iban: String? = nil, other: String? = nil, bic: String? = nil) {
        self.iban = iban
        self.other = other
        self.bic = bic
    }
}
