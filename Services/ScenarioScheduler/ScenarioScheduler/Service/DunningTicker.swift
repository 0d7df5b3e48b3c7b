import Logging
import ServiceLifecycle
import Synchronization

/// Runs the tick: every ``interval``, or at once when woken (the development clock moved, a
/// hold was overridden), processes the invoices whose next action time has come. A failing
/// tick is logged and tried again at the next one; it never stops the service.
public final class DunningTicker: Service, Sendable {
    let database: SchedulerDatabase
    let interval: Duration
    let logger: Logger
    private let wake = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let pending = Mutex(false)

    public init(database: SchedulerDatabase, interval: Duration, logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    /// Asks for a tick now.
    public func wakeUp() {
        let waiters = wake.withLock { waiters -> [CheckedContinuation<Void, Never>] in
            defer { waiters.removeAll() }
            if waiters.isEmpty { pending.withLock { $0 = true } }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await self.database.runDueActions()
                    if report.customers > 0 {
                        self.logger.info("tick", metadata: [
                            "relance.tick.customers": "\(report.customers)", "relance.tick.invoices": "\(report.invoices)",
                            "relance.tick.notifications": "\(report.notifications)", "relance.tick.tasks": "\(report.tasks)",
                            "relance.tick.cases": "\(report.cases)", "relance.tick.deferred": "\(report.deferred)",
                        ])
                    }
                } catch {
                    self.logger.error("tick failed; retried at the next one", metadata: ["relance.error": "\(error)"])
                }
                await self.sleep()
            }
        }
    }

    private func sleep() async {
        if pending.withLock({ value in defer { value = false }; return value }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    self.wake.withLock { $0.append(continuation) }
                }
            }
            group.addTask { try? await Task.sleep(for: self.interval) }
            await group.next()
            // Release a waiter still parked (the timer fired first) so the group can end.
            let waiters = self.wake.withLock { waiters in defer { waiters.removeAll() }; return waiters }
            for waiter in waiters { waiter.resume() }
            group.cancelAll()
        }
    }
}
