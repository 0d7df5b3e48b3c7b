import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Expires quotes whose validity has passed and publishes `quote.expired`: a pass at start,
/// then one every interval (key `quotes.expiry.interval`, default 15 min), until graceful
/// shutdown. Accepting, refusing or sending a quote checks its validity itself, so the sweep
/// only decides how soon `quote.expired` and the stored status follow the calendar.
public final class QuoteExpirySweeper: Service, Sendable {
    private let database: InvoicingDatabase
    private let interval: Duration
    private let logger: Logger
    private let wakeUp = WakeSignal()
    private let stopping = Atomic<Bool>(false)

    public init(database: InvoicingDatabase, interval: Duration, logger: Logger) {
        self.database = database
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                do {
                    let expired = try await database.expireDueQuotes()
                    if expired > 0 {
                        logger.info("quotes expired", metadata: ["relance.quotes.expired": "\(expired)"])
                    }
                } catch {
                    logger.warning("quote expiry sweep failed, will try again", metadata: ["relance.error": "\(error)"])
                }
                await wakeUp.wait(timeout: interval)
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .relaxed)
            wakeUp.signal()
        }
    }
}
