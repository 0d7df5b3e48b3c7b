import Money

/// The open invoices and known payers, filed for the lookups the engine makes per payment:
/// by RF reference, by the forms of the invoice number (see ``InvoiceNumberKey``), by the
/// one-character neighbourhood of long numbers, by payer, by IBAN, by customer number and by
/// name. Built once for many payments (one statement import): a value, so copies are
/// independent and can be shared between tasks.
///
/// Only invoices with a positive open amount are filed. The only change after building is the
/// open amount of an invoice (``reduceOpenAmount(ofInvoice:by:)``, ``apply(_:)``): the next
/// payments of the same import see what earlier ones left open. An invoice whose open amount
/// reached zero stays in the tables but the engine treats it as absent (no candidate, no
/// combination); a reference that names only such invoices is noted, and counts against an
/// amount-only match (see ``MatchingEngine``).
public struct OpenItemIndex: Sendable {
    /// Everything but the open amounts: built once, never changed, so copies of the index
    /// (one per payment decided, see ``MatchingRun``) share it for one reference count.
    let tables: Tables
    /// The current open amount of each invoice in minor units (zero once paid in full), in the
    /// currency of `invoices[i]`: the only column allocations change (8 bytes an invoice, what
    /// a copy of the index duplicates when one of them changes an amount).
    private(set) var openUnits: [Int64]

    /// The index's immutable part, in one object: a copy of ``OpenItemIndex`` retains it once
    /// rather than each of its two dozen arrays and tables (whose reference counts the tasks
    /// deciding payments in parallel would otherwise contend for).
    final class Tables: Sendable {
        /// The filed invoices, in the engine's stable order (due date, number, id), with the open
        /// amounts they were filed with: the current ones are in ``OpenItemIndex/openUnits``. Never changed after
        /// building, so a copy of the index taken while a statement is matched
        /// (``MatchingEngine/matchInOrder(_:in:parallelism:batchSize:_:)``) shares this array
        /// rather than copying a million invoices when an allocation is recorded.
        let invoices: [OpenInvoice]
        // Hot columns beside ``invoices``, position by position: what a decision reads of many
        // invoices (a dozen one-typo neighbours, every invoice of a payer) it reads here, 8 and 2
        // bytes an invoice, rather than from scattered 144-byte invoices. The open amounts, the
        // only column that changes, are ``OpenItemIndex/openUnits``.
        /// Each invoice's currency, as its position in ``currencies``.
        let currencyOrdinals: [UInt16]
        /// The currencies of the filed invoices, each once.
        let currencies: [Currency]
        /// Invoice id → position in ``invoices``, for the allocations of an import.
        let positionById: PositionTable
        let payers: [PayerProfile]
        let payerNames: [[PayerName]]
        /// ``payerNames`` packed for the fuzzy look-up's first test.
        let nameSketches: NameSketches
        // The invoice tables are packed (``PositionTable``: 8 bytes an entry, keys not stored):
        // look them up through the accessors below, which check the key against the invoice.
        let byReference: PositionTable
        /// Compact and segmented number keys.
        let byNumber: PositionTable
        let byFolded: PositionTable
        let byDigits: PositionTable
        /// The deletion neighbourhood of each long folded key, for one-typo lookups.
        let byTypoNeighbour: PositionTable
        let foldedKeys: [String]
        /// Invoices of each customer, in the stable order.
        let invoicesByCustomer: [String: [Int]]
        let payerByCustomer: [String: Int]
        let payersByIBAN: [String: [Int]]
        let payersByCustomerNumber: [String: [Int]]
        let payersByExactName: [String: [Int]]
        let payersByNameKey: [String: [Int]]
        /// The longest folded key, to skip text too long to be a number.
        let longestKey: Int
        let minimumTypoNumberLength: Int

        /// Also sets `openUnits` to the filed invoices' open amounts, before the tables are
        /// built (as it did when they were the index's own fields): later, it raised the peak.
        init(invoices: consuming [OpenInvoice], payers: [PayerProfile], policy: MatchingPolicy, openUnits: inout [Int64]) {
            var open = consume invoices
            open.removeAll { !$0.openAmount.isPositive }
            OpenItemIndex.sortInPlace(&open)
            self.invoices = open
            openUnits = open.map(\.openAmount.minorUnits)
            var currencies: [Currency] = [], ordinalOf: [Currency: UInt16] = [:]
            self.currencyOrdinals = open.map { invoice in
                if let ordinal = ordinalOf[invoice.currency] { return ordinal }
                // More currencies than a UInt16 counts do not exist (ISO 4217 has about 180).
                let ordinal = UInt16(truncatingIfNeeded: currencies.count)
                ordinalOf[invoice.currency] = ordinal
                currencies.append(invoice.currency)
                return ordinal
            }
            self.currencies = currencies
            self.minimumTypoNumberLength = policy.minimumTypoNumberLength
            var byReference = PositionTable.Builder(capacity: open.count), byNumber = PositionTable.Builder(capacity: 2 * open.count)
            var byFolded = PositionTable.Builder(capacity: open.count), byDigits = PositionTable.Builder(capacity: open.count)
            var byId = PositionTable.Builder(capacity: open.count)
            var byCustomer: [String: [Int]] = [:]
            var foldedKeys: [String] = []
            foldedKeys.reserveCapacity(open.count)
            var longest = 0
            for (index, invoice) in open.enumerated() {
                byId.file(index, under: invoice.id)
                if let reference = invoice.paymentReference.flatMap(RFReference.validated) {
                    byReference.file(index, under: reference)
                }
                let key = InvoiceNumberKey(invoice.number)
                foldedKeys.append(key.folded)
                if !key.compact.isEmpty {
                    byNumber.file(index, under: key.compact)
                    if key.segmented != key.compact { byNumber.file(index, under: key.segmented) }
                    byFolded.file(index, under: key.folded)
                    longest = max(longest, key.folded.count)
                }
                if key.hasLetters && key.digits.count >= 6 { byDigits.file(index, under: key.digits) }
                OpenItemIndex.file(index, under: invoice.customerId, in: &byCustomer)
            }
            self.byReference = byReference.build()
            self.byNumber = byNumber.build()
            self.byFolded = byFolded.build()
            self.byDigits = byDigits.build()
            // From the folded keys, in two passes (count, then place): the largest table, about 13
            // entries an invoice, is never held as a list of pairs beside itself.
            let typoLength = policy.minimumTypoNumberLength
            var typoEntries = 0
            for key in foldedKeys where key.utf8.count >= typoLength { typoEntries += key.utf8.count + 1 }
            self.byTypoNeighbour = PositionTable(expectedCount: typoEntries, largestPosition: max(0, open.count - 1)) { file in
                for (position, key) in foldedKeys.enumerated() where key.utf8.count >= typoLength {
                    PositionTable.forEachDeletionNeighbourhoodHash(key) { file($0, position) }
                }
            }
            self.foldedKeys = foldedKeys
            self.invoicesByCustomer = byCustomer
            self.longestKey = longest
            self.positionById = byId.build()

            let sortedPayers = payers.sorted { $0.customerId < $1.customerId }
            self.payers = sortedPayers
            var payerByCustomer: [String: Int] = [:], byIBAN: [String: [Int]] = [:], byCustomerNumber: [String: [Int]] = [:]
            var byExactName: [String: [Int]] = [:], byNameKey: [String: [Int]] = [:]
            var payerNames: [[PayerName]] = []
            for (index, payer) in sortedPayers.enumerated() {
                payerByCustomer[payer.customerId] = index
                for iban in payer.ibans {
                    let normalised = OpenItemIndex.normalisedIBAN(iban)
                    if !normalised.isEmpty { OpenItemIndex.file(index, under: normalised, in: &byIBAN) }
                }
                if let number = payer.customerNumber {
                    let compact = InvoiceNumberKey(number).compact
                    if compact.count >= OpenItemIndex.minimumCustomerNumberLength { OpenItemIndex.file(index, under: compact, in: &byCustomerNumber) }
                }
                let names = ([payer.legalName] + payer.nameVariants).map(PayerName.init)
                payerNames.append(names)
                for name in names where !name.normalised.isEmpty {
                    OpenItemIndex.file(index, under: name.normalised, in: &byExactName)
                    for key in name.blockingKeys { OpenItemIndex.file(index, under: key, in: &byNameKey) }
                }
            }
            self.payerByCustomer = payerByCustomer
            self.payersByIBAN = byIBAN
            self.payersByCustomerNumber = byCustomerNumber
            self.payersByExactName = byExactName
            self.payersByNameKey = byNameKey
            self.nameSketches = NameSketches(payerNames)
            self.payerNames = payerNames
        }
    }

    // Forwarded so the look-ups read as before; inlined, they cost no reference counting.
    var invoices: [OpenInvoice] { tables.invoices }
    var currencyOrdinals: [UInt16] { tables.currencyOrdinals }
    var currencies: [Currency] { tables.currencies }
    var positionById: PositionTable { tables.positionById }
    var payers: [PayerProfile] { tables.payers }
    var payerNames: [[PayerName]] { tables.payerNames }
    var nameSketches: NameSketches { tables.nameSketches }
    var byReference: PositionTable { tables.byReference }
    var byNumber: PositionTable { tables.byNumber }
    var byFolded: PositionTable { tables.byFolded }
    var byDigits: PositionTable { tables.byDigits }
    var byTypoNeighbour: PositionTable { tables.byTypoNeighbour }
    var foldedKeys: [String] { tables.foldedKeys }
    var invoicesByCustomer: [String: [Int]] { tables.invoicesByCustomer }
    var payerByCustomer: [String: Int] { tables.payerByCustomer }
    var payersByIBAN: [String: [Int]] { tables.payersByIBAN }
    var payersByCustomerNumber: [String: [Int]] { tables.payersByCustomerNumber }
    var payersByExactName: [String: [Int]] { tables.payersByExactName }
    var payersByNameKey: [String: [Int]] { tables.payersByNameKey }
    var longestKey: Int { tables.longestKey }
    var minimumTypoNumberLength: Int { tables.minimumTypoNumberLength }

    /// Files `invoices` (those with something open) and `payers`.
    /// - Parameters:
    ///   - policy: gives ``MatchingPolicy/minimumTypoNumberLength``; the engine using the
    ///     index should have the same.
    ///
    /// `invoices` is consumed: a caller that hands over its only copy (`consume`) lets the
    /// index filter and sort it in place, so a million invoices are not held twice.
    public init(invoices: consuming [OpenInvoice], payers: [PayerProfile], policy: MatchingPolicy = MatchingPolicy()) {
        var openUnits: [Int64] = []
        self.tables = Tables(invoices: consume invoices, payers: payers, policy: policy, openUnits: &openUnits)
        self.openUnits = openUnits
    }

    /// Sorts `invoices` in the engine's stable order by sorting their positions and moving
    /// them along the permutation's cycles: the standard sort would take a buffer of half a
    /// million invoices for a million.
    private static func sortInPlace(_ invoices: inout [OpenInvoice]) {
        var order = Array(invoices.indices)
        order.sort { OpenInvoice.isOrderedBefore(invoices[$0], invoices[$1]) }
        // order[i] is the position of the invoice that belongs at i; -1 once placed.
        for cycleStart in order.indices where order[cycleStart] >= 0 {
            var here = cycleStart
            let first = invoices[cycleStart]
            while order[here] != cycleStart {
                let from = order[here]
                invoices[here] = invoices[from]
                order[here] = -1
                here = from
            }
            invoices[here] = first
            order[here] = -1
        }
    }

    /// Adds `position` to the list of `key` unless it is already its last (positions are
    /// filed in increasing order, so a position is filed once per key).
    private static func file(_ position: Int, under key: String, in table: inout [String: [Int]]) {
        if table[key]?.last != position { table[key, default: []].append(position) }
    }

    /// Customer numbers shorter than this are not looked for in texts: too many other numbers
    /// ("12", "2025") would meet them.
    static let minimumCustomerNumberLength = 4

    /// Upper case, letters and digits only.
    static func normalisedIBAN(_ iban: String) -> String {
        TextParts(iban).parts.joined()
    }

    /// Lowers the open amount of an invoice after a payment was allocated to it, so the next
    /// payments matched against this index see the balance left (two partial payments of one
    /// invoice in one statement; an invoice paid twice is not allocated twice). Give the cash
    /// applied plus any write-off (``apply(_:)`` does for a candidate). Never below zero; at
    /// zero the engine no longer offers the invoice. Cheap: one dictionary look-up, no table
    /// is rebuilt.
    ///
    /// No-op for an unknown id (not filed, or never open), an amount in another currency than
    /// the invoice's, or an amount that is not positive.
    public mutating func reduceOpenAmount(ofInvoice invoiceId: String, by amount: Money) {
        guard amount.isPositive, let position = position(ofInvoice: invoiceId) else { return }
        guard invoices[position].currency == amount.currency else { return }
        openUnits[position] = max(0, openUnits[position] - amount.minorUnits)
    }

    /// Sets the open amounts of the invoices at `positions` to what `other` has open on them,
    /// so a copy of this index taken earlier catches up with the allocations recorded in
    /// `other` since (at those positions) without copying all the open amounts again.
    /// `other` must be a copy of this index (same invoices).
    mutating func copyOpenAmounts(at positions: some Sequence<Int>, from other: OpenItemIndex) {
        for position in positions { openUnits[position] = other.openUnits[position] }
    }

    /// Lowers the open amounts by what `candidate` allocates: each allocation's cash plus its
    /// write-off (a settled short payment leaves nothing open). Credit is not an invoice's.
    public mutating func apply(_ candidate: MatchCandidate) {
        for allocation in candidate.allocations {
            let writeOff = allocation.writeOff.currency == allocation.amount.currency ? allocation.writeOff.minorUnits : 0
            let (total, overflow) = allocation.amount.minorUnits.addingReportingOverflow(writeOff)
            reduceOpenAmount(ofInvoice: allocation.invoiceId, by: Money(minorUnits: overflow ? Int64.max : total, currency: allocation.amount.currency))
        }
    }

    /// The filed invoice with this id, with its current open amount (zero once paid in full by
    /// allocations recorded here); nil when no invoice of that id was filed.
    public func openInvoice(id: String) -> OpenInvoice? {
        position(ofInvoice: id).map(openInvoice(at:))
    }

    /// The invoice at `position` with its current open amount.
    func openInvoice(at position: Int) -> OpenInvoice {
        var invoice = invoices[position]
        invoice.openAmount = Money(minorUnits: openUnits[position], currency: invoice.currency)
        return invoice
    }

    /// The position of the first invoice filed with this id.
    func position(ofInvoice id: String) -> Int? {
        positionById.candidates(id).first { invoices[$0].id == id }
    }

    // MARK: Look-ups (keys checked against the invoices)

    /// Invoices whose RF reference (electronic form, valid) is `reference`; nil when none.
    func invoices(withReference reference: String) -> [Int]? {
        OpenItemIndex.nonEmpty(byReference.candidates(reference).filter {
            invoices[$0].paymentReference.flatMap(RFReference.validated) == reference
        })
    }

    /// Invoices whose number's compact or segmented form (``InvoiceNumberKey``) is `key`.
    func invoices(withNumberKey key: String) -> [Int]? {
        OpenItemIndex.nonEmpty(byNumber.candidates(key).filter {
            let number = InvoiceNumberKey(invoices[$0].number)
            return number.compact == key || number.segmented == key
        })
    }

    /// Invoices whose number's folded form is `key`.
    func invoices(withFoldedKey key: String) -> [Int]? {
        OpenItemIndex.nonEmpty(byFolded.candidates(key).filter { foldedKeys[$0] == key })
    }

    /// Invoices whose number has letters and these digits (6 or more).
    func invoices(withDigits digits: String) -> [Int]? {
        OpenItemIndex.nonEmpty(byDigits.candidates(digits).filter { InvoiceNumberKey(invoices[$0].number).digits == digits })
    }

    /// Invoices whose folded number may be one edit from `folded` (sharing a deletion
    /// neighbour's hash), ascending, each once; the caller checks the edit distance.
    func typoCandidates(_ folded: String) -> [Int] {
        var result: [Int] = []
        PositionTable.forEachDeletionNeighbourhoodHash(folded) { hash in
            byTypoNeighbour.forEachCandidate(hash: hash) { position in
                if !result.contains(position) { result.append(position) }
            }
        }
        return result.sorted()
    }

    private static func nonEmpty(_ positions: [Int]) -> [Int]? {
        positions.isEmpty ? nil : positions
    }

    /// Whether the invoice at `position` still has something open.
    func isOpen(_ position: Int) -> Bool {
        openUnits[position] > 0
    }

    /// The ordinal of `currency` in ``currencyOrdinals``; nil when no invoice filed has it.
    func currencyOrdinal(of currency: Currency) -> UInt16? {
        currencies.firstIndex(of: currency).map { UInt16(truncatingIfNeeded: $0) }
    }

    /// The positions of `positions` still open, and those paid in full since the index was built.
    func split(_ positions: [Int]?) -> (open: [Int], settled: [Int]) {
        guard let positions else { return ([], []) }
        var open: [Int] = [], settled: [Int] = []
        for position in positions {
            if isOpen(position) { open.append(position) } else { settled.append(position) }
        }
        return (open, settled)
    }

    /// The number of invoices filed (those paid in full since included).
    public var invoiceCount: Int { invoices.count }
    /// The number of payers filed.
    public var payerCount: Int { payers.count }
}
