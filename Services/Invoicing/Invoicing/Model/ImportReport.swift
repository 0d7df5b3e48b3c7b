/// The result of a bulk CSV import.
public struct ImportReport: Codable, Sendable, Hashable {
    /// Data rows read (header excluded).
    public var rowsRead: Int
    /// Rows that created (inserted) a customer, invoice, credit note or credit item.
    public var created: Int
    /// Rows whose number already existed. Customers: skipped, nothing changed. Invoices,
    /// credit notes, customer credit: ``updated`` + ``unchanged`` (re-importing is safe either way).
    public var alreadyPresent: Int
    /// Invoices: existing invoices the row changed (``changes`` says how). Credit notes and
    /// customer credit are never changed by a sync: always 0.
    public var updated: Int
    /// Invoices, credit notes (by number), customer credit (by customer and reference):
    /// already as the row says; nothing was published.
    public var unchanged: Int
    /// Invoices: what the sync changed, by kind.
    public var changes: Changes
    /// Rows refused, with line number and reason (the first ``maximumListedRejections``).
    public var rejected: [CSVRejection]
    /// All refused rows, listed or not.
    public var rejectedCount: Int

    /// Rejections listed in full; beyond, only counted (keeps memory bounded).
    public static let maximumListedRejections = 1_000

    public init() {
        rowsRead = 0
        created = 0
        alreadyPresent = 0
        updated = 0
        unchanged = 0
        changes = Changes()
        rejected = []
        rejectedCount = 0
    }

    /// Counts of the changes an invoice sync made, by kind.
    public struct Changes: Codable, Sendable, Hashable {
        /// Payments recorded (more paid in the ERP than here).
        public var payments = 0
        /// Balances settled otherwise in the ERP (credited or written off), written off here.
        public var writeOffs = 0
        /// Invoices settled by the import: inserted settled, or brought to zero.
        public var settled = 0
        /// Disputes opened (flag set in the ERP).
        public var disputesOpened = 0
        /// Disputes resolved (flag cleared in the ERP).
        public var disputesResolved = 0

        public init() {}
    }

    mutating func add(_ outcome: InvoicingDatabase.BatchOutcome) {
        created += outcome.inserted
        updated += outcome.updated
        unchanged += outcome.unchanged
        changes.payments += outcome.changes.payments
        changes.writeOffs += outcome.changes.writeOffs
        changes.settled += outcome.changes.settled
    }

    mutating func reject(_ rejection: CSVRejection) {
        rejectedCount += 1
        if rejected.count < Self.maximumListedRejections { rejected.append(rejection) }
    }
}
