import Events
import Money

/// Collects one `Ntry` as its elements are read, and turns it into a ``StatementEntry``.
struct CAMTEntryBuilder {
    /// `BkToCstmrStmt/Stmt[1]/Ntry[3]`.
    let location: String
    var amount: Money?
    var creditDebit: CreditDebit?
    var reversal = false
    var status: String?
    var bookingDate: CalendarDate?
    var valueDate: CalendarDate?
    var bankReference: String?
    var entryReference: String?
    var domain: String?
    var family: String?
    var subFamily: String?
    var proprietaryCode: String?
    /// The entry's `TxDtls` while there is one (nearly always): no array per entry.
    private var onlyDetail: CAMTDetailBuilder?
    /// All the `TxDtls` once there are several (a batch).
    private var batch: [CAMTDetailBuilder] = []

    init(location: String) {
        self.location = location
    }

    /// Adds a `TxDtls`, in file order.
    mutating func add(_ detail: CAMTDetailBuilder) {
        if batch.isEmpty, onlyDetail == nil {
            onlyDetail = detail
            return
        }
        if let first = onlyDetail.take() { batch.append(first) }
        batch.append(detail)
    }

    /// Whether the entry is booked: entries without a status are taken as booked, pending
    /// (`PDNG`) and information-only (`INFO`, `FUTR`) ones are not yet money on the account.
    var isBooked: Bool {
        guard let status else { return true }
        // Fast path: the bytes in place (`String.UTF8View` iteration is slow), four ASCII bytes.
        let fast = status.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            guard bytes.count == 4, !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return bytes[0] & 0xDF == UInt8(ascii: "B") && bytes[1] & 0xDF == UInt8(ascii: "O") && bytes[2] & 0xDF == UInt8(ascii: "O")
                && bytes[3] & 0xDF == UInt8(ascii: "K")
        }
        if let fast, let booked = fast { return booked }
        let utf8 = status.utf8
        if utf8.count == 4, utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: `& 0xDF` upper-cases letters and maps no other byte onto one.
            return utf8.elementsEqual("BOOK".utf8, by: { $0 & 0xDF == $1 })
        }
        return status.uppercased() == "BOOK"
    }

    /// The finished entry.
    ///
    /// Exactly one `TxDtls` is the entry's own transaction: its references, remittance and
    /// counterparty are folded into the entry. Several make a batch: they go to `details`.
    /// - Throws: `malformed` when `Amt` or `CdtDbtInd` is missing.
    func build() throws(StatementError) -> StatementEntry {
        guard let amount else {
            throw StatementError(.malformed, "the entry has no Amt; every Ntry needs its amount", location: location)
        }
        guard let creditDebit else {
            throw StatementError(.malformed, "the entry has no CdtDbtInd (CRDT or DBIT)", location: location)
        }
        var entry = StatementEntry(
            bookingDate: bookingDate, valueDate: valueDate, amount: amount, creditDebit: creditDebit, reversal: reversal,
            bankReference: bankReference, entryReference: entryReference, transactionCode: transactionCode, location: location
        )
        if let only = onlyDetail {
            entry.endToEndId = only.endToEndId
            entry.bankReference = bankReference ?? only.bankReference
            entry.remittance = only.remittance
            entry.counterparty = only.counterparty(direction: creditDebit, reversal: reversal)
        } else if batch.count > 1 {
            entry.details = batch.map { $0.build(entryDirection: creditDebit, reversal: reversal) }
        }
        return entry
    }

    /// `PMNT/RCDT/ESCT` from the ISO domain/family/sub-family, else the proprietary code.
    private var transactionCode: String? {
        guard var code = domain else { return proprietaryCode }
        if let family {
            code += "/"
            code += family
        }
        if let subFamily {
            code += "/"
            code += subFamily
        }
        return code
    }
}

/// Collects one `TxDtls` of an entry.
struct CAMTDetailBuilder {
    var amount: Money?
    /// `TxDtls/Amt` (camt v3 and later), used when `AmtDtls/TxAmt/Amt` is absent.
    var directAmount: Money?
    var creditDebit: CreditDebit?
    var endToEndId: String?
    var bankReference: String?
    /// The `Ustrd` texts joined with spaces (``addUnstructured(_:)``).
    private(set) var unstructured: String?
    var structured: [String] = []
    var debtor = Counterparty()
    var creditor = Counterparty()

    var remittance: Remittance {
        Remittance(structured: structured, unstructured: unstructured)
    }

    /// Adds a `Ustrd` text: several are joined with spaces, as one text.
    mutating func addUnstructured(_ text: String) {
        if unstructured == nil {
            unstructured = text
        } else {
            unstructured? += " " + text
        }
    }

    /// The other party: for money that came in, the debtor; for money that went out, the
    /// creditor. A reversal (`RvslInd`) is booked in the opposite direction of the entry it
    /// undoes while the parties keep their roles, so its counterparty is the original one's.
    func counterparty(direction: CreditDebit, reversal: Bool) -> Counterparty? {
        let originalIsCredit = (direction == .credit) != reversal
        let party = originalIsCredit ? debtor : creditor
        return party == Counterparty() ? nil : party
    }

    func build(entryDirection: CreditDebit, reversal: Bool) -> TransactionDetail {
        let direction = creditDebit ?? entryDirection
        return TransactionDetail(
            amount: amount ?? directAmount, creditDebit: direction, bankReference: bankReference, endToEndId: endToEndId,
            remittance: remittance, counterparty: counterparty(direction: direction, reversal: reversal)
        )
    }
}

/// Collects one `Bal` of a statement.
struct CAMTBalanceBuilder {
    var code: String?
    var amount: Money?
    var creditDebit: CreditDebit?

    /// The signed balance: `DBIT` is negative (an overdrawn account).
    var signed: Money? {
        guard let amount else { return nil }
        return creditDebit == .debit ? -amount : amount
    }
}
