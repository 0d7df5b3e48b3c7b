import Hummingbird
import Logging
import ServiceKit

/// The invoicing HTTP API (routes under `/v1`).
public struct InvoicingAPI: Sendable {
    let database: InvoicingDatabase
    let logger: Logger

    public init(database: InvoicingDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Adds the routes to a router.
    public func addRoutes(to router: Router<RelanceRequestContext>) {
        // Filled in by the HTTP layer.
    }
}
