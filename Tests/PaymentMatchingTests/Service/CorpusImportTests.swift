import Events
import Foundation
import GRDB
@testable import PaymentMatching
import Testing

/// Every real bank file of the shared corpus (except CSV, which needs a mapping per bank: the
/// CSV reader's tests cover those) goes through the whole import, not only the reader: ids,
/// identities, batch splitting, reversals, balance checks. Imported twice, the second adds
/// nothing.
@Suite struct CorpusImportTests {
    static let folders = ["camt053", "camt054", "cfonb120", "mt940"]

    @Test("every corpus file imports, and importing it again adds nothing", arguments: folders)
    func importsTwice(folder: String) async throws {
        let files = StatementTestFiles.corpusFiles(in: folder)
        #expect(!files.isEmpty, "no files under \(StatementTestFiles.corpus.path)/\(folder)")
        for file in files {
            let fixture = try PaymentMatchingFixture()
            let upload = StatementUpload(file: file, fileName: file.lastPathComponent)
            let first = try await fixture.database.importStatement(upload)
            let credits = try await fixture.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM payment") ?? 0 }
            #expect(first.summary.paymentsCreated == credits, "\(file.lastPathComponent)")
            #expect(first.summary.entriesRead >= first.summary.debitsIgnored, "\(file.lastPathComponent)")
            let events = try fixture.outboxTypes().count
            let second = try await fixture.database.importStatement(upload)
            #expect(second.summary.paymentsCreated == 0 && second.summary.reversals == 0, "\(file.lastPathComponent): \(second.summary)")
            #expect(second.summary.entriesRead == first.summary.entriesRead, "\(file.lastPathComponent)")
            // The second import publishes its statement.imported and nothing else.
            #expect(try fixture.outboxTypes().count == events + 1, "\(file.lastPathComponent)")
        }
    }
}
