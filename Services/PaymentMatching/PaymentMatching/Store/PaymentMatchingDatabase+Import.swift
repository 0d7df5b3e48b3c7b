import Events
import Foundation
import GRDB
import Money

extension PaymentMatchingDatabase {
    /// Imports a bank file in one transaction: reads it (format given or detected), creates a
    /// payment per new credit entry (batch bookings split into their transactions), matches
    /// each against the open invoices as it goes, applies reversals, and publishes
    /// `payment.received`, then `payment.allocated` / `payment.received-on-account` /
    /// `payment.unmatched` per payment, `payment.reversed` per undone allocation, and finally
    /// `statement.imported`.
    ///
    /// Nothing is half-imported: a file that breaks its format anywhere rolls everything back
    /// and the error says where. Importing the same file again, or an overlapping one, creates
    /// no payment twice (``PaymentIdentity``): the summary counts them as duplicates.
    /// - Throws: ``PaymentMatchingError`` `.unreadableStatement` (with the location in the
    ///   file) for a file that cannot be read; a database error otherwise.
    public func importStatement(_ upload: StatementUpload) async throws -> StatementImportResult {
        let reader: any StatementReader
        let format: StatementFormat
        do throws(StatementError) {
            if let given = upload.format {
                format = given
            } else {
                format = try StatementFormatDetector.detect(file: upload.file, hasCSVMapping: upload.csvMapping != nil)
            }
            reader = try ParseCommand.reader(for: format, mapping: upload.csvMapping)
        } catch {
            throw PaymentMatchingError(error)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: upload.file.path)[.size] as? Int64) ?? 0
        let importId = TimeOrderedID.make()
        let time = Self.timestamp(now())
        // The stored precision, so the answer equals what `GET /v1/imports/{id}` shows later.
        let importedAt = try Self.instant(time)
        let policy = engine.policy
        let result: StatementImportResult = try await write { db in
            try db.execute(sql: """
                INSERT INTO statement_import (id, file_name, format, file_size, origin, imported_at, statements, summary, warnings)
                VALUES (?, ?, ?, ?, ?, ?, '[]', '{}', '[]')
                """, arguments: [importId, upload.fileName, format.rawValue, size, upload.origin, time])
            var visitor = StatementImportVisitor(
                database: self, db: db, importId: importId, index: try Self.openItemIndex(policy: policy, db), time: time)
            do throws(StatementError) {
                try reader.read(upload.file, into: &visitor)
            } catch {
                if let failure = visitor.failure { throw failure }
                throw PaymentMatchingError(error)
            }
            let encoder = JSONEncoder()
            try db.execute(sql: "UPDATE statement_import SET statements = ?, summary = ?, warnings = ? WHERE id = ?", arguments: [
                try encoder.encode(visitor.statements), try encoder.encode(visitor.summary), try encoder.encode(visitor.warnings), importId,
            ])
            try self.enqueue(StatementImported(
                importId: importId, fileName: upload.fileName, format: format.rawValue, statements: visitor.statements,
                summary: visitor.summary), db)
            return StatementImportResult(
                importId: importId, fileName: upload.fileName, format: format.rawValue, origin: upload.origin, importedAt: importedAt,
                statements: visitor.statements, summary: visitor.summary, warnings: visitor.warnings)
        }
        return result
    }
}

extension PaymentMatchingError {
    /// The client's view of a file that cannot be read: where, and why.
    init(_ error: StatementError) {
        self.init(.unreadableStatement, "\(error.reason) (\(error.code.rawValue))", field: error.location)
    }
}
