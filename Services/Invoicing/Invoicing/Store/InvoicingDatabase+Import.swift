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
        guard let header = try reader.nextRecord() else { return ImportReport() }
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
                        try enqueue(CustomerRegistered(customer: customer.snapshot), db)
                    }
                }
                return created
            }
        }
        while let record = try reader.nextRecord() {
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

    /// Imports invoices from CSV (columns in `InvoiceCSVRow`), streaming, in transactions of
    /// ``importBatchSize`` rows. Each row is validated against its customer's terms; rows
    /// naming an unknown customer are rejected; rows whose number exists are skipped. Each
    /// created invoice publishes `invoice.issued`.
    /// - Parameter progress: called after each committed batch with the report so far.
    /// - Throws: `InvoicingError` `.missingColumn`/`.malformedCSV` for an unusable file.
    public func importInvoices(from reader: CSVReader, progress: @Sendable (ImportReport) -> Void = { _ in }) async throws -> ImportReport {
        guard let header = try reader.nextRecord() else { return ImportReport() }
        let mapper = try InvoiceCSVRow(header: header)
        var report = ImportReport()
        var customers: [String: (id: String, terms: PaymentTerms, lateInterest: Int?)] = [:]
        var pending: [(line: Int, draft: InvoiceDraft)] = []
        var currencyCache: Currency?

        /// Validates a batch and encodes its events, outside any transaction.
        func prepare() async throws -> [PreparedInvoice] {
            let unknownNumbers = Set(pending.map(\.draft.customerNumber)).filter { customers[$0] == nil }
            if !unknownNumbers.isEmpty {
                let found = try await writer.read { db in
                    try Row.fetchAll(db, sql: "SELECT id, number, payment_terms, details FROM customer WHERE number IN (\(databaseQuestionMarks(count: unknownNumbers.count)))",
                                     arguments: StatementArguments(Array(unknownNumbers)))
                        .map { (number: $0["number"] as String, id: $0["id"] as String, terms: $0["payment_terms"] as String, details: $0["details"] as Data) }
                }
                for customer in found {
                    let details = try EventJSON.decode(CustomerDraft.self, from: customer.details)
                    customers[customer.number] = (customer.id, try PaymentTerms(parsing: customer.terms), details.lateInterestRateBasisPoints)
                }
            }
            let now = self.now()
            var prepared: [PreparedInvoice] = []
            prepared.reserveCapacity(pending.count)
            for (line, draft) in pending {
                guard let customer = customers[draft.customerNumber] else {
                    report.reject(CSVRejection(line: line, error: InvoicingError(.notFound, "no customer with number '\(draft.customerNumber)'", field: "customerNumber")))
                    continue
                }
                do {
                    let invoice = try draft.validate(terms: customer.terms)
                    let id = TimeOrderedID.make()
                    let event = Self.issuedEvent(id: id, customerId: customer.id, invoice, payee: payee, lateInterestRateBasisPoints: customer.lateInterest)
                    let envelope = try Envelope(event, source: source, time: now)
                    prepared.append(PreparedInvoice(id: id, customerId: customer.id, invoice: invoice, envelope: envelope, createdAt: now, issued: event))
                } catch let error as InvoicingError {
                    report.reject(CSVRejection(line: line, error: error))
                }
            }
            pending.removeAll(keepingCapacity: true)
            return prepared
        }

        // Two stages on two cores: while one batch is committed (SQLite), the next is read,
        // validated and encoded. At most one commit is in flight, so memory stays bounded.
        try await withThrowingTaskGroup(of: (created: Int, total: Int).self) { commits in
            var inFlight = false
            func collect() async throws {
                guard inFlight, let result = try await commits.next() else { return }
                inFlight = false
                report.created += result.created
                report.alreadyPresent += result.total - result.created
                progress(report)
            }
            func submit() async throws {
                let batch = try await prepare()
                try await collect()
                commits.addTask { (try await commit(batch), batch.count) }
                inFlight = true
            }
            while let record = try reader.nextRecord() {
                report.rowsRead += 1
                switch mapper.map(record, currencyCache: &currencyCache) {
                case .success(let draft): pending.append((record.line, draft))
                case .failure(let rejection): report.reject(rejection)
                }
                if pending.count >= Self.importBatchSize { try await submit() }
            }
            if !pending.isEmpty { try await submit() }
            try await collect()
        }
        return report
    }

    /// An invoice row ready to insert, with its `invoice.issued` envelope.
    struct PreparedInvoice: Sendable {
        let id: String
        let customerId: String
        let invoice: ValidatedInvoice
        let envelope: Envelope
        let createdAt: Date
        /// The event `envelope` carries, to re-encode with another RF reference.
        let issued: InvoiceIssued
    }

    /// Inserts a prepared batch in one transaction. - Returns: invoices created (numbers that
    /// existed are skipped, and publish nothing).
    private func commit(_ batch: [PreparedInvoice]) async throws -> Int {
        try await write { db in
            var created = 0
            var touched: Set<String> = []
            for item in batch {
                var envelope = item.envelope
                if try !Self.insertInvoice(id: item.id, customerId: item.customerId, item.invoice, createdAt: item.createdAt, orIgnore: true, db) {
                    // Skipped: the number exists (a re-import), or, rarely, another invoice holds
                    // the RF reference; then the invoice takes the next unused one.
                    guard try !Self.isInvoiceNumberUsed(item.invoice.number, db) else { continue }
                    let invoice = try Self.withUnusedPaymentReference(item.invoice, db)
                    try Self.insertInvoice(id: item.id, customerId: item.customerId, invoice, createdAt: item.createdAt, db)
                    var event = item.issued
                    event.paymentReference = invoice.creditorReference.electronicFormat
                    envelope = try Envelope(event, source: source, time: item.createdAt, id: item.envelope.id)
                }
                created += 1
                touched.insert(item.customerId)
                try Outbox.enqueue(envelope, on: InvoiceIssued.topic, in: db)
                if !item.invoice.instalments.isEmpty {
                    try enqueue(InvoiceScheduleSet(customerId: item.customerId, invoiceId: item.id, number: item.invoice.number,
                                                   instalments: item.invoice.instalments, dueDate: item.invoice.dueDate, cause: "paymentTerms"), db)
                }
            }
            for customerId in touched {
                try checkCreditLimit(customerId: customerId, db)
            }
            return created
        }
    }
}
