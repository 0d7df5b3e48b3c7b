import CSV
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

extension InvoicingAPI {
    /// Bulk CSV imports, `text/csv` bodies of any size up to
    /// ``Configuration/maximumImportSize`` (no JSON cap):
    /// - `POST /v1/imports/customers` (columns of ``CustomerCSVRow``) → 200 ``ImportReport``;
    /// - `POST /v1/imports/invoices` (columns of ``InvoiceCSVRow``) → 200 ``ImportReport``;
    /// - `POST /v1/imports/credit-notes` (columns of ``CreditNoteCSVRow``) → 200 ``ImportReport``;
    /// - `POST /v1/imports/customer-credit` (columns of ``CustomerCreditCSVRow``) → 200 ``ImportReport``;
    /// - `POST /v1/imports/orders` (columns of ``OrderCSVRow``) → 200 ``ImportReport``.
    ///
    /// The body is streamed to a temporary file chunk by chunk, never held in memory, then
    /// imported in batches and the file deleted. Re-importing a file changes nothing (rows
    /// whose number exists and say nothing new count as `unchanged`), so imports need no
    /// `Idempotency-Key`.
    func addImportRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        v1.post("imports/customers") { request, context -> Response in
            let report = try await self.importCSV(request, kind: "customers") { reader in
                try await database.importCustomers(from: reader)
            }
            return try Self.json(report, context: context)
        }
        v1.post("imports/invoices") { request, context -> Response in
            let report = try await self.importCSV(request, kind: "invoices") { reader in
                try await database.importInvoices(from: reader, options: .init(
                    defaultDunningStart: self.configuration.importDunningStart, timeZone: self.configuration.businessTimeZone))
            }
            return try Self.json(report, context: context)
        }
        v1.post("imports/credit-notes") { request, context -> Response in
            let report = try await self.importCSV(request, kind: "credit-notes") { reader in
                try await database.importCreditNotes(from: reader)
            }
            return try Self.json(report, context: context)
        }
        v1.post("imports/orders") { request, context -> Response in
            let settings = InvoicingDatabase.ExposureSettings(includeSentQuotes: self.configuration.exposureIncludesSentQuotes)
            let report = try await self.importCSV(request, kind: "orders") { reader in
                try await database.importOrders(from: reader, settings: settings)
            }
            return try Self.json(report, context: context)
        }
        v1.post("imports/customer-credit") { request, context -> Response in
            let report = try await self.importCSV(request, kind: "customer-credit") { reader in
                try await database.importCustomerCredit(from: reader)
            }
            return try Self.json(report, context: context)
        }
    }

    /// Spools a CSV body to a temporary file, runs the import on it and deletes the file.
    /// - Throws: `Problem` 415 for another content type, 413 beyond the maximum size;
    ///   `InvoicingError` for an unusable file.
    func importCSV(_ request: Request, kind: String, run: (CSVReader) async throws -> ImportReport) async throws -> ImportReport {
        guard let contentType = request.headers[.contentType], ContentType.isCSV(contentType) else {
            throw Problem(
                status: .unsupportedMediaType, type: "unsupported-media-type", title: "Unsupported media type",
                detail: "send the file as 'Content-Type: text/csv' (UTF-8, comma or semicolon separated)",
                code: "unsupportedMediaType", errors: [.init(field: "Content-Type", reason: "must be text/csv")])
        }
        let (url, size) = try await APISupport.spool(
            request, maximumSize: configuration.maximumImportSize, into: configuration.temporaryDirectory, fileExtension: "csv")
        defer { try? FileManager.default.removeItem(at: url) }

        let reader = try CSVReader.importFile(url)
        let report = try await run(reader)
        logger.info("import finished", metadata: [
            "relance.import.kind": "\(kind)", "relance.import.bytes": "\(size)", "relance.import.rows": "\(report.rowsRead)",
            "relance.import.created": "\(report.created)", "relance.import.already_present": "\(report.alreadyPresent)",
            "relance.import.updated": "\(report.updated)", "relance.import.unchanged": "\(report.unchanged)",
            "relance.import.rejected": "\(report.rejectedCount)",
        ])
        return report
    }
}
