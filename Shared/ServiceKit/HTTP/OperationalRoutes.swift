import Hummingbird
import Logging
import Prometheus

/// The open operational routes: `/health/live`, `/health/ready`, `/metrics`.
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
}
