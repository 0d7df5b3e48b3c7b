import Events
import Foundation
import GRDB
import Storage
import Synchronization

/// The scenario scheduler's store: its projection of customers and invoices with each
/// invoice's dunning state, the scenarios published through the API, tasks, promises,
/// collection cases, the timeline, and the outbox of what each change publishes, written in
/// the same transaction.
///
/// The scheduler runs as one instance per store (locked data directory, `sole-consumer`
/// readiness check): its dunning state follows no partition.
public struct SchedulerDatabase: Sendable {
    let writer: any DatabaseWriter
    /// `ce_source` of the events written to the outbox.
    let source: String
    /// The scheduler's clock (injected; the development control moves it).
    public let clock: SchedulerClock
    /// Shipped scenarios plus those published through the API.
    let catalogState: CatalogBox
    /// How a customer's scenario is chosen.
    let assignment: ScenarioAssignment
    /// Calendar, window, cap, freshness, creditor.
    let settings: PlannerSettings
    /// Called after a transaction that wrote events, to wake the outbox relay.
    let onEventsWritten: @Sendable () -> Void
    /// Send instants of `settings.clock`, shared by every planner made here.
    let sendInstants = SendInstantMemo()
    /// Whether the tick plans customers on the other cores while it writes (see
    /// `runBatch(now:_:)`); tests turn it off to compare with the sequential tick.
    var parallelPlanning = true
    /// Checkpoints the WAL beside the tick's writer (nil: the writer is not a WAL pool).
    var checkpointer: WALCheckpointer?

    /// What the planner is built from, besides the catalog.
    public struct PlannerSettings: Sendable {
        public var clock: DunningClock
        public var policy: DunningPolicy
        public var rates: ReferenceRateTable
        public var creditor: CreditorDefaults

        public init(clock: DunningClock = .standard, policy: DunningPolicy = .init(), rates: ReferenceRateTable = .shipped,
                    creditor: CreditorDefaults = .init()) {
            self.clock = clock
            self.policy = policy
            self.rates = rates
            self.creditor = creditor
        }
    }

    /// Wraps a database, applying migrations and loading the published scenarios.
    /// - Throws: GRDB's `DatabaseError` when a migration fails; `ScenarioCatalogError` when
    ///   the stored scenarios do not load.
    public init(
        _ writer: any DatabaseWriter, source: String = "/relance/scenario-scheduler", clock: SchedulerClock = SchedulerClock(),
        assignment: ScenarioAssignment = ScenarioAssignment(), settings: PlannerSettings = .init(),
        onEventsWritten: @escaping @Sendable () -> Void = {}
    ) throws {
        try DatabaseOpener.migrate(writer, with: SchedulerSchema.migrator)
        var catalog = try ShippedScenarios.catalog()
        let stored = try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT yaml FROM scenario_version ORDER BY name, version").map { $0["yaml"] as String }
        }
        for yaml in stored { try catalog.publish(try ScenarioYAML.decode(yaml)) }
        self.writer = writer
        self.source = source
        self.clock = clock
        self.catalogState = CatalogBox(catalog)
        self.assignment = assignment
        self.settings = settings
        self.onEventsWritten = onEventsWritten
        self.checkpointer = try WALCheckpointer.forStore(of: writer)
    }

    /// The service's migrations, for `DatabaseOpener.open`.
    public static var migrator: DatabaseMigrator { SchedulerSchema.migrator }

    /// Read access for health checks.
    public var reader: any DatabaseReader { writer }

    /// The scenarios now: shipped and published.
    public var catalog: ScenarioCatalog { catalogState.value.withLock { $0 } }

    /// A planner on the current catalog.
    public var planner: DunningPlanner {
        var planner = DunningPlanner(catalog: catalog, clock: settings.clock, policy: settings.policy, rates: settings.rates, creditor: settings.creditor)
        planner.sendInstants = sendInstants
        return planner
    }

    /// Runs a write transaction that may enqueue events, then wakes the relay.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = try await writer.write(body)
        onEventsWritten()
        return result
    }

    func enqueue<Event: DomainEvent>(_ event: Event, at time: Date, _ db: Database) throws {
        try Outbox.enqueue(event, source: source, time: time, in: db)
    }

    /// An event that writes its own JSON: encoded by hand, the same bytes as `EventJSON`'s.
    func enqueue<Event: DomainEvent & EventJSONWritable>(_ event: Event, at time: Date, _ db: Database) throws {
        try enqueue(event, data: EventJSONWriter.encode(event), at: time, db)
    }

    /// An event whose JSON was encoded before.
    func enqueue<Event: DomainEvent>(_ event: Event, data: Data, at time: Date, _ db: Database) throws {
        try Outbox.enqueue(Self.envelope(event, data: data, source: source, at: time), on: Event.topic, in: db)
    }

    static func timestamp(_ date: Date) -> String { EventJSON.formatInstant(date) }
}

/// The catalog shared by the API (which publishes) and the tick (which reads).
final class CatalogBox: Sendable {
    let value: Mutex<ScenarioCatalog>
    init(_ catalog: ScenarioCatalog) { value = Mutex(catalog) }
}
