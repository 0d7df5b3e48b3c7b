import Money

/// The open invoices and known payers, filed for the lookups the engine makes per payment:
/// by RF reference, by the forms of the invoice number (see ``InvoiceNumberKey``), by the
/// one-character neighbourhood of long numbers, by payer, by IBAN, by customer number and by
/// name. Built once for many payments; immutable, so it can be shared between tasks.
///
/// Only invoices with a positive open amount are filed.
public struct OpenItemIndex: Sendable {
    /// The open invoices, in the engine's stable order (due date, number, id).
    let invoices: [OpenInvoice]
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
        foldedKeys.reserveCapacity(open.count)
        byNumber.reserveCapacity(2 * open.count)
        byFolded.reserveCapacity(open.count)
        byDigits.reserveCapacity(open.count)
        byTypo.reserveCapacity(12 * open.count)
        var longest = 0
        for (index, invoice) in open.enumerated() {
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

    /// The number of open invoices filed.
    public var invoiceCount: Int { invoices.count }
    /// The number of payers filed.
    public var payerCount: Int { payers.count }
}
