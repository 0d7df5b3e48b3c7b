import Events
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Money
import ServiceKit

/// The scenario scheduler's HTTP API under `/v1` (API key required): scenarios (list, read,
/// YAML export, publish a new version), a customer's assignment and timeline, an invoice's
/// dunning state, tasks, promises, collection cases, the freshness hold, the preview and
/// charges calculators, the tick and the development clock; its OpenAPI document at
/// `/openapi.json`.
///
/// Errors are RFC 9457 problems. `POST`s honour an `Idempotency-Key` header.
public struct SchedulerAPI: Sendable {
    let database: SchedulerDatabase
    let logger: Logger
    /// Asks the ticker for a tick now (after the clock moved or a hold was lifted).
    let wakeTicker: @Sendable () -> Void

    public init(database: SchedulerDatabase, logger: Logger, wakeTicker: @escaping @Sendable () -> Void = {}) {
        self.database = database
        self.logger = logger
        self.wakeTicker = wakeTicker
    }

    /// Adds the routes to a router: `/openapi.json` (open) and everything under `/v1`.
    public func addRoutes(to router: Router<RelanceRequestContext>) {
        OperationalRoutes.addOpenAPIDocument(
            to: router, document: Bundle.module.url(forResource: "openapi", withExtension: "json"), logger: logger)
        let clock = database.clock
        let v1 = router.group("v1")
            .add(middleware: IdempotencyMiddleware(writer: database.writer, now: { clock.now() }))
            .add(middleware: SchedulerProblemMiddleware())
        addScenarioRoutes(to: v1)
        addDunningRoutes(to: v1)
        addToolRoutes(to: v1)
    }

    /// An identifier path or query value: 1 to 100 characters, counted as Unicode scalars as
    /// the OpenAPI document's `maxLength` counts them (not as grapheme clusters: "e" followed
    /// by 100 combining accents is one `Character`).
    static func identifier(_ value: String, name: String) throws -> String {
        guard (1...100).contains(value.unicodeScalars.count) else { throw APISupport.badParameter(name, "1 to 100 characters") }
        return value
    }

    /// An identifier in the path, percent-decoded (the router hands path segments over as
    /// they were sent: `%C3%A9`, not `é`), then checked like ``identifier(_:name:)``.
    /// - Throws: `Problem` 400 `invalidParameter` naming the parameter.
    static func pathIdentifier(_ context: RelanceRequestContext, _ name: String) throws -> String {
        let raw = try context.parameters.require(name)
        guard let decoded = raw.removingPercentEncoding else { throw APISupport.badParameter(name, "'\(raw)' is not valid percent-encoding") }
        return try identifier(decoded, name: name)
    }

    /// Whether a free text is 1 to `maximum` Unicode scalars with at least one that is not a
    /// space, tab, CR or LF (the document's `minLength`, `maxLength` and `pattern`).
    static func isFilledText(_ text: String, maximum: Int) -> Bool {
        (1...maximum).contains(text.unicodeScalars.count) && text.unicodeScalars.contains { !" \t\r\n".unicodeScalars.contains($0) }
    }
}
