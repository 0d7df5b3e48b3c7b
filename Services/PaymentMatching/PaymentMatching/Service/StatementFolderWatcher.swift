import Foundation
import Logging
import ServiceLifecycle

/// Imports the bank files dropped in a folder (a bank's SFTP drop, an export job): each file
/// whose size and modification time did not change since the previous look is imported, then
/// moved to `processed/` (with the import id in its name) or, when it cannot be read, to
/// `failed/` beside a `.error.txt` saying why and where. Hidden files (`.name`) and
/// sub-folders are left alone, so a sender can write `.name.part` and rename it when done.
///
/// A failure that is not the file's (the database) is retried at the next looks, at most
/// ``maximumAttempts`` times, then the file goes to `failed/` too: one file never blocks the
/// others, and nothing retries forever.
public struct StatementFolderWatcher: Service {
    /// The watched folder.
    public let directory: URL
    /// Time between two looks.
    public let interval: Duration
    /// Tries per file before it is moved to `failed/`.
    public let maximumAttempts: Int
    let database: PaymentMatchingDatabase
    let configuration: PaymentMatchingAPI.Configuration
    let logger: Logger

    /// - Parameters:
    ///   - directory: The folder (key `statement.watch.dir`); created when missing.
    ///   - interval: Key `statement.watch.interval`. Default: 5 s.
    public init(
        directory: URL, interval: Duration = .seconds(5), maximumAttempts: Int = 5, database: PaymentMatchingDatabase,
        configuration: PaymentMatchingAPI.Configuration, logger: Logger
    ) {
        self.directory = directory
        self.interval = interval
        self.maximumAttempts = max(1, maximumAttempts)
        self.database = database
        self.configuration = configuration
        self.logger = logger
    }

    /// What was seen of a file at the previous look, and how often its import failed.
    struct Sighting: Equatable {
        var size: Int64
        var modified: Date
        var failures = 0
    }

    public func run() async throws {
        let manager = FileManager.default
        for folder in [directory, processedDirectory, failedDirectory] {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        logger.info("watching a folder for bank statements", metadata: ["relance.watch.dir": "\(directory.path)"])
        try? await cancelWhenGracefulShutdown {
            var seen: [String: Sighting] = [:]
            while !Task.isCancelled {
                seen = await look(previous: seen)
                try await Task.sleep(for: interval)
            }
        }
    }

    var processedDirectory: URL { directory.appendingPathComponent("processed", isDirectory: true) }
    var failedDirectory: URL { directory.appendingPathComponent("failed", isDirectory: true) }

    /// One look: imports the files that stood still since `previous`.
    /// - Returns: what to compare with at the next look.
    func look(previous: [String: Sighting]) async -> [String: Sighting] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        guard let files = try? FileManager.default.contentsOfDirectory(
            at: directory, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else {
            logger.warning("cannot list the watched folder", metadata: ["relance.watch.dir": "\(directory.path)"])
            return previous
        }
        var next: [String: Sighting] = [:]
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            guard let values = try? file.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
            let name = file.lastPathComponent
            var sighting = Sighting(size: Int64(values.fileSize ?? 0), modified: values.contentModificationDate ?? .distantPast)
            guard let before = previous[name], before.size == sighting.size, before.modified == sighting.modified else {
                sighting.failures = previous[name]?.failures ?? 0
                next[name] = sighting
                continue
            }
            sighting.failures = before.failures
            if let failures = await importFile(file, sighting: sighting) {
                sighting.failures = failures
                next[name] = sighting
            }
        }
        return next
    }

    /// Imports one file and moves it away.
    /// - Returns: nil when the file was moved; else the failures so far (to try again).
    private func importFile(_ file: URL, sighting: Sighting) async -> Int? {
        let name = file.lastPathComponent
        guard sighting.size <= configuration.maximumStatementSize else {
            fail(file, reason: "the file has \(sighting.size) bytes, more than statement.max.bytes (\(configuration.maximumStatementSize)); split it")
            return nil
        }
        do {
            let result = try await database.importStatement(StatementUpload(
                file: file, fileName: name, csvMapping: configuration.csvMapping, origin: "folder"))
            PaymentMatchingAPI.logImport(result, bytes: sighting.size, logger: logger)
            move(file, to: processedDirectory.appendingPathComponent("\(result.importId)-\(name)"))
            return nil
        } catch let error as PaymentMatchingError {
            fail(file, reason: error.description)
            return nil
        } catch {
            let failures = sighting.failures + 1
            guard failures < maximumAttempts else {
                fail(file, reason: "the import failed \(failures) times: \(error)")
                return nil
            }
            logger.warning("statement import failed, will try again", metadata: [
                "relance.watch.file": "\(name)", "relance.watch.attempt": "\(failures)", "relance.error": "\(error)",
            ])
            return failures
        }
    }

    private func fail(_ file: URL, reason: String) {
        let name = file.lastPathComponent
        logger.error("statement file refused, moved to failed/", metadata: ["relance.watch.file": "\(name)", "relance.error": "\(reason)"])
        let stamp = EventStamp.now()
        move(file, to: failedDirectory.appendingPathComponent("\(stamp)-\(name)"))
        try? Data((reason + "\n").utf8).write(to: failedDirectory.appendingPathComponent("\(stamp)-\(name).error.txt"))
    }

    private func move(_ file: URL, to destination: URL) {
        do {
            try FileManager.default.moveItem(at: file, to: destination)
        } catch {
            logger.error("cannot move a statement file out of the watched folder; it would be imported again (adding nothing)", metadata: [
                "relance.watch.file": "\(file.lastPathComponent)", "relance.error": "\(error)",
            ])
        }
    }
}

/// A sortable, file-name-safe time stamp.
enum EventStamp {
    static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: Date())
    }
}
