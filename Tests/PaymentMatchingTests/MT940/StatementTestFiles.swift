import Foundation
import PaymentMatching
import RelanceTestSupport

/// Where the shared bank-file corpus is, and temporary files for hand-written cases.
enum StatementTestFiles {
    /// The shared bank-statement corpus (`TestPaths.sharedTestData`).
    static let corpus: URL = TestPaths.sharedTestData.appendingPathComponent("statements")

    static func corpusFile(_ path: String) -> URL { corpus.appendingPathComponent(path) }

    /// Every regular file under a corpus folder, sorted.
    static func corpusFiles(in folder: String) -> [URL] {
        let root = corpus.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Writes bytes to a new temporary file.
    static func temporary(_ bytes: [UInt8], name: String = "statement") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    /// Writes text (UTF-8) to a new temporary file.
    static func temporary(_ text: String, name: String = "statement") throws -> URL {
        try temporary(Array(text.utf8), name: name)
    }

    /// The error reading `file` throws, or nil when it reads.
    static func error(reading file: URL, with reader: some StatementReader) -> StatementError? {
        do {
            _ = try reader.read(file)
            return nil
        } catch {
            return error
        }
    }
}
