import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceKit

extension PaymentMatchingAPI {
    /// - `POST /v1/statements[?format=F&fileName=N]`: the bank file as the body (any content
    ///   type; up to ``Configuration/maximumStatementSize``) → 201 ``StatementImportResult``,
    ///   `Location: /v1/imports/{id}`. The format is detected unless given. One import is one
    ///   transaction; uploading a file again adds no payment twice (the summary counts
    ///   duplicates), so uploads need no `Idempotency-Key`.
    /// - `GET /v1/imports` (newest first, `limit`, `cursor`), `GET /v1/imports/{id}`.
    func addStatementRoutes(to v1: RouterGroup<RelanceRequestContext>) {
        let database = self.database
        v1.post("statements") { request, context -> Response in
            var format: StatementFormat?
            if let text = APISupport.formattedQuery("format", request) {
                guard let given = StatementFormat(rawValue: text) else {
                    throw APISupport.badParameter(
                        "format", "'\(text)' is not a format; give one of \(StatementFormat.allCases.map(\.rawValue).joined(separator: ", ")) or leave it out to detect it")
                }
                format = given
            }
            let fileName = APISupport.query("fileName", request)
            if let fileName, fileName.count > 255 {
                throw APISupport.badParameter("fileName", "at most 255 characters")
            }
            let (url, size) = try await APISupport.spool(
                request, maximumSize: configuration.maximumStatementSize, into: configuration.temporaryDirectory, fileExtension: "statement")
            defer { try? FileManager.default.removeItem(at: url) }
            guard size > 0 else {
                throw PaymentMatchingError(.unreadableStatement, "the body is empty; send the bank file as the body")
            }
            let result = try await database.importStatement(StatementUpload(
                file: url, fileName: fileName, format: format, csvMapping: configuration.csvMapping, origin: "upload"))
            Self.logImport(result, bytes: size, logger: logger)
            return try APISupport.json(result, status: .created, headers: [.location: "/v1/imports/\(result.importId)"], context: context)
        }
        v1.get("imports") { request, context -> Response in
            let page = try APISupport.pageRequest(request)
            return try APISupport.json(try await database.imports(page: page), context: context)
        }
        v1.get("imports/{id}") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard let result = try await database.importResult(id: id) else {
                throw PaymentMatchingError(.notFound, "no statement import with id \(id)")
            }
            return try APISupport.json(result, context: context)
        }
    }

    /// One info line per import: figures only, no payer data.
    static func logImport(_ result: StatementImportResult, bytes: Int64, logger: Logger) {
        let summary = result.summary
        logger.info("statement imported", metadata: [
            "relance.import.id": "\(result.importId)", "relance.import.format": "\(result.format)",
            "relance.import.origin": "\(result.origin)", "relance.import.bytes": "\(bytes)",
            "relance.import.entries": "\(summary.entriesRead)", "relance.import.payments": "\(summary.paymentsCreated)",
            "relance.import.matched": "\(summary.matched)", "relance.import.partly_matched": "\(summary.partlyMatched)",
            "relance.import.unmatched": "\(summary.unmatched)", "relance.import.duplicates": "\(summary.duplicatesSkipped)",
            "relance.import.reversals": "\(summary.reversals)", "relance.import.warnings": "\(result.warnings.count)",
        ])
    }
}
