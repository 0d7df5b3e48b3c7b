import CSV
import Events
import Foundation
import GRDB
import Money
import Storage

extension InvoicingDatabase {
    /// Rows committed per transaction during imports.
    public static let importBatchSize = 1_000

    /// Imports customers from CSV (columns in `CustomerCSVRow`), streaming: memory stays
    /// bounded whatever the file size. Consecutive rows with the same number add contacts to
    /// one customer. Numbers that exist already are skipped, so re-importing adds nothing.
    /// Each created customer publishes `customer.registered`; its contacts get new ids.
    /// Several contacts may share a role (the first one marked dunning recipient is the
    /// role's primary one); a row repeating a contact's e-mail in the same role is rejected.
    /// - Parameter progress: called after each committed batch with the report so far.
    /// - Throws: `InvoicingError` `.missingColumn`/`.malformedCSV` for an unusable file.
    public func importCustomers(from reader: CSVReader, progress: @Sendable (ImportReport) -> Void = { _ in }) async throws -> ImportReport {
        guard let header = try reader.nextImportRecord() else { return ImportReport() }
        let mapper = try CustomerCSVRow(header: header)
        var report = ImportReport()
        var batch: [Customer] = []
        let flush = { @Sendable (batch: [Customer]) async throws -> Int in
            try await write { db in
                var created = 0
                for var customer in batch {
                    customer.details.contacts = ContactIdentity.identifyingNew(customer.details.contacts)
                    if try Self.insertCustomerIgnoringDuplicates(customer, db) {
                        created += 1
                        try enqueue(CustomerRegistered(customer: customer.snapshot, customerVersion: customer.version), db)
                    }
                }
                return created
            }
        }
        while let record = try reader.nextImportRecord() {
            report.rowsRead += 1
            switch mapper.map(record) {
            case .success(let draft):
                // Consecutive rows of one customer number carry its further contacts.
                if var last = batch.last, last.details.customerNumber == draft.customerNumber {
                    last.details.contacts += draft.contacts
                    do {
                        last.details = try last.details.validated()
                        batch[batch.count - 1] = last
                    } catch {
                        report.reject(CSVRejection(line: record.line, error: CustomerCSVRow.renamingField(error)))
                    }
                    continue
                }
                if batch.count >= Self.importBatchSize {
                    let created = try await flush(batch)
                    report.created += created
                    report.alreadyPresent += batch.count - created
                    batch.removeAll(keepingCapacity: true)
                    progress(report)
                }
                let now = self.now()
                batch.append(Customer(id: TimeOrderedID.make(), details: draft, credit: [], creditLimitExceeded: false, createdAt: now, updatedAt: now))
            case .failure(let rejection):
                report.reject(rejection)
            }
        }
        if !batch.isEmpty {
            let created = try await flush(batch)
            report.created += created
            report.alreadyPresent += batch.count - created
            progress(report)
        }
        return report
    }

    static func insertCustomerIgnoringDuplicates(_ customer: Customer, _ db: Database) throws -> Bool {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO customer (number, legal_name, segment, risk_category, strategic, tags, time_zone, currency,
                payment_terms, credit_limit_minor, details, created_at, updated_at, id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: columns(of: customer.details) + [timestamp(customer.createdAt), timestamp(customer.updatedAt), customer.id])
        return db.changesCount > 0
    }

    /// Options of an invoice import.
    public struct InvoiceImportOptions: Sendable, Hashable {
        /// From when imported invoices may be reminded about when the CSV's `dunningStartsOn`
        /// is blank. Default: the import day.
        public var defaultDunningStart: DunningStartDefault
        /// The time zone "the import day" is taken in. Default: Europe/Paris (the business
        /// time zone, configuration `business.timezone`).
        public var timeZone: TimeZoneIdentifier

        public init(defaultDunningStart: DunningStartDefault = .importDay, timeZone: TimeZoneIdentifier = .paris) {
            self.defaultDunningStart = defaultDunningStart
            self.timeZone = timeZone
        }
    }

    /// The `dunningStartsOn` of imported invoices when the CSV does not give one.
    public enum DunningStartDefault: Sendable, Hashable {
        /// The day of the import: history never triggers reminders retroactively, and open
        /// items are reminded about from now on.
        case importDay
        /// A fixed day, e.g. the day reminders go live.
        case fixed(CalendarDate)
    }

    /// Imports invoices from CSV (columns in `InvoiceCSVRow`) as a sync with the creditor's
    /// ERP, streaming, in transactions of ``importBatchSize`` rows. Each row is matched by
    /// invoice number:
    ///
    /// - a new number is inserted (`origin` `imported`) with the ERP's state: what was paid is
    ///   an allocation dated `lastPaymentDate`, what was settled otherwise is written off
    ///   (``InvoiceSyncPlan``). It publishes `invoice.issued` (with that `status` and
    ///   `balance`), and, when nothing is left open, `invoice.settled` (cause `sync`) and
    ///   `invoice.paid` if it is paid: a settled import is never published open;
    /// - an existing number (same customer and total, else rejected) takes the difference
    ///   through the ledger: more paid is a payment (`invoice.balance-changed` cause
    ///   `allocation`, `invoice.settled` cause `sync` when it settles), a balance settled
    ///   otherwise is written off, the dispute flag opens or resolves a dispute. A row that
    ///   changes nothing publishes nothing: importing a file twice is a no-op.
    ///
    /// Payments the ERP does not date are dated the due date (or the import day, if earlier):
    /// they count as paid on time. Rows naming an unknown customer, failing validation or with
    /// figures that do not add up are rejected with their line.
    /// - Parameters:
    ///   - options: The default `dunningStartsOn` and the import day's time zone.
    ///   - progress: called after each committed batch with the report so far.
    /// - Throws: `InvoicingError` `.missingColumn`/`.malformedCSV` for an unusable file.
    public func importInvoices(from reader: CSVReader, options: InvoiceImportOptions = InvoiceImportOptions(),
                               progress: @Sendable (ImportReport) -> Void = { _ in }) async throws -> ImportReport {
        guard let header = try reader.nextImportRecord() else { return ImportReport() }
        let mapper = try InvoiceCSVRow(header: header)
        var report = ImportReport()
        var customers: [String: IssuingCustomer] = [:]
        var pending: [(line: Int, draft: InvoiceDraft, sync: InvoiceSyncFields)] = []
        var currencyCache: Currency?
        let importDay = CalendarDate(date: now(), in: TimeZone(identifier: options.timeZone.identifier) ?? .gmt)
        let defaultStart = switch options.defaultDunningStart {
        case .importDay: importDay
        case .fixed(let day): day
        }

        /// Validates a batch and encodes its events, outside any transaction.
        func prepare() async throws -> [PreparedInvoice] {
            let unknownNumbers = Set(pending.map(\.draft.customerNumber)).filter { customers[$0] == nil }
            if !unknownNumbers.isEmpty {
                let found = try await writer.read { db in
                    try Row.fetchAll(db, sql: "\(IssuingCustomer.select) WHERE number IN (\(databaseQuestionMarks(count: unknownNumbers.count)))",
                                     arguments: StatementArguments(Array(unknownNumbers)))
                        .map { (number: $0["number"] as String, customer: try IssuingCustomer(row: $0)) }
                }
                for (number, customer) in found { customers[number] = customer }
            }
            let now = self.now()
            var prepared: [PreparedInvoice] = []
            prepared.reserveCapacity(pending.count)
            for (line, draft, sync) in pending {
                guard let customer = customers[draft.customerNumber] else {
                    report.reject(CSVRejection(line: line, error: InvoicingError(.notFound, "no customer with number '\(draft.customerNumber)'", field: "customerNumber")))
                    continue
                }
                guard !customer.isProspect else {
                    report.reject(CSVRejection(line: line, error: InvoicingError(
                        .invalidState, "'\(draft.customerNumber)' is a prospect: sign it (POST /v1/customers/{id}/sign) before invoicing it",
                        field: "customerNumber")))
                    continue
                }
                do {
                    let invoice = try draft.validate(terms: customer.terms)
                    let id = TimeOrderedID.make()
                    let paymentDay = sync.lastPaymentDate ?? min(invoice.dueDate, importDay)
                    // The state a new invoice enters with; a failure only matters if the number is new.
                    let opening = InvoiceLedger(total: invoice.total.minorUnits, paid: 0, credited: 0, writtenOff: 0, voided: 0,
                                                open: invoice.total.minorUnits, status: .open)
                    var entry: Result<InvoiceEntry, InvoicingError>
                    do throws(InvoicingError) {
                        let plan = sync.movesMoney ? try InvoiceSyncPlan.plan(from: opening, sync, number: invoice.number) : nil
                        entry = .success(InvoiceEntry(
                            origin: .imported, dunningStartsOn: sync.dunningStartsOn ?? defaultStart,
                            ledger: plan?.movesMoney == true ? plan?.ledger : nil, paidOn: paymentDay))
                    } catch {
                        entry = .failure(error)
                    }
                    let envelope: Envelope? = if case .success(let entry) = entry {
                        try Envelope(Self.issuedEvent(id: id, customer: customer, invoice, entry: entry, payee: payee), source: source, time: now)
                    } else {
                        nil
                    }
                    prepared.append(PreparedInvoice(
                        line: line, id: id, customer: customer, invoice: invoice, sync: sync, entry: entry, envelope: envelope,
                        paymentDay: paymentDay, importDay: importDay, createdAt: now))
                } catch let error as InvoicingError {
                    // Only `validate` throws this before the entry: the row is unusable either way.
                    report.reject(CSVRejection(line: line, error: error))
                }
            }
            pending.removeAll(keepingCapacity: true)
            return prepared
        }

        // Two stages on two cores: while one batch is committed (SQLite), the next is read,
        // validated and encoded. At most one commit is in flight, so memory stays bounded.
        try await withThrowingTaskGroup(of: BatchOutcome.self) { commits in
            var inFlight = false
            func collect() async throws {
                guard inFlight, let outcome = try await commits.next() else { return }
                inFlight = false
                report.add(outcome)
                for rejection in outcome.rejections { report.reject(rejection) }
                for change in outcome.disputes {
                    do {
                        if change.disputed {
                            _ = try await openDispute(invoiceId: change.invoiceId, reason: "disputed in the ERP (import line \(change.line))")
                            report.changes.disputesOpened += 1
                        } else {
                            _ = try await resolveDispute(invoiceId: change.invoiceId, resolution: "no longer disputed in the ERP (import line \(change.line))")
                            report.changes.disputesResolved += 1
                        }
                    } catch let error as InvoicingError {
                        if change.onlyChange { report.updated -= 1 }
                        report.reject(CSVRejection(line: change.line, error: InvoicingError(error.code, error.reason, field: "disputed")))
                    }
                }
                report.alreadyPresent = report.updated + report.unchanged
                progress(report)
            }
            func submit() async throws {
                let batch = try await prepare()
                try await collect()
                commits.addTask { try await commit(batch) }
                inFlight = true
            }
            while let record = try reader.nextImportRecord() {
                report.rowsRead += 1
                switch mapper.mapLine(record, currencyCache: &currencyCache) {
                case .success(let row): pending.append((record.line, row.draft, row.sync))
                case .failure(let rejection): report.reject(rejection)
                }
                if pending.count >= Self.importBatchSize { try await submit() }
            }
            if !pending.isEmpty { try await submit() }
            try await collect()
        }
        return report
    }

    /// An invoice row ready to insert or sync, with its `invoice.issued` envelope (used if new).
    struct PreparedInvoice: Sendable {
        let line: Int
        let id: String
        let customer: IssuingCustomer
        let invoice: ValidatedInvoice
        let sync: InvoiceSyncFields
        /// How the invoice enters the ledger if its number is new, or why it cannot.
        let entry: Result<InvoiceEntry, InvoicingError>
        let envelope: Envelope?
        /// The value date of a payment the sync records.
        let paymentDay: CalendarDate
        let importDay: CalendarDate
        let createdAt: Date
    }

    /// What committing a batch did.
    struct BatchOutcome: Sendable {
        var inserted = 0
        var updated = 0
        var unchanged = 0
        var changes = ImportReport.Changes()
        var rejections: [CSVRejection] = []
        /// Disputes to open or resolve once the batch is committed.
        var disputes: [DisputeFlagChange] = []
    }

    /// A dispute flag that differs from the invoice's.
    struct DisputeFlagChange: Sendable {
        let line: Int
        let invoiceId: String
        let disputed: Bool
        /// Whether the row changed nothing else (it is not `updated` if this fails).
        let onlyChange: Bool
    }

    /// Inserts or syncs a prepared batch in one transaction.
    private func commit(_ batch: [PreparedInvoice]) async throws -> BatchOutcome {
        try await write { db in
            var outcome = BatchOutcome()
            var touched: Set<String> = []
            for item in batch {
                guard case .success(let entry) = item.entry, var envelope = item.envelope else {
                    if try Self.isInvoiceNumberUsed(item.invoice.number, db) {
                        try syncExisting(item, &outcome, db)
                    } else if case .failure(let error) = item.entry {
                        outcome.rejections.append(CSVRejection(line: item.line, error: error))
                    }
                    continue
                }
                if try !Self.insertInvoice(id: item.id, customerId: item.customer.id, item.invoice, entry: entry, createdAt: item.createdAt, orIgnore: true, db) {
                    // The number exists (a re-import, a sync), or, rarely, another invoice holds
                    // the RF reference; then the invoice takes the next unused one.
                    if try Self.isInvoiceNumberUsed(item.invoice.number, db) {
                        try syncExisting(item, &outcome, db)
                        continue
                    }
                    let invoice = try Self.withUnusedPaymentReference(item.invoice, db)
                    try Self.insertInvoice(id: item.id, customerId: item.customer.id, invoice, entry: entry, createdAt: item.createdAt, db)
                    envelope = try Envelope(Self.issuedEvent(id: item.id, customer: item.customer, invoice, entry: entry, payee: payee), source: source,
                                            time: item.createdAt, id: envelope.id)
                }
                outcome.inserted += 1
                touched.insert(item.customer.id)
                try Outbox.enqueue(envelope, on: InvoiceIssued.topic, in: db)
                if let ledger = entry.ledger {
                    try recordImportedState(item, ledger, &outcome, db)
                }
                if item.sync.disputed == true {
                    outcome.disputes.append(DisputeFlagChange(line: item.line, invoiceId: item.id, disputed: true, onlyChange: false))
                }
                if !item.invoice.instalments.isEmpty {
                    try enqueue(InvoiceScheduleSet(customerId: item.customer.id, invoiceId: item.id, number: item.invoice.number,
                                                   instalments: item.invoice.instalments, dueDate: item.invoice.dueDate, cause: "paymentTerms"), db)
                }
            }
            // Customers who asked for it get their open credit applied to the new open invoices
            // (oldest first, like issueInvoice), in this transaction; most have no credit.
            let disputedNew = Set(outcome.disputes.filter(\.disputed).map(\.invoiceId))
            for customerId in touched {
                if let day = batch.first?.importDay,
                   try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM credit_item WHERE customer_id = ? AND open_minor > 0)"),
                                     arguments: [customerId]) == true {
                    try autoApplyCredit(customerId: customerId, currency: nil, day: day, excluding: disputedNew, db)
                }
                try checkCreditLimit(customerId: customerId, db)
            }
            return outcome
        }
    }

    /// Records what a new imported invoice's ledger says happened before the import: the
    /// money received as an allocation (so that payment behaviour and reversals see it), and,
    /// when nothing is left open, `invoice.settled` (cause `sync`) and `invoice.paid`.
    private func recordImportedState(_ item: PreparedInvoice, _ ledger: InvoiceLedger, _ outcome: inout BatchOutcome, _ db: Database) throws {
        let currency = item.invoice.currency
        if ledger.paid > 0 {
            try Self.insertSyncAllocation(invoiceId: item.id, customerId: item.customer.id, currency: currency, amount: ledger.paid, on: item.paymentDay, db)
        }
        guard ledger.open == 0 else { return }
        outcome.changes.settled += 1
        let settledOn = ledger.paid > 0 ? item.paymentDay : item.importDay
        try enqueue(InvoiceSettled(
            customerId: item.customer.id, invoiceId: item.id, number: item.invoice.number, cause: .sync, settledOn: settledOn,
            status: ledger.status, totalAmount: item.invoice.total, paidAmount: Money(minorUnits: ledger.paid, currency: currency),
            creditedAmount: .zero(currency), writtenOffAmount: Money(minorUnits: ledger.writtenOff, currency: currency),
            voidedAmount: .zero(currency), paymentId: nil, creditNoteId: nil), db)
        if ledger.status == .paid {
            try enqueue(InvoicePaid(customerId: item.customer.id, invoiceId: item.id, number: item.invoice.number,
                                    totalAmount: item.invoice.total, paidOn: item.paymentDay), db)
        }
    }

    /// Brings an existing invoice to what the row says, through the ledger; counts the row as
    /// updated, unchanged or rejected.
    private func syncExisting(_ item: PreparedInvoice, _ outcome: inout BatchOutcome, _ db: Database) throws {
        let number = item.invoice.number
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT id, customer_id, currency, total_minor, disputed FROM invoice WHERE number = ?
            """), arguments: [number]) else { return }
        func reject(_ error: InvoicingError) { outcome.rejections.append(CSVRejection(line: item.line, error: error)) }
        let id: String = row["id"]
        guard row["customer_id"] == item.customer.id else {
            return reject(InvoicingError(.invalidField, "invoice \(number) belongs to another customer here; a sync does not move invoices between customers", field: "customerNumber"))
        }
        guard row["currency"] == item.invoice.currency.code, row["total_minor"] == item.invoice.total.minorUnits else {
            return reject(InvoicingError(.invalidField, """
                the total in the file (\(item.invoice.total)) differs from invoice \(number)'s here; a sync does not change totals: \
                issue a credit note for the difference
                """, field: "total"))
        }
        let (ledger, _) = try Self.ledger(invoiceId: id, db)
        let plan: InvoiceSyncPlan
        do throws(InvoicingError) {
            plan = try InvoiceSyncPlan.plan(from: ledger, item.sync, number: number)
        } catch {
            return reject(error)
        }
        let storedDisputed: Bool = row["disputed"]
        let dispute = item.sync.disputed.flatMap { $0 == storedDisputed ? nil : $0 }
        if dispute == true && !plan.ledger.status.isOpen {
            return reject(InvoicingError(.invalidField, "invoice \(number) is \(plan.ledger.status.rawValue): only open invoices can be disputed", field: "disputed"))
        }
        guard plan.movesMoney || dispute != nil else {
            outcome.unchanged += 1
            return
        }
        outcome.updated += 1
        if let dispute {
            outcome.disputes.append(DisputeFlagChange(line: item.line, invoiceId: id, disputed: dispute, onlyChange: !plan.movesMoney))
        }
        var invoice = try Self.requireInvoice(id: id, db)
        for move in plan.moves {
            switch move {
            case .payment(let amount):
                let paymentId = try Self.insertSyncAllocation(
                    invoiceId: id, customerId: invoice.customerId, currency: invoice.currency, amount: amount, on: item.paymentDay, db)
                invoice = try moveBalance(of: invoice, BalanceMove(
                    move: move, balanceChangedCause: "allocation", settlementCause: .sync, day: item.paymentDay, paymentId: paymentId), db)
                outcome.changes.payments += 1
            default:
                let amount = invoice.balance.minorUnits - plan.ledger.open
                try enqueue(InvoiceWrittenOff(
                    customerId: invoice.customerId, invoiceId: id, number: number, amount: Money(minorUnits: amount, currency: invoice.currency),
                    reason: "settled in the ERP (import line \(item.line))", category: WriteOffCategory.other.rawValue,
                    remainingBalance: Money(minorUnits: plan.ledger.open, currency: invoice.currency)), db)
                invoice = try moveBalance(of: invoice, BalanceMove(
                    move: move, balanceChangedCause: "writeOff", settlementCause: .sync, day: item.importDay), db)
                outcome.changes.writeOffs += 1
            }
        }
        if ledger.open > 0 && plan.ledger.open == 0 { outcome.changes.settled += 1 }
    }

    /// Records money the ERP received as an allocation of a payment named after it.
    /// - Returns: The payment id (`sync-<allocation id>`).
    @discardableResult
    static func insertSyncAllocation(invoiceId: String, customerId: String, currency: Currency, amount: Int64, on day: CalendarDate, _ db: Database) throws -> String {
        let allocationId = "sync-" + TimeOrderedID.make()
        try db.cachedStatement(sql: """
            INSERT INTO allocation (allocation_id, payment_id, invoice_id, customer_id, currency, applied_minor, excess_minor, value_date)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?)
            """).execute(arguments: [allocationId, allocationId, invoiceId, customerId, currency.code, amount, day.description])
        return allocationId
    }
}
