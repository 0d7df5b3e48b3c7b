import Logging
import Metrics
import ServiceLifecycle
import Storage
import Synchronization

/// Sends parked commands again when they may go: every `spending.poll` (default 1 min) and
/// at once after an operator's release, the parked entries of the partitions this instance
/// owns are handled again, oldest first, partition by partition (taking turns with the
/// consumer): sent when their partition's share of the day's cap allows it (a new day in the
/// spending time zone, a raised `spending.cap` after a restart) or when an operator released
/// them; left parked otherwise. Sets the gauge `relance_notifications_parked`.
public final class ParkedReleaser: Service, Sendable {
    let dispatcher: NotificationDispatcher
    let interval: Duration
    /// The partitions this instance owns now (nil: every partition in the ledger).
    let owned: (@Sendable () -> Set<Int32>)?
    let logger: Logger
    private let wakeUp = WakeSignal()
    private let stopping = Atomic<Bool>(false)
    private let parkedGauge = Gauge(label: "relance_notifications_parked")

    /// - Parameters:
    ///   - interval: time between passes. Default: 60 s.
    ///   - owned: the partitions the consumer owns now: only their parked entries are handled
    ///     (a partition being given up may still have rows until it is forgotten).
    public init(dispatcher: NotificationDispatcher, interval: Duration = .seconds(60), owned: (@Sendable () -> Set<Int32>)? = nil,
                logger: Logger) {
        self.dispatcher = dispatcher
        self.owned = owned
        self.interval = interval
        self.logger = logger
    }

    /// Makes the next pass start now.
    public func wake() { wakeUp.signal() }

    /// Passes until graceful shutdown or cancellation; a failed pass is logged and tried again.
    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            while !stopping.load(ordering: .relaxed) {
                do {
                    let released = try await releaseDue()
                    if released > 0 { logger.info("parked notifications released", metadata: ["relance.notifications": "\(released)"]) }
                } catch {
                    logger.warning("releasing parked notifications failed, will try again", metadata: ["relance.error": "\(error)"])
                }
                await wakeUp.wait(timeout: interval)
            }
        } onCancelOrGracefulShutdown: { [self] in
            stopping.store(true, ordering: .relaxed)
            wakeUp.signal()
        }
    }

    /// One pass over at most `limit` parked entries.
    /// - Returns: how many were sent or failed (no longer parked).
    /// - Throws: store errors.
    @discardableResult
    public func releaseDue(limit: Int = 500) async throws -> Int {
        let parked = try await dispatcher.ledger.entries(in: .parked, limit: limit)
        let owned = self.owned?()
        var byPartition: [Int32: [LedgerEntry]] = [:]
        for entry in parked where owned?.contains(entry.partition) ?? true { byPartition[entry.partition, default: []].append(entry) }
        var released = 0
        for (partition, entries) in byPartition.sorted(by: { $0.key < $1.key }) {
            let (outcomes, failure) = await dispatcher.handle(entries.map(\.command), partition: partition)
            released += outcomes.filter { $0 == .sent || $0 == .failed }.count
            if let failure {
                logger.warning("a parked notification could not be released yet", metadata: [
                    "relance.partition": "\(partition)", "relance.error": "\(failure)",
                ])
            }
        }
        parkedGauge.record(try await dispatcher.ledger.counts()[.parked] ?? 0)
        return released
    }
}
