import Events
import Foundation
import GRDB
import Hummingbird
import Logging
import Prometheus
import Storage

/// The operational routes: the open `/health/live`, `/health/ready`, `/metrics`, and the
/// outbox operator routes under `/ops/` (behind the API key like every non-health route).
public enum OperationalRoutes {
    struct Status: ResponseEncodable {
        let status: String
        let checks: [String: String]
    }

    /// Adds the routes to a router.
    public static func add<Context: RequestContext>(
        to router: Router<Context>, checks: [HealthCheck], registry: PrometheusCollectorRegistry?
    ) {
        router.get("/health/live") { _, _ in Status(status: "up", checks: [:]) }
        router.get("/health/ready") { request, context -> Response in
            var results: [String: String] = [:]
            var ready = true
            for check in checks {
                do {
                    try await check.check()
                    results[check.name] = "up"
                } catch {
                    // The route is open: keep error details (hosts, driver messages) in the log.
                    ready = false
                    results[check.name] = "down"
                    context.logger.warning("readiness check failed", metadata: ["relance.check": "\(check.name)", "relance.error": "\(error)"])
                }
            }
            var response = try context.responseEncoder.encode(
                Status(status: ready ? "up" : "down", checks: results), from: request, context: context)
            response.status = ready ? .ok : .serviceUnavailable
            return response
        }
        if let registry {
            router.get("/metrics") { _, _ -> Response in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                    body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
            }
        }
    }

    /// A parked outbox row as the operator routes show it.
    struct ParkedRow: ResponseEncodable {
        let sequence: Int64
        let eventId: String
        let type: String
        let topic: String
        let key: String
        let size: Int
        let reason: String
        let blockedBy: Int64?
        let parkedAt: String

        init(_ row: ParkedOutboxRow) {
            sequence = row.sequence
            eventId = row.eventId
            type = row.type
            topic = row.topic
            key = row.key
            size = row.size
            reason = row.reason
            blockedBy = row.blockedBy
            parkedAt = EventJSON.formatInstant(row.parkedAt)
        }
    }

    struct ParkedPage: ResponseEncodable {
        /// Unresolved parked rows in all (refused and held), for the whole store.
        let total: Int
        let rows: [ParkedRow]
        /// The `after` to ask for the next page; absent on the last one.
        let next: Int64?
    }

    struct Resolution: ResponseEncodable {
        let requeued: Int
        let discarded: Int
    }

    /// Adds the outbox operator routes (they need the API key, like every route outside
    /// `/health/`, `/metrics` and `/openapi.json`):
    ///
    /// - `GET /ops/outbox/parked?after=SEQUENCE&limit=N` — parked rows waiting for an operator
    ///   (no payload), by sequence; `limit` 1...1000, default 100.
    /// - `POST /ops/outbox/parked/{sequence}/retry` — requeue a refused row (and the rows of
    ///   its key held behind it) at the end of the queue; 409 for a held row.
    /// - `DELETE /ops/outbox/parked/{sequence}` — discard a parked row for good; discarding a
    ///   refused row releases the rows held behind it.
    ///
    /// - Parameters:
    ///   - writer: the service's store.
    ///   - relay: woken after a requeue so the rows go at once; `nil` to wait for its poll.
    public static func addOutbox<Context: RequestContext>(to router: Router<Context>, writer: any DatabaseWriter, relay: OutboxRelay?) {
        router.get("/ops/outbox/parked") { request, _ -> ParkedPage in
            let query = request.uri.queryParameters
            var after: Int64?
            if let text = query.get("after") {
                guard let value = Int64(text) else { throw Problem.validation("after must be a sequence number", field: "after") }
                after = value
            }
            var limit = 100
            if let text = query.get("limit") {
                guard let value = Int(text), (1...1_000).contains(value) else {
                    throw Problem.validation("limit must be an integer from 1 to 1000", field: "limit")
                }
                limit = value
            }
            let (rows, total) = try await writer.read { [after, limit] db in
                (try Outbox.parkedRows(after: after, limit: limit, db), try Outbox.parkedCount(db))
            }
            return ParkedPage(total: total, rows: rows.map(ParkedRow.init), next: rows.count == limit ? rows.last?.sequence : nil)
        }
        router.post("/ops/outbox/parked/:sequence/retry") { _, context -> Resolution in
            let sequence = try parkedSequence(context)
            let resolution = try await resolving { try await writer.write { db in try Outbox.retryParked(sequence: sequence, db) } }
            if resolution.requeued > 0 { relay?.notify() }
            return Resolution(requeued: resolution.requeued, discarded: resolution.discarded)
        }
        router.delete("/ops/outbox/parked/:sequence") { _, context -> Resolution in
            let sequence = try parkedSequence(context)
            let resolution = try await resolving { try await writer.write { db in try Outbox.discardParked(sequence: sequence, db) } }
            if resolution.requeued > 0 { relay?.notify() }
            return Resolution(requeued: resolution.requeued, discarded: resolution.discarded)
        }
    }

    private static func parkedSequence(_ context: some RequestContext) throws(Problem) -> Int64 {
        guard let text = context.parameters.get("sequence"), let sequence = Int64(text) else {
            throw Problem.validation("the sequence in the path must be an integer", field: "sequence")
        }
        return sequence
    }

    /// Maps the operator functions' `StorageError`s to problems (404, 409).
    private static func resolving(_ body: () async throws -> ParkedOutboxResolution) async throws -> ParkedOutboxResolution {
        do {
            return try await body()
        } catch let error as StorageError where error.code == .parkedRowNotFound {
            throw Problem.notFound(error.reason)
        } catch let error as StorageError where error.code == .parkedRowWaiting {
            throw Problem.conflict(error.reason, code: "parkedRowWaiting")
        }
    }

    /// Serves a service's OpenAPI document at `/openapi.json` (open, like the health routes),
    /// read once; 503 with a problem when the build lacks it.
    /// - Parameter document: The document in the service's resource bundle.
    public static func addOpenAPIDocument<Context: RequestContext>(to router: Router<Context>, document url: URL?, logger: Logger) {
        let document = url.flatMap { try? Data(contentsOf: $0) }
        if document == nil {
            logger.error("the OpenAPI document is missing from the bundle; GET /openapi.json will answer 503")
        }
        router.get("openapi.json") { _, _ -> Response in
            guard let document else {
                throw Problem(status: .serviceUnavailable, type: "openapi-missing", title: "OpenAPI document unavailable",
                              detail: "the service was built without its OpenAPI document")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}
