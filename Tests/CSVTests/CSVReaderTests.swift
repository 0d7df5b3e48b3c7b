import CSV
import Foundation
import Testing

@Suite("CSV reader")
struct CSVReaderTests {
    static func records(_ text: String, delimiter: CSVReader.Delimiter? = nil) throws -> [CSVRecord] {
        try records(CSVReader(string: text, delimiter: delimiter))
    }

    static func records(_ reader: CSVReader) throws -> [CSVRecord] {
        var result: [CSVRecord] = []
        while let record = try reader.nextRecord() { result.append(record) }
        return result
    }

    @Test("reads plain records with their line numbers")
    func plain() throws {
        let records = try Self.records("a,b,c\n1,2,3\n4,,6\n")
        #expect(records.map(\.fields) == [["a", "b", "c"], ["1", "2", "3"], ["4", "", "6"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test("quotes, escaped quotes and delimiters inside quotes")
    func quotes() throws {
        let text = #"""
            name,note
            "Acme, Inc.","He said ""pay"" now"
            "",""""

            """#
        let records = try Self.records(text)
        #expect(records[1].fields == ["Acme, Inc.", #"He said "pay" now"#])
        #expect(records[2].fields == ["", #"""#])
    }

    @Test("quoted line breaks keep the record's first line and advance the count")
    func embeddedNewlines() throws {
        let records = try Self.records("id,address\n1,\"12 rue de la Paix\n75002 Paris\"\n2,\"a\r\nb\r\nc\"\n3,x\n")
        #expect(records.map(\.line) == [1, 2, 4, 7])
        #expect(records[1].fields == ["1", "12 rue de la Paix\n75002 Paris"])
        #expect(records[2].fields == ["2", "a\r\nb\r\nc"])
        #expect(records[3].fields == ["3", "x"])
    }

    @Test("CRLF, lone CR and a missing final line break")
    func lineEndings() throws {
        let records = try Self.records("a,b\r\n1,2\r3,4\r\n5,6")
        #expect(records.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(records.map(\.line) == [1, 2, 3, 4])
    }

    @Test("skips a UTF-8 byte order mark and blank lines")
    func bomAndBlankLines() throws {
        let reader = CSVReader(bytes: [0xEF, 0xBB, 0xBF] + Array("numéro;nom\n\n1;Société Générale\n\n\n2;\"\"\n".utf8))
        #expect(reader.delimiter == .semicolon)
        let records = try Self.records(reader)
        #expect(records.map(\.fields) == [["numéro", "nom"], ["1", "Société Générale"], ["2", ""]])
        #expect(records.map(\.line) == [1, 3, 6])
    }

    @Test("detects the delimiter from the header line", arguments: [
        ("a;b;c\n1,5;2;3\n", CSVReader.Delimiter.semicolon, ["1,5", "2", "3"]),
        ("a,b,c\n1;5,2,3\n", .comma, ["1;5", "2", "3"]),
        ("\"x;y\",z\n1,2\n", .comma, ["1", "2"]),
        ("single\nvalue\n", .comma, ["value"]),
    ])
    func detectsDelimiter(text: String, delimiter: CSVReader.Delimiter, second: [String]) throws {
        let reader = CSVReader(string: text)
        #expect(reader.delimiter == delimiter)
        #expect(try Self.records(reader)[1].fields == second)
    }

    @Test("text after a closing quote is kept, as spreadsheets do")
    func lenientQuotes() throws {
        #expect(try Self.records("\"ab\"c,d\ne\"f,g\n").map(\.fields) == [["abc", "d"], ["e\"f", "g"]])
    }

    @Test("an unclosed quote is an error naming its line")
    func unclosedQuote() throws {
        let reader = CSVReader(string: "a,b\n1,2\n3,\"open\n4,5\n")
        _ = try reader.nextRecord()
        _ = try reader.nextRecord()
        let error = #expect(throws: CSVError.self) { try reader.nextRecord() }
        #expect(error?.code == .malformed)
        #expect(error?.reason.contains("line 3") == true && error?.line == 3)
    }

    @Test("a runaway record stops at 1 MiB instead of filling memory")
    func runawayRecord() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-csv-\(UUID().uuidString).csv")
        let body = "a,b\n1,\"never closed " + String(repeating: "x,y\n", count: 600_000)
        try Data(body.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CSVReader(url: url)
        _ = try reader.nextRecord()
        let error = #expect(throws: CSVError.self) { try reader.nextRecord() }
        #expect(error?.code == .malformed)
        #expect(error?.reason.contains("line 2") == true)
        #expect(try reader.nextRecord() == nil)
    }

    @Test("bytes that are not UTF-8 are an error")
    func invalidUTF8() throws {
        let reader = CSVReader(bytes: Array("a,b\n1,".utf8) + [0xE9] + Array("té\n".utf8))
        _ = try reader.nextRecord()
        let error = #expect(throws: CSVError.self) { try reader.nextRecord() }
        #expect(error?.code == .malformed)
    }

    @Test("a missing file is unreadable input")
    func missingFile() {
        let error = #expect(throws: CSVError.self) {
            try CSVReader(url: URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString).csv"))
        }
        #expect(error?.code == .unreadable)
    }

    @Test("a large file is streamed back exactly, across chunk boundaries")
    func largeFile() throws {
        // Fields with delimiters, quotes, CRLF and line breaks land on every position relative
        // to the 64 KiB chunks; the expected records are known from the generator.
        let count = 120_000
        var expected: [CSVRecord] = []
        expected.reserveCapacity(count + 1)
        var text = "invoiceNumber;customer;note\r\n"
        expected.append(CSVRecord(line: 1, fields: ["invoiceNumber", "customer", "note"]))
        var line = 2
        for index in 0..<count {
            let note: String = switch index % 7 {
            case 0: "plain \(index)"
            case 1: "semi;colon"
            case 2: "quote \"\(index)\""
            case 3: "two\nlines"
            case 4: ""
            case 5: "crlf\r\ninside"
            default: "Société Générale — n° \(index)"
            }
            let quoted = "\"" + note.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            text += "INV-\(index);C-\(index % 977);\(index % 2 == 0 ? quoted : (note.utf8.contains(where: { ";\"\n\r".utf8.contains($0) }) ? quoted : note))"
            text += index % 3 == 0 ? "\r\n" : "\n"
            expected.append(CSVRecord(line: line, fields: ["INV-\(index)", "C-\(index % 977)", note]))
            line += 1 + note.filter { $0 == "\n" || $0 == "\r\n" }.count
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-csv-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(text.utf8.count > 40 * CSVReader.chunkSize)

        let reader = try CSVReader(url: url)
        #expect(reader.delimiter == .semicolon)
        var read = 0
        var mismatches = 0
        while let record = try reader.nextRecord() {
            if read < expected.count, record != expected[read] {
                mismatches += 1
                if mismatches < 5 { Issue.record("record \(read): \(record) != \(expected[read])") }
            }
            read += 1
        }
        #expect(read == count + 1)
        #expect(mismatches == 0)
    }

    // MARK: Leniencies for bank exports (payment matching's CSV statements)

    @Test("any ASCII delimiter can be given: a tab, a pipe; quotes and line breaks cannot be delimiters")
    func otherDelimiters() throws {
        #expect(try Self.records("a\tb\n1,5\t\"x\ty\"\n", delimiter: .tab).map(\.fields) == [["a", "b"], ["1,5", "x\ty"]])
        let pipe = try #require(CSVReader.Delimiter(rawValue: UInt8(ascii: "|")))
        #expect(try Self.records("a|b\n1|2\n", delimiter: pipe).map(\.fields) == [["a", "b"], ["1", "2"]])
        #expect(CSVReader.Delimiter(rawValue: UInt8(ascii: "\"")) == nil)
        #expect(CSVReader.Delimiter(rawValue: UInt8(ascii: "\n")) == nil)
        #expect(CSVReader.Delimiter(rawValue: 0xE9) == nil)
    }

    @Test("with quoteAfterSpaces, spaces before an opening quote are padding; without, the quote is data")
    func quoteAfterSpaces() throws {
        let text = "a, \"b,c\" ,d\n1,x \"y\" z,\"2\"\n"
        let lenient = CSVReader(string: text, delimiter: .comma, options: CSVReader.Options(quoteAfterSpaces: true))
        #expect(try Self.records(lenient).map(\.fields) == [["a", "b,c ", "d"], ["1", "x \"y\" z", "2"]])
        #expect(try Self.records(text, delimiter: .comma).map(\.fields) == [["a", " \"b", "c\" ", "d"], ["1", "x \"y\" z", "2"]])
    }

    @Test("quoteAfterSpaces works across chunk boundaries of a file")
    func quoteAfterSpacesAcrossChunks() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-csv-\(UUID().uuidString).csv")
        // Put the padding and the quote on both sides of the first 64 KiB boundary.
        let padding = String(repeating: "p", count: CSVReader.chunkSize - 8)
        let body = "h1;h2\n" + padding + ";   \"q;r\"\nend;\"s\"\n"
        try Data(body.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let reader = try CSVReader(url: url, delimiter: .semicolon, options: CSVReader.Options(quoteAfterSpaces: true))
        #expect(try Self.records(reader).map(\.fields) == [["h1", "h2"], [padding, "q;r"], ["end", "s"]])
    }

    @Test("a fallback decoding reads fields that are not UTF-8 (Windows-1252 bank exports); UTF-8 fields stay UTF-8")
    func fallbackDecoding() throws {
        let latin1: @Sendable ([UInt8]) -> String = { bytes in String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) })) }
        let bytes = Array("name;town\nM".utf8) + [0xFC] + Array("ller;Z".utf8) + [0xFC] + Array("rich\nB\u{00E9}a;Paris\n".utf8)
        let reader = CSVReader(bytes: bytes, delimiter: .semicolon, options: CSVReader.Options(fallbackDecoding: latin1))
        #expect(try Self.records(reader).map(\.fields) == [["name", "town"], ["M\u{00FC}ller", "Z\u{00FC}rich"], ["B\u{00E9}a", "Paris"]])
        let strict = CSVReader(bytes: bytes, delimiter: .semicolon)
        _ = try strict.nextRecord()
        #expect(throws: CSVError.self) { try strict.nextRecord() }
    }
}
