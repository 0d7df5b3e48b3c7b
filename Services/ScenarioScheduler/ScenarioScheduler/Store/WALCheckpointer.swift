import Foundation
import GRDB
import Synchronization

/// Copies the WAL into the store file on a connection of its own while the tick writes, so
/// the writer's thread never waits for a checkpoint.
///
/// SQLite's automatic checkpoint runs on the connection that commits, inside its commit: the
/// tick's writer, which bounds the busy tick, copied every batch's pages a second time and
/// waited for the store file's fsync (relance-scheduler-bench, quick run on a loaded machine:
/// the busy tick's wall time fell by about 30 % with no checkpoint at all). The tick's batches commit with the writer's
/// `wal_autocheckpoint` at 0 (``withoutAutocheckpoint(_:_:)``) while, during
/// ``whileTicking(_:)``, this connection runs PASSIVE checkpoints in a loop.
///
/// Durability is unchanged: a commit is durable once the WAL is fsynced (`synchronous=FULL` on
/// the writer), whoever copies it into the store file later; the checkpoint itself fsyncs the
/// WAL before it copies and the store file after.
final class WALCheckpointer: Sendable {
    private let connection: DatabaseQueue
    /// WAL frames above which the tick waits, between two batches, for the WAL to be copied
    /// whole, so that its next batch starts the WAL over: PASSIVE checkpoints running beside
    /// the writer never catch up with it on their own, and the WAL would grow for the whole
    /// tick. Default: 16,384 (64 MiB of 4 KiB pages).
    let restartFrames: Int
    /// Pause of the loop once the WAL is copied whole. Default: 5 ms.
    let idle: Duration
    /// Frames in the WAL at the last checkpoint.
    private let walFrames = Atomic<Int>(0)
    /// Checkpoints run on this connection that found frames in the WAL (for tests).
    private let checkpoints = Atomic<Int>(0)

    /// Opens a second connection on the store of `writer` when it is a WAL pool.
    /// - Returns: nil for any other writer (an in-memory queue in tests has no WAL).
    /// - Throws: GRDB's `DatabaseError` when the connection does not open.
    static func forStore(of writer: any DatabaseWriter, restartFrames: Int = 16_384, idle: Duration = .milliseconds(5)) throws -> WALCheckpointer? {
        guard let pool = writer as? DatabasePool else { return nil }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.label = "scenario-scheduler.checkpointer"
        configuration.prepareDatabase { db in
            // FULL like the writer: the checkpoint fsyncs the WAL before copying it.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return WALCheckpointer(connection: try DatabaseQueue(path: pool.path, configuration: configuration),
                               restartFrames: restartFrames, idle: idle)
    }

    private init(connection: DatabaseQueue, restartFrames: Int, idle: Duration) {
        self.connection = connection
        self.restartFrames = restartFrames
        self.idle = idle
    }

    /// Checkpoints run on this connection so far that found frames in the WAL.
    var checkpointsRun: Int { checkpoints.load(ordering: .relaxed) }

    /// Runs `body` (the tick's batches) while this connection checkpoints in a loop.
    /// - Parameter body: Gets a function to call between two write transactions: it waits for
    ///   the WAL to be copied whole when it grew past ``restartFrames``.
    func whileTicking<T: Sendable>(_ body: (_ betweenBatches: @Sendable () async throws -> Void) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.checkpointUntilCancelled() }
            do {
                let result = try await body { try await self.restartIfLarge() }
                group.cancelAll()
                try await group.waitForAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Runs a write transaction on the writer's connection that commits without SQLite's
    /// automatic checkpoint, then gives the connection its `wal_autocheckpoint` back (also
    /// when the transaction throws). All of it in one access to the writer: no other write,
    /// and no cancellation, comes in between.
    static func withoutAutocheckpoint<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        let pages = try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 1_000
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        var outcome: Result<T, any Error>?
        do {
            try db.inTransaction {
                outcome = .success(try body(db))
                return .commit
            }
        } catch {
            outcome = .failure(error)
        }
        // Back before anything else writes on this connection; a failure here is thrown, not
        // hidden: the writer would otherwise never checkpoint again outside ticks.
        try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)")
        guard let outcome else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "tick batch: the transaction ended without an outcome") }
        return try outcome.get()
    }

    /// PASSIVE checkpoints one after the other, pausing while there is nothing to copy.
    private func checkpointUntilCancelled() async throws {
        while !Task.isCancelled {
            guard let (wal, done) = try await checkpoint() else { return }
            if done >= wal {
                do { try await Task.sleep(for: idle) } catch { return }
            }
        }
    }

    /// Waits for the WAL to be copied whole when it grew past ``restartFrames``; the caller
    /// holds no transaction, so the next write starts the WAL over.
    func restartIfLarge() async throws {
        guard walFrames.load(ordering: .relaxed) > restartFrames else { return }
        _ = try await checkpoint()
    }

    /// One PASSIVE checkpoint.
    /// - Returns: Frames in the WAL and frames copied; nil when the task was cancelled.
    private func checkpoint() async throws -> (wal: Int, done: Int)? {
        do {
            let (wal, done) = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            walFrames.store(wal, ordering: .relaxed)
            if wal > 0 { checkpoints.add(1, ordering: .relaxed) }
            return (wal, done)
        } catch is CancellationError {
            return nil
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT && Task.isCancelled {
            // GRDB interrupts the statement of a cancelled task: the tick is over, and a
            // checkpoint stopped half-way leaves the WAL and the store file consistent.
            return nil
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // Another checkpoint holds the lock (none should): try again after a pause.
            return (0, 0)
        }
    }
}
