import Foundation
import Hummingbird
import Logging
import ServiceKit

/// The payment-matching HTTP API under `/v1` (API key required): statement uploads and their
/// import summaries, the payments and the unmatched queue, the decisions a person takes
/// (allocate, not a customer payment, undo), the invoices a payment can be allocated to; and
/// its OpenAPI document at `/openapi.json`.
///
/// Bodies are JSON with Relance's conventions; errors are RFC 9457 problems whose `code` is
/// the ``PaymentMatchingError`` code. The decisions (`POST`s on a payment) honour an
/// `Idempotency-Key` header (ServiceKit's `IdempotencyMiddleware`, keys in the store's shared
/// `idempotency_key` table): a retry gets the first answer back instead of deciding twice.
public struct PaymentMatchingAPI: Sendable {
    let database: PaymentMatchingDatabase
    let logger: Logger
    let configuration: Configuration

    /// Creates the API over a store.
    public init(database: PaymentMatchingDatabase, logger: Logger, configuration: Configuration = Configuration()) {
        self.database = database
        self.logger = logger
        self.configuration = configuration
    }

    /// Adds the routes to a router: `/openapi.json` (open) and everything under `/v1`.
    public func addRoutes(to router: Router<RelanceRequestContext>) {
        OperationalRoutes.addOpenAPIDocument(
            to: router, document: Bundle.module.url(forResource: "openapi", withExtension: "json"), logger: logger)
        // Idempotency above the problem middleware, so the stored answers are the final problems.
        let v1 = router.group("v1")
            .add(middleware: IdempotencyMiddleware(writer: database.writer, now: database.now, isStreamedUpload: Self.isStreamedUpload))
            .add(middleware: PaymentMatchingProblemMiddleware())
        addStatementRoutes(to: v1)
        addPaymentRoutes(to: v1)
    }

    /// Whether a request is a streamed upload, which `Idempotency-Key` leaves alone: a
    /// statement upload streams its body and is idempotent by payment identity.
    @Sendable static func isStreamedUpload(_ request: Request) -> Bool {
        request.uri.path == "/v1/statements"
    }
}
