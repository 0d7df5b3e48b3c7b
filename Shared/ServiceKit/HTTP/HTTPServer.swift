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

    /// The application serving the router on the configured host and port; a routed path
    /// asked with another method answers 405 with `Allow` (``MethodAwareRouter``).
    /// - Parameter router: The router with every route added.
    public static func makeApplication(
        router: Router<RelanceRequestContext>, settings: ServiceSettings, logger: Logger
    ) -> some ApplicationProtocol {
        Application(
            router: MethodAwareRouter(router),
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort), serverName: "relance-\(settings.serviceName)"),
            logger: logger)
    }
}
