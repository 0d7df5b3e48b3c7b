import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The invoicing HTTP API: customers, invoices and their lifecycle, outstanding balances and
/// CSV imports under `/v1` (API key required), and its OpenAPI document at `/openapi.json`.
///
/// Bodies are JSON with Relance's conventions; errors are RFC 9457 problems whose `code` is
/// the ``InvoicingError`` code. Every JSON `POST` honours an `Idempotency-Key` header
/// (ServiceKit's `IdempotencyMiddleware`, keys in the store's shared `idempotency_key` table).
public struct InvoicingAPI: Sendable {
    let database: InvoicingDatabase
    let logger: Logger
    let configuration: Configuration

    /// Creates the API over a store.
    /// - Parameters:
    ///   - database: The invoicing store.
    ///   - logger: Where import progress and failures go.
    ///   - configuration: Limits of the API. Default: ``Configuration/init(maximumImportSize:temporaryDirectory:)``'s defaults.
    public init(database: InvoicingDatabase, logger: Logger, configuration: Configuration = Configuration()) {
        self.database = database
        self.logger = logger
        self.configuration = configuration
    }

    /// Adds the routes to a router: `/openapi.json` (open) and everything under `/v1`.
    public func addRoutes(to router: Router<RelanceRequestContext>) {
        addOpenAPIRoute(to: router)
        let v1 = router.group("v1")
            .add(middleware: IdempotencyMiddleware(writer: database.writer, now: database.now, isStreamedUpload: Self.isStreamedUpload))
            .add(middleware: InvoicingProblemMiddleware())
        addCustomerRoutes(to: v1)
        addInvoiceRoutes(to: v1)
        addDunningHoldRoutes(to: v1)
        addImportRoutes(to: v1)
        addCreditRoutes(to: v1)
        addQuoteRoutes(to: v1)
    }

    /// Whether a request is a streamed upload, which `Idempotency-Key` leaves alone: `text/csv`
    /// imports stream their body and are idempotent by invoice number.
    @Sendable static func isStreamedUpload(_ request: Request) -> Bool {
        request.headers[.contentType].map(ContentType.isCSV) ?? false
    }

    /// Serves the bundled OpenAPI document.
    private func addOpenAPIRoute(to router: Router<RelanceRequestContext>) {
        OperationalRoutes.addOpenAPIDocument(
            to: router, document: Bundle.module.url(forResource: "openapi", withExtension: "json"), logger: logger)
    }
}
