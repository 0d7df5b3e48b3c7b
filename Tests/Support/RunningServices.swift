import Logging
import ServiceLifecycle

/// Runs services in a `ServiceGroup` (in order; shut down in reverse) around `body`, then
/// triggers a graceful shutdown and waits for every service to finish.
public func withRunningServices<R: Sendable>(
    _ services: [any Service],
    _ body: () async throws -> R
) async throws -> R {
    let group = ServiceGroup(configuration: .init(services: services, logger: Logger(label: "relance.tests")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
