import Foundation
import Money
import PaymentMatching
import Testing

/// A ~200 MB camt.053 reads in bounded memory. Slow (it writes and reads 200 MB), so it runs
/// only with `RELANCE_BIG_FILES=1`:
/// `RELANCE_BIG_FILES=1 swift test --skip-build --filter CAMTBigFileTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["RELANCE_BIG_FILES"] == "1", "set RELANCE_BIG_FILES=1 to run"))
struct CAMTBigFileTests {
    /// Counts what it is given and keeps nothing.
    struct CountingVisitor: StatementVisitor {
        var statements = 0
        var entries = 0
        var details = 0
        var creditMinorUnits: Int64 = 0

        mutating func beginStatement(_ statement: BankStatement) throws(StatementError) { statements += 1 }

        mutating func visit(_ entry: StatementEntry) throws(StatementError) {
            entries += 1
            details += entry.details.count
            if entry.creditDebit == .credit { creditMinorUnits += entry.amount.minorUnits }
        }

        mutating func endStatement(closingBalance: Money?) throws(StatementError) {}
    }

    /// `VmHWM` (peak resident memory) of this process, in KiB.
    static func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "")
        }
        return nil
    }

    /// Writes a camt.053 of about `megabytes` MB, one entry (with one transaction) per
    /// iteration, chunk by chunk. Returns the number of entries and their total in cents.
    static func writeStatement(to url: URL, megabytes: Int) throws -> (entries: Int, total: Int64) {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data(CAMTFixtures.camt053("").components(separatedBy: "\n").prefix(7).joined(separator: "\n").utf8))
        let target = megabytes * 1_000_000
        var written = 0
        var entries = 0
        var total: Int64 = 0
        var chunk = ""
        while written < target {
            entries += 1
            let cents = Int64(entries % 100_000 + 1)
            total += cents
            chunk += """
                <Ntry><NtryRef>\(entries)</NtryRef><Amt Ccy="EUR">\(cents / 100).\(String(format: "%02d", cents % 100))</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
                <BookgDt><Dt>2025-03-01</Dt></BookgDt><ValDt><Dt>2025-03-01</Dt></ValDt><AcctSvcrRef>BANK-\(entries)</AcctSvcrRef>
                <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                <NtryDtls><TxDtls><Refs><EndToEndId>E2E-\(entries)</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">\(cents / 100).\(String(format: "%02d", cents % 100))</Amt></TxAmt></AmtDtls>
                <RltdPties><Dbtr><Nm>Customer \(entries % 5_000) &amp; Co</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct></RltdPties>
                <RmtInf><Ustrd>Invoice F-2025-\(entries) payment, thank you</Ustrd><Strd><CdtrRefInf><Ref>RF18539007547034</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>

                """
            if chunk.utf8.count > 1_000_000 {
                written += chunk.utf8.count
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        chunk += "</Stmt></BkToCstmrStmt></Document>\n"
        try handle.write(contentsOf: Data(chunk.utf8))
        return (entries, total)
    }

    @Test func twoHundredMegabyteStatementReadsInBoundedMemory() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("camt-big-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        let expected = try Self.writeStatement(to: url, megabytes: 200)
        let size = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int ?? 0
        let before = Self.peakResidentKiB() ?? 0

        var visitor = CountingVisitor()
        let clock = ContinuousClock()
        let elapsed = try clock.measure { try CAMTReader().read(url, into: &visitor) }
        let after = Self.peakResidentKiB() ?? 0

        #expect(visitor.statements == 1)
        #expect(visitor.entries == expected.entries)
        #expect(visitor.creditMinorUnits == expected.total)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("camt.053 \(size / 1_000_000) MB, \(visitor.entries) entries: \(elapsed), \(Int(Double(size) / 1e6 / seconds)) MB/s; VmHWM before read \(before / 1024) MiB, after \(after / 1024) MiB")
        // Bounded: reading adds nowhere near the file's size to the peak.
        #expect(after - before < 64 * 1024, "peak grew by \((after - before) / 1024) MiB")
    }
}
