import Foundation

/// Paths of the checkout the tests run from, derived from this file's location.
public enum TestPaths {
    /// The repository root.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The Tansu binary: `RELANCE_TANSU`, else the bootstrap's `.deps/bin/tansu`.
    public static var tansu: URL {
        if let path = ProcessInfo.processInfo.environment["RELANCE_TANSU"] { return URL(fileURLWithPath: path) }
        return root.appendingPathComponent(".deps/bin/tansu")
    }

    /// A built executable of this package (`swift build` puts them in `.build/debug`).
    public static func executable(_ name: String) -> URL {
        if let directory = ProcessInfo.processInfo.environment["RELANCE_BIN_DIR"] {
            return URL(fileURLWithPath: directory).appendingPathComponent(name)
        }
        return root.appendingPathComponent(".build/debug").appendingPathComponent(name)
    }

    /// The shared, read-only test data (bank statements; never copied into the repository):
    /// `RELANCE_TESTDATA` when set, else the first `shared/testdata` beside the checkout or
    /// one of its parents (`../shared/testdata` for the usual layout). Tests that need it fail,
    /// naming the path, when it is missing.
    public static let sharedTestData: URL = {
        if let path = ProcessInfo.processInfo.environment["RELANCE_TESTDATA"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        let besideCheckout = root.deletingLastPathComponent().appendingPathComponent("shared/testdata", isDirectory: true)
        var directory = root.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/testdata", isDirectory: true)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return besideCheckout
    }()

    /// A new empty temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Unique names so tests sharing a broker never see each other's topics or groups.
public enum TestNames {
    public static func unique(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }
}
