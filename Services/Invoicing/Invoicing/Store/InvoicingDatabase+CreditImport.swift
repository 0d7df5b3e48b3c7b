import CSV
import Events
import Foundation
import GRDB
import Money
import Storage

/// Credit notes and on-account credit imported from the creditor's ERP, as a sync: a row
/// whose credit note number (or customer and reference) exists and says the same is
/// `unchanged`, one that says something else is rejected (a sync never rewrites a document:
/// the ERP issues another), a new one goes through the same store functions as the API.
extension InvoicingDatabase {
    /// Imports credit notes from CSV (columns in ``CreditNoteCSVRow``), streaming, in
    /// transactions of ``importBatchSize`` rows. A new number is issued like through the API:
    /// against its invoice (`invoiceNumber`: what the open balance absorbs, the rest becomes
    /// credit) or standalone (all credit), publishing what ``issueCreditNote(invoiceId:_:)``
    /// and ``issueStandaloneCreditNote(_:)`` publish, credit applied automatically for
    /// customers with `autoApplyCredit`. Importing a file twice publishes nothing.
    /// - Parameter progress: called after each committed batch with the report so far.
    /// - Returns: `created`, `unchanged` (numbers already here with the same content) and
    ///   `rejected` lines (unknown customer or invoice, another customer's invoice, a number
    ///   here with different content, a closed invoice, notes beyond the invoice's total...).
    /// - Throws: `InvoicingError` `.missingColumn`/`.malformedCSV` for an unusable file.
    public func importCreditNotes(from reader: CSVReader, progress: @Sendable (ImportReport) -> Void = { _ in }) async throws -> ImportReport {
        guard let header = try reader.nextImportRecord() else { return ImportReport() }
        let mapper = try CreditNoteCSVRow(header: header)
        return try await importBatches(reader, progress: progress, map: { record, cache in mapper.map(record, currencyCache: &cache) },
                                       commit: { lines, db in try self.commitCreditNotes(lines, db) })
    }

    /// Imports on-account credit from CSV (columns in ``CustomerCreditCSVRow``): money the
    /// ERP received from a customer and did not allocate to an invoice. Each new (customer,
    /// reference) becomes a `paymentOnAccount` credit item (`customer.credit-changed`, cause
    /// `paymentOnAccount`), applied at once for customers with `autoApplyCredit`; the same
    /// pair with the same amount, currency and date is `unchanged`, with others rejected.
    /// - Parameter progress: called after each committed batch with the report so far.
    /// - Throws: `InvoicingError` `.missingColumn`/`.malformedCSV` for an unusable file.
    public func importCustomerCredit(from reader: CSVReader, progress: @Sendable (ImportReport) -> Void = { _ in }) async throws -> ImportReport {
        guard let header = try reader.nextImportRecord() else { return ImportReport() }
        let mapper = try CustomerCreditCSVRow(header: header)
        return try await importBatches(reader, progress: progress, map: { record, cache in mapper.map(record, currencyCache: &cache) },
                                       commit: { lines, db in try self.commitCustomerCredit(lines, db) })
    }

    /// Reads, maps and commits a CSV in batches of ``importBatchSize`` lines, one transaction
    /// each; memory stays bounded whatever the file size.
    func importBatches<Line: Sendable>(
        _ reader: CSVReader, progress: @Sendable (ImportReport) -> Void,
        map: (CSVRecord, inout Currency?) -> Result<Line, CSVRejection>,
        commit: @escaping @Sendable ([Line], Database) throws -> BatchOutcome
    ) async throws -> ImportReport {
        var report = ImportReport()
        var batch: [Line] = []
        var currencyCache: Currency?
        func flush() async throws {
            let lines = batch
            batch.removeAll(keepingCapacity: true)
            let outcome = try await write { db in try commit(lines, db) }
            report.add(outcome)
            for rejection in outcome.rejections { report.reject(rejection) }
            report.alreadyPresent = report.updated + report.unchanged
            progress(report)
        }
        while let record = try reader.nextImportRecord() {
            report.rowsRead += 1
            switch map(record, &currencyCache) {
            case .success(let line): batch.append(line)
            case .failure(let rejection): report.reject(rejection)
            }
            if batch.count >= Self.importBatchSize { try await flush() }
        }
        if !batch.isEmpty { try await flush() }
        return report
    }

    private func commitCreditNotes(_ lines: [CreditNoteCSVRow.Line], _ db: Database) throws -> BatchOutcome {
        var outcome = BatchOutcome()
        var touched: Set<String> = []
        for line in lines {
            func reject(_ error: InvoicingError) { outcome.rejections.append(CSVRejection(line: line.line, error: error)) }
            let draft = line.draft
            if let stored = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT n.*, c.number AS customer_number, i.number AS invoice_number FROM credit_note n
                JOIN customer c ON c.id = n.customer_id LEFT JOIN invoice i ON i.id = n.invoice_id WHERE n.number = ?
                """), arguments: [draft.number]) {
                let note = try Self.creditNote(from: stored)
                var differences: [String] = []
                if stored["customer_number"] != line.customerNumber { differences.append("customer \(stored["customer_number"] as String)") }
                if stored["invoice_number"] as String? != line.invoiceNumber {
                    differences.append((stored["invoice_number"] as String?).map { "invoice \($0)" } ?? "no invoice (standalone)")
                }
                if note.amount != draft.amount { differences.append("amount \(note.amount)") }
                if note.netAmount != draft.netAmount || note.vatAmount != draft.vatAmount {
                    differences.append("net/VAT \(note.netAmount.map(\.description) ?? "none")/\(note.vatAmount.map(\.description) ?? "none")")
                }
                if note.reason != draft.reason { differences.append("another reason") }
                if note.issueDate != line.issueDate { differences.append("issue date \(note.issueDate)") }
                if differences.isEmpty {
                    outcome.unchanged += 1
                } else {
                    reject(InvoicingError(.duplicateNumber, """
                        credit note \(draft.number) exists here with \(differences.joined(separator: ", ")); a sync does not change credit \
                        notes: issue another one in the ERP for the difference
                        """, field: "number"))
                }
                continue
            }
            guard let customerId = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM customer WHERE number = ?"),
                                                       arguments: [line.customerNumber]) else {
                reject(InvoicingError(.notFound, "no customer with number '\(line.customerNumber)'", field: "customerNumber"))
                continue
            }
            var invoice: Invoice?
            if let invoiceNumber = line.invoiceNumber {
                guard let invoiceId = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM invoice WHERE number = ?"),
                                                          arguments: [invoiceNumber]) else {
                    reject(InvoicingError(.notFound, "no invoice with number '\(invoiceNumber)'", field: "invoiceNumber"))
                    continue
                }
                let found = try Self.requireInvoice(id: invoiceId, db)
                guard found.customerId == customerId else {
                    reject(InvoicingError(.invalidField, "invoice \(invoiceNumber) belongs to another customer", field: "invoiceNumber"))
                    continue
                }
                invoice = found
            }
            do {
                // A refused row leaves nothing behind: its writes are rolled back to here.
                try db.inSavepoint {
                    if let invoice {
                        _ = try issueCreditNote(draft, id: TimeOrderedID.make(), against: invoice, day: line.issueDate, db)
                    } else {
                        _ = try issueStandaloneCreditNote(draft, id: TimeOrderedID.make(), customerId: customerId, day: line.issueDate, db)
                    }
                    return .commit
                }
                outcome.inserted += 1
                touched.insert(customerId)
            } catch let error as InvoicingError {
                reject(error)
            }
        }
        for customerId in touched.sorted() {
            try checkCreditLimit(customerId: customerId, db)
        }
        return outcome
    }

    private func commitCustomerCredit(_ lines: [CustomerCreditCSVRow.Line], _ db: Database) throws -> BatchOutcome {
        var outcome = BatchOutcome()
        var touched: Set<String> = []
        for line in lines {
            func reject(_ error: InvoicingError) { outcome.rejections.append(CSVRejection(line: line.line, error: error)) }
            guard let customerId = try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM customer WHERE number = ?"),
                                                       arguments: [line.customerNumber]) else {
                reject(InvoicingError(.notFound, "no customer with number '\(line.customerNumber)'", field: "customerNumber"))
                continue
            }
            if let stored = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT * FROM credit_item WHERE customer_id = ? AND external_reference = ?
                """), arguments: [customerId, line.reference]) {
                let item = try Self.creditItem(from: stored)
                if item.amount == line.amount && item.createdOn == line.date {
                    outcome.unchanged += 1
                } else {
                    reject(InvoicingError(.duplicateNumber, """
                        customer \(line.customerNumber) has on-account credit \(line.reference) here for \(item.amount) on \(item.createdOn); \
                        a sync does not change it: give the ERP's new credit a reference of its own
                        """, field: "reference"))
                }
                continue
            }
            try insertCreditItem(customerId: customerId, amount: line.amount, source: .paymentOnAccount, reference: nil,
                                 externalReference: line.reference, day: line.date, db)
            try autoApplyCredit(customerId: customerId, currency: line.amount.currency, day: line.date, db)
            outcome.inserted += 1
            touched.insert(customerId)
        }
        for customerId in touched.sorted() {
            try checkCreditLimit(customerId: customerId, db)
        }
        return outcome
    }
}
