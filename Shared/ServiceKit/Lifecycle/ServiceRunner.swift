import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a process's services in one `ServiceGroup`: started in order (storage, producer,
/// outbox relay, consumers, HTTP), stopped in reverse on SIGTERM or SIGINT, within a bounded
/// graceful-shutdown time.
public enum ServiceRunner {
    /// Runs until a signal, or until a service fails.
    /// - Throws: the first service failure.
    public static func run(_ services: [any Service], shutdownTimeout: Duration, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        configuration.maximumGracefulShutdownDuration = shutdownTimeout
        try await ServiceGroup(configuration: configuration).run()
    }
}
