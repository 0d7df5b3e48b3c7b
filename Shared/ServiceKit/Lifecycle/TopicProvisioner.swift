import Logging
import Messaging
import ServiceLifecycle
import Synchronization

/// Creates the topic catalog at start, retrying with backoff while the broker is
/// unreachable, so a service started before its broker still comes up (its outbox keeps
/// events until the topics exist).
///
/// Consumers must not subscribe before their topics exist: librdkafka would only notice the
/// topic at its next metadata refresh (5 minutes by default). Wrap them with
/// ``afterProvisioning(_:)``.
public final class TopicProvisioner: Service, Sendable {
    private let admin: KafkaAdmin
    private let logger: Logger
    private let retryPolicy: RetryPolicy
    private let provisioned = Atomic<Bool>(false)

    public init(admin: KafkaAdmin, logger: Logger, retryPolicy: RetryPolicy = RetryPolicy(initialDelay: .milliseconds(500), maximumDelay: .seconds(10))) {
        self.admin = admin
        self.logger = logger
        self.retryPolicy = retryPolicy
    }

    public func run() async throws {
        var attempt = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await admin.createTopicCatalog()
                provisioned.store(true, ordering: .releasing)
                logger.info("topic catalog ready")
                break
            } catch {
                attempt += 1
                logger.warning("cannot create topics yet, will retry", metadata: ["relance.error": "\(error)", "relance.attempt": "\(attempt)"])
                try? await Task.sleep(for: retryPolicy.delay(afterAttempt: attempt))
            }
        }
        try? await gracefulShutdown()
    }

    /// Whether the topics exist.
    public var isProvisioned: Bool { provisioned.load(ordering: .acquiring) }

    /// Returns once the topics exist, or when the task is cancelled or shutting down.
    public func waitUntilProvisioned() async {
        while !isProvisioned && !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// A service that starts `service` only once the topics exist.
    public func afterProvisioning(_ service: any Service) -> any Service {
        AfterProvisioning(provisioner: self, service: service)
    }
}

/// Runs a service once the topic catalog exists (see ``TopicProvisioner``).
struct AfterProvisioning: Service {
    let provisioner: TopicProvisioner
    let service: any Service

    func run() async throws {
        await provisioner.waitUntilProvisioned()
        guard provisioner.isProvisioned else { return } // shut down before the broker came
        try await service.run()
    }
}
