import Foundation
import Logging
@testable import PaymentMatching
import ServiceKit
import Testing

/// The watched folder: still files are imported and moved away, unreadable ones go to
/// `failed/` with the reason, files being written and hidden files wait.
@Suite struct StatementFolderWatcherTests {
    typealias F = PaymentMatchingFixture

    @Test("a file that stood still is imported and moved to processed/; a bad one to failed/ with its reason")
    func importsAndMoves() async throws {
        let fixture = try F()
        try await fixture.register("c1", number: "C-0001", name: "Boulangerie Martin")
        try await fixture.issue("i1", number: "FA-2026-0001", customerId: "c1", cents: 120_00, reference: F.rf("20260001"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let watcher = StatementFolderWatcher(
            directory: directory, database: fixture.database, configuration: .init(), logger: Logger(label: "test"))
        for folder in [watcher.processedDirectory, watcher.failedDirectory] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data(F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001"))]).utf8)
            .write(to: directory.appendingPathComponent("june.xml"))
        try Data("this is not a bank file".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        try Data("partial".utf8).write(to: directory.appendingPathComponent(".upload.part"))

        // First look: seen, not yet still.
        let first = await watcher.look(previous: [:])
        #expect(Set(first.keys) == ["june.xml", "notes.txt"])
        #expect(try await fixture.database.imports(page: .init()).items.isEmpty)
        // Second look: unchanged, so imported and moved.
        let second = await watcher.look(previous: first)
        #expect(second.isEmpty)
        let processed = try FileManager.default.contentsOfDirectory(atPath: watcher.processedDirectory.path)
        #expect(processed.count == 1 && processed[0].hasSuffix("-june.xml"))
        let failed = try FileManager.default.contentsOfDirectory(atPath: watcher.failedDirectory.path).sorted()
        #expect(failed.count == 2 && failed.contains { $0.hasSuffix("notes.txt.error.txt") })
        let reason = try String(contentsOf: watcher.failedDirectory.appendingPathComponent(try #require(failed.first { $0.hasSuffix(".error.txt") })), encoding: .utf8)
        #expect(reason.contains("unreadableStatement"))
        let imports = try await fixture.database.imports(page: .init()).items
        #expect(imports.map(\.origin) == ["folder"] && imports.first?.fileName == "june.xml")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(".upload.part").path))
    }
}
