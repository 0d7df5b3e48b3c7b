import Logging
import Messaging
import ServiceLifecycle

/// Creates the topic catalog at start, retrying with backoff while the broker is
/// unreachable, so a service started before its broker still comes up (its outbox keeps
/// events until the topics exist).
public struct TopicProvisioner: Service {
    private let admin: KafkaAdmin
    private let logger: Logger
    private let retryPolicy: RetryPolicy

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
}
