import Logging
import ServiceLifecycle
import Storage

/// Runs the tick: every ``interval``, or at once when woken (the development clock moved, a
/// hold was overridden), processes the invoices whose next action time has come. A failing
/// tick is logged and tried again at the next one; it never stops the service.
public final class DunningTicker: Service, Sendable {
    let database: SchedulerDatabase
    let interval: Duration
    let logger: Logger
    /// Wakes the loop early; a wake-up while a tick runs is remembered for the next sleep.
    private let wake = WakeSignal()

    public init(database: SchedulerDatabase, interval: Duration, logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    /// Asks for a tick now.
    public func wakeUp() {
        wake.signal()
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
                await self.wake.wait(timeout: self.interval)
            }
        }
    }
}
