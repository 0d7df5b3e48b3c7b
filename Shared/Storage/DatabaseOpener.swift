import Foundation
import GRDB

/// Opens a service's SQLite database: WAL mode in production, in memory for tests, the
/// service's migrations plus the outbox, inbox and idempotency-key tables applied before
/// anything else runs.
public enum DatabaseOpener {
    /// SQLite's `synchronous` setting: when a commit waits for the disk.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// `synchronous=FULL` (2): in WAL mode every commit fsyncs the WAL before it returns,
        /// so a committed transaction survives an OS crash or power loss (on a disk that
        /// honours fsync). What services use.
        case full = "FULL"
        /// `synchronous=NORMAL` (1): the WAL is fsynced only at checkpoints. A commit survives
        /// a process crash, not an OS crash or power loss (the last transactions can vanish).
        /// For benchmarks comparing the cost of `full`; never for a service's store.
        case normal = "NORMAL"
    }

    /// Opens (creating if needed) `<directory>/<name>.sqlite` as a WAL `DatabasePool` and migrates it.
    ///
    /// The store is locked for the life of the returned pool (``DataDirectoryLock`` on
    /// `<directory>/<name>.lock`): a second open of the same store, by another process or this
    /// one, fails until the pool is released.
    /// - Parameters:
    ///   - directory: the service's data directory; created if missing.
    ///   - name: file name without extension, e.g. `invoicing`.
    ///   - migrator: the service's migrations; the outbox/inbox ones are added before them,
    ///     the idempotency-key one after.
    ///   - synchronous: when commits reach the disk. Default: `.full`.
    /// - Throws: `StorageError` `.dataDirectory` when the directory cannot be created,
    ///   `.dataDirectoryInUse` when another process serves this store, or GRDB's `DatabaseError`.
    public static func open(
        directory: URL, name: String, migrator: DatabaseMigrator, synchronous: Synchronous = .full
    ) throws -> DatabasePool {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.dataDirectory, "cannot create data directory \(directory.path): \(error.localizedDescription); check permissions or set another directory")
        }
        let lock = try DataDirectoryLock.acquire(directory: directory, name: name)
        var configuration = configuration(synchronous: synchronous)
        // The pool keeps its configuration, hence this closure, hence the lock, for as long as
        // it lives: the lock is released when the pool is (for a service: when the process ends).
        configuration.prepareDatabase { _ in withExtendedLifetime(lock) {} }
        let pool = try DatabasePool(path: directory.appendingPathComponent("\(name).sqlite").path, configuration: configuration)
        // GRDB switches the writer to synchronous=NORMAL when it enables WAL, after
        // `prepareDatabase` ran: set the level again on the writer (it is per connection and
        // the pool keeps this one connection for its life).
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        try migrate(pool, with: migrator)
        return pool
    }

    /// An in-memory database with the same migrations, for tests.
    public static func inMemory(migrator: DatabaseMigrator) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(configuration: configuration(synchronous: .full))
        try migrate(queue, with: migrator)
        return queue
    }

    /// Applies the shared tables' migrations (outbox, inbox), then the service's, then the
    /// shared idempotency-key table's.
    ///
    /// The idempotency table comes last because invoicing's shipped `invoicing-v1` creates it
    /// without `IF NOT EXISTS`: created first, that migration would fail on a new store.
    public static func migrate(_ writer: any DatabaseWriter, with migrator: DatabaseMigrator) throws {
        var shared = DatabaseMigrator()
        Outbox.registerMigrations(in: &shared)
        Inbox.registerMigrations(in: &shared)
        try shared.migrate(writer)
        try migrator.migrate(writer)
        var idempotency = DatabaseMigrator()
        IdempotencyStore.registerMigrations(in: &idempotency)
        try idempotency.migrate(writer)
    }

    /// Foreign keys on; a busy writer waits up to 5 s instead of failing at once; the
    /// `synchronous` level asked for (see ``Synchronous``; WAL itself is GRDB's default for a
    /// `DatabasePool`).
    static func configuration(synchronous: Synchronous) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
            if !db.configuration.readonly {
                // The writer keeps 64 MiB of pages: with SQLite's 2 MiB default, indexes of a
                // million rows no longer fit and every insert reads pages back from the OS.
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
        }
        return configuration
    }
}
