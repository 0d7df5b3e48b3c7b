import Hummingbird
import Logging

/// Builds a service's Hummingbird application with the Relance middleware stack.
public enum HTTPServer {
    /// A router with problem+json errors and (unless disabled) API-key authentication.
    public static func makeRouter(settings: ServiceSettings) -> Router<RelanceRequestContext> {
        let router = Router(context: RelanceRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        if settings.authenticationEnabled {
            router.add(middleware: APIKeyMiddleware(keys: settings.apiKeys))
        }
        return router
    }

    /// The application serving the router on the configured host and port.
    public static func makeApplication(
        router: Router<RelanceRequestContext>, settings: ServiceSettings, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: router,
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "relance-\(settings.serviceName)"),
            logger: logger)
    }
}
