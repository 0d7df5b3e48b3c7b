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
    /// The `TxDtls` being read (the last one read once it has ended): the parser fills it in
    /// place, so a detail is never moved or copied unless the entry is a batch.
    var detail = CAMTDetailBuilder()
    /// The `TxDtls` begun so far.
    private(set) var detailCount = 0
    /// The `TxDtls` before ``detail`` once there are several (a batch), in file order.
    private var batch: [CAMTDetailBuilder] = []

    init(location: String) {
        self.location = location
    }

    /// Begins a `TxDtls`, in file order: ``detail`` is then the new one.
    mutating func beginDetail() {
        if detailCount > 0 {
            batch.append(detail)
            detail = CAMTDetailBuilder()
        }
        detailCount += 1
    }

    /// Whether the entry is booked: entries without a status are taken as booked, pending
    /// (`PDNG`) and information-only (`INFO`, `FUTR`) ones are not yet money on the account.
    ///
    /// `mutating` though it changes nothing, like ``build(transactionCode:)``.
    var isBooked: Bool {
        mutating get { Self.isBooked(status) }
    }

    private static func isBooked(_ status: String?) -> Bool {
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
    ///
    /// `mutating` though it changes nothing: the builder is read in place in the parser, where a
    /// non-mutating call copies it first (a memcpy and a retain and a release per string it holds).
    mutating func build(transactionCode: String?) throws(StatementError) -> StatementEntry {
        guard let amount else {
            throw StatementError(.malformed, "the entry has no Amt; every Ntry needs its amount", location: location)
        }
        guard let creditDebit else {
            throw StatementError(.malformed, "the entry has no CdtDbtInd (CRDT or DBIT)", location: location)
        }
        // One initialiser call with the final values: making the entry and then setting its
        // fields copied and destroyed the whole entry twice.
        if detailCount == 1 {
            return StatementEntry(
                bookingDate: bookingDate, valueDate: valueDate, amount: amount, creditDebit: creditDebit, reversal: reversal,
                bankReference: bankReference ?? detail.bankReference, entryReference: entryReference, endToEndId: detail.endToEndId,
                remittance: detail.remittance, counterparty: detail.counterparty(direction: creditDebit, reversal: reversal),
                transactionCode: transactionCode, location: location
            )
        }
        var details: [TransactionDetail] = []
        if detailCount > 1 {
            details = batch.map { $0.build(entryDirection: creditDebit, reversal: reversal) }
            details.append(detail.build(entryDirection: creditDebit, reversal: reversal))
        }
        return StatementEntry(
            bookingDate: bookingDate, valueDate: valueDate, amount: amount, creditDebit: creditDebit, reversal: reversal,
            bankReference: bankReference, entryReference: entryReference, transactionCode: transactionCode, details: details,
            location: location
        )
    }

    /// The transaction code (``codeFromParts``), taken from `last` when the entry's codes are those `last` was made
    /// of: files repeat a few codes, and making the string cost about 800 instructions.
    mutating func transactionCode(reusing last: inout (domain: String?, family: String?, subFamily: String?, code: String?)) -> String? {
        guard domain != nil else { return proprietaryCode }
        if domain == last.domain, family == last.family, subFamily == last.subFamily, let code = last.code { return code }
        let code = codeFromParts
        last = (domain, family, subFamily, code)
        return code
    }

    /// `PMNT/RCDT/ESCT` from the ISO domain/family/sub-family, else the proprietary code.
    private var codeFromParts: String? {
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
