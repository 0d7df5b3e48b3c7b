import Foundation
import GRDB

/// Opens a service's SQLite database: WAL mode in production, in memory for tests, the
/// service's migrations plus the outbox and inbox tables applied before anything else runs.
public enum DatabaseOpener {
    /// Opens (creating if needed) `<directory>/<name>.sqlite` as a WAL `DatabasePool` and migrates it.
    /// - Parameters:
    ///   - directory: the service's data directory; created if missing.
    ///   - name: file name without extension, e.g. `invoicing`.
    ///   - migrator: the service's migrations; the outbox/inbox ones are added first.
    /// - Throws: `StorageError` when the directory cannot be created, or GRDB's `DatabaseError`.
    public static func open(directory: URL, name: String, migrator: DatabaseMigrator) throws -> DatabasePool {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.dataDirectory, "cannot create data directory \(directory.path): \(error.localizedDescription); check permissions or set another directory")
        }
        let pool = try DatabasePool(path: directory.appendingPathComponent("\(name).sqlite").path, configuration: configuration())
        try migrate(pool, with: migrator)
        return pool
    }

    /// An in-memory database with the same migrations, for tests.
    public static func inMemory(migrator: DatabaseMigrator) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(configuration: configuration())
        try migrate(queue, with: migrator)
        return queue
    }

    /// Applies the shared tables' migrations, then the service's.
    public static func migrate(_ writer: any DatabaseWriter, with migrator: DatabaseMigrator) throws {
        var shared = DatabaseMigrator()
        Outbox.registerMigrations(in: &shared)
        Inbox.registerMigrations(in: &shared)
        try shared.migrate(writer)
        try migrator.migrate(writer)
    }

    /// Foreign keys on; a busy writer waits up to 5 s instead of failing at once; `NORMAL`
    /// synchronous is durable across process crashes in WAL mode (only an OS crash can lose
    /// the last transactions).
    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {
                // The writer keeps 64 MiB of pages: with SQLite's 2 MiB default, indexes of a
                // million rows no longer fit and every insert reads pages back from the OS.
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
        }
        return configuration
    }
}
