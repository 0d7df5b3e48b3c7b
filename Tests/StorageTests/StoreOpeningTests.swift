import Foundation
import GRDB
import RelanceTestSupport
import Storage
import Synchronization
import Testing

private func emptyMigrator() -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("sample-v1") { db in
        try db.execute(sql: "CREATE TABLE effect (id INTEGER PRIMARY KEY)")
    }
    return migrator
}

/// A value shared with `@Sendable` closures.
private final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}

@Suite struct DurabilityTests {
    @Test func serviceStoresFsyncEveryCommit() throws {
        // Given a store opened the way services open theirs
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabaseOpener.open(directory: directory, name: "sample", migrator: emptyMigrator())

        // Then the writer and the readers run with synchronous = FULL (2)
        #expect(try pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try pool.read { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func normalSynchronousIsAvailableForBenchmarksOnly() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabaseOpener.open(directory: directory, name: "sample", migrator: emptyMigrator(), synchronous: .normal)
        #expect(try pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
    }
}

@Suite(.timeLimit(.minutes(2)))
struct OneInstancePerStoreTests {
    @Test func secondOpenOfAStoreInTheSameProcessFails() throws {
        // Given a store that is open
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = try DatabaseOpener.open(directory: directory, name: "sample", migrator: emptyMigrator())

        // When it is opened a second time (flock: one lock per open file description)
        // Then the second open is refused, saying what to do
        do {
            _ = try DatabaseOpener.open(directory: directory, name: "sample", migrator: emptyMigrator())
            Issue.record("a second open of the same store succeeded")
        } catch let error as StorageError {
            #expect(error.code == .dataDirectoryInUse)
            #expect(error.reason.contains("sample.lock"))
            #expect(error.reason.contains("exactly one process"))
        }
        // And the first pool still works
        try pool.write { try $0.execute(sql: "INSERT INTO effect DEFAULT VALUES") }
    }

    @Test func storeOpensAgainOnceThePoolIsReleased() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let pool = try DatabaseOpener.open(directory: directory, name: "sample", migrator: emptyMigrator())
            try await pool.write { try $0.execute(sql: "INSERT INTO effect DEFAULT VALUES") }
        }
        // GRDB may keep the pool's last connection a few milliseconds after its last use
        // (its dispatch queue finishing up): the lock goes with it, not with the variable.
        let reopened = Locked<DatabasePool?>(nil)
        #expect(await eventually(timeout: .seconds(5), every: .milliseconds(5)) {
            guard let pool = try? DatabaseOpener.open(directory: directory, name: "sample", migrator: emptyMigrator()) else { return false }
            reopened.withLock { $0 = pool }
            return true
        })
        let pool = try #require(reopened.withLock { $0 })
        #expect(try await pool.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM effect") } == 1)
    }

    @Test func otherStoresOfTheSameDirectoryAreIndependent() throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try DatabaseOpener.open(directory: directory, name: "one", migrator: emptyMigrator())
        let second = try DatabaseOpener.open(directory: directory, name: "two", migrator: emptyMigrator())
        #expect(try first.read { try Int.fetchOne($0, sql: "SELECT 1") } == 1)
        #expect(try second.read { try Int.fetchOne($0, sql: "SELECT 1") } == 1)
    }

    @Test func secondProcessOnTheSameStoreRefusesToStartUntilTheFirstIsGone() async throws {
        let directory = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let databasePath = directory.appendingPathComponent("probe.sqlite").path
        let probe = TestPaths.executable("relance-outbox-probe")

        // Given a process serving the store
        let first = try ChildProcess(probe, ["write", databasePath, "10"])
        #expect(await first.waitForOutput { $0.contains("committed") })

        // When a second one starts on the same data directory
        let errors = directory.appendingPathComponent("second.stderr")
        let second = try ChildProcess(probe, ["write", databasePath, "10"], stderrToFile: errors)

        // Then it exits at once with a clear error, without touching the store
        #expect(await second.waitForExit() == 75)
        let message = try String(contentsOf: errors, encoding: .utf8)
        #expect(message.contains("already in use"))
        #expect(message.contains("pid \(first.pid)"))
        #expect(second.standardOutput.isEmpty)

        // And once the first is gone, even killed, the store can be opened again
        first.signal(SIGKILL)
        _ = await first.waitForExit()
        let third = try ChildProcess(probe, ["write", databasePath, "10"])
        #expect(await third.waitForOutput { $0.contains("committed") })
        third.signal(SIGKILL)
        _ = await third.waitForExit()
    }
}
