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
    /// The filed invoices, in the engine's stable order (due date, number, id), with their
    /// current open amounts (zero once paid in full).
    private(set) var invoices: [OpenInvoice]
    /// Invoice id → position in ``invoices``, for the allocations of an import.
    let positionById: [String: Int]
    let payers: [PayerProfile]
    let payerNames: [[PayerName]]
    let byReference: [String: [Int]]
    /// Compact and segmented number keys.
    let byNumber: [String: [Int]]
    let byFolded: [String: [Int]]
    let byDigits: [String: [Int]]
    /// The deletion neighbourhood of each long folded key, for one-typo lookups.
    let byTypoNeighbour: [String: [Int]]
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

    /// Files `invoices` (those with something open) and `payers`.
    /// - Parameters:
    ///   - policy: gives ``MatchingPolicy/minimumTypoNumberLength``; the engine using the
    ///     index should have the same.
    public init(invoices: [OpenInvoice], payers: [PayerProfile], policy: MatchingPolicy = MatchingPolicy()) {
        let open = invoices.filter { $0.openAmount.isPositive }.sorted(by: OpenInvoice.isOrderedBefore)
        self.invoices = open
        self.minimumTypoNumberLength = policy.minimumTypoNumberLength
        var byReference: [String: [Int]] = [:], byNumber: [String: [Int]] = [:], byFolded: [String: [Int]] = [:]
        var byDigits: [String: [Int]] = [:], byTypo: [String: [Int]] = [:], byCustomer: [String: [Int]] = [:]
        var foldedKeys: [String] = []
        var positionById: [String: Int] = [:]
        positionById.reserveCapacity(open.count)
        foldedKeys.reserveCapacity(open.count)
        byNumber.reserveCapacity(2 * open.count)
        byFolded.reserveCapacity(open.count)
        byDigits.reserveCapacity(open.count)
        byTypo.reserveCapacity(12 * open.count)
        var longest = 0
        for (index, invoice) in open.enumerated() {
            if positionById[invoice.id] == nil { positionById[invoice.id] = index }
            if let reference = invoice.paymentReference.flatMap(RFReference.validated) {
                OpenItemIndex.file(index, under: reference, in: &byReference)
            }
            let key = InvoiceNumberKey(invoice.number)
            foldedKeys.append(key.folded)
            if !key.compact.isEmpty {
                OpenItemIndex.file(index, under: key.compact, in: &byNumber)
                if key.segmented != key.compact { OpenItemIndex.file(index, under: key.segmented, in: &byNumber) }
                OpenItemIndex.file(index, under: key.folded, in: &byFolded)
                longest = max(longest, key.folded.count)
            }
            if key.hasLetters && key.digits.count >= 6 { OpenItemIndex.file(index, under: key.digits, in: &byDigits) }
            if key.folded.count >= policy.minimumTypoNumberLength {
                for neighbour in InvoiceNumberKey.deletionNeighbourhood(key.folded) {
                    OpenItemIndex.file(index, under: neighbour, in: &byTypo)
                }
            }
            OpenItemIndex.file(index, under: invoice.customerId, in: &byCustomer)
        }
        self.byReference = byReference
        self.byNumber = byNumber
        self.byFolded = byFolded
        self.byDigits = byDigits
        self.byTypoNeighbour = byTypo
        self.foldedKeys = foldedKeys
        self.invoicesByCustomer = byCustomer
        self.longestKey = longest
        self.positionById = positionById

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
        self.payerNames = payerNames
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
        guard amount.isPositive, let position = positionById[invoiceId] else { return }
        let current = invoices[position].openAmount
        guard current.currency == amount.currency else { return }
        invoices[position].openAmount = Money(minorUnits: max(0, current.minorUnits - amount.minorUnits), currency: current.currency)
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
        positionById[id].map { invoices[$0] }
    }

    /// Whether the invoice at `position` still has something open.
    func isOpen(_ position: Int) -> Bool {
        invoices[position].openAmount.isPositive
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
