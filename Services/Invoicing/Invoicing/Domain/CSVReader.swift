import Foundation

/// One CSV record: its fields and the physical line it starts on (1-based, the header is
/// line 1), so rejections can point at the line a person sees in a text editor.
public struct CSVRecord: Hashable, Sendable {
    /// The physical line where the record starts; a record with quoted line breaks spans
    /// several lines.
    public let line: Int
    /// The fields, unquoted, in order.
    public let fields: [String]

    /// Creates a record.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }

    /// The field at `index`, or an empty string when the record is shorter.
    public subscript(index: Int) -> String {
        index < fields.count ? fields[index] : ""
    }
}

/// A streaming RFC 4180 CSV reader over a file, in bounded memory whatever the file size.
///
/// - Reads 64 KiB chunks; memory is one chunk plus the record being read (plus the header
///   line while the delimiter is detected). A record longer than 1 MiB (usually a quote left
///   open) is an error rather than a reason to read the rest of the file into memory.
/// - Fields may be quoted; inside quotes `""` is a quote and delimiters and line breaks are
///   data. Records end at CRLF, LF or CR. A UTF-8 byte order mark is skipped. Blank lines are
///   skipped. Text after a closing quote is kept as data (`"ab"c` reads `abc`), as spreadsheet
///   programs do.
/// - The delimiter, `,` or `;` (French spreadsheets), is detected from the header line: the
///   one that occurs more often outside quotes; `,` on a tie.
/// - Works on bytes, not `Character`s; fields must be UTF-8.
///
/// Not thread-safe: one reader per task. Usage:
/// ```swift
/// let reader = try CSVReader(url: url)
/// while let record = try reader.nextRecord() { ... }
/// ```
public final class CSVReader {
    /// A field delimiter.
    public enum Delimiter: UInt8, Sendable, Hashable {
        /// `,` (RFC 4180).
        case comma = 0x2C
        /// `;` (what spreadsheets write where the decimal separator is a comma).
        case semicolon = 0x3B
    }

    /// Bytes read from the file at a time: 64 KiB.
    public static let chunkSize = 65_536
    /// The longest header line accepted while detecting the delimiter: 1 MiB.
    public static let maximumHeaderLength = 1 << 20
    /// The longest record accepted, in bytes: 1 MiB.
    public static let maximumRecordLength = 1 << 20

    /// The delimiter in use, given or detected.
    public private(set) var delimiter: Delimiter

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }
    private enum ScanResult { case record(CSVRecord), needMore, invalidUTF8, recordTooLong }

    private let handle: FileHandle?
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var endOfInput = false
    private var finished = false

    // Parser state, kept across chunks.
    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [String] = []
    private var line = 1
    private var recordLine = 1
    private var swallowLineFeed = false
    private var recordStarted = false
    private var recordLength = 0

    /// Opens a file and reads its header line to detect the delimiter.
    /// - Parameters:
    ///   - url: A file URL.
    ///   - delimiter: The delimiter, or nil to detect it.
    /// - Throws: `InvoicingError` `.unreadableInput` when the file cannot be opened or read.
    public convenience init(url: URL, delimiter: Delimiter? = nil) throws(InvoicingError) {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw InvoicingError(.unreadableInput, "cannot open \(url.path): \(error.localizedDescription)")
        }
        try self.init(handle: handle, owns: true, delimiter: delimiter)
    }

    /// Reads from an open file handle (left open when the reader is done).
    /// - Throws: `InvoicingError` `.unreadableInput` when reading fails.
    public convenience init(fileHandle: FileHandle, delimiter: Delimiter? = nil) throws(InvoicingError) {
        try self.init(handle: fileHandle, owns: false, delimiter: delimiter)
    }

    /// Reads CSV already in memory (a request body, a test fixture).
    public convenience init(bytes: [UInt8], delimiter: Delimiter? = nil) {
        self.init(memory: bytes, delimiter: delimiter)
    }

    /// Reads CSV from a string (tests, small inputs).
    public convenience init(string: String, delimiter: Delimiter? = nil) {
        self.init(memory: Array(string.utf8), delimiter: delimiter)
    }

    private init(memory: [UInt8], delimiter: Delimiter?) {
        self.handle = nil
        self.ownsHandle = false
        self.buffer = memory
        self.endOfInput = true
        self.delimiter = delimiter ?? .comma
        skipByteOrderMark()
        if delimiter == nil {
            self.delimiter = CSVReader.detectDelimiter(in: buffer, from: position, complete: true) ?? .comma
        }
    }

    private init(handle: FileHandle, owns: Bool, delimiter: Delimiter?) throws(InvoicingError) {
        self.handle = handle
        self.ownsHandle = owns
        self.delimiter = delimiter ?? .comma
        try readChunk(appending: false)
        while buffer.count < 3 && !endOfInput { try readChunk(appending: true) }
        skipByteOrderMark()
        guard delimiter == nil else { return }
        while true {
            if let detected = CSVReader.detectDelimiter(in: buffer, from: position, complete: endOfInput) {
                self.delimiter = detected
                return
            }
            guard buffer.count < CSVReader.maximumHeaderLength else {
                throw InvoicingError(.malformedCSV, "the header line is longer than 1 MiB; is this a CSV file?")
            }
            try readChunk(appending: true)
        }
    }

    deinit {
        if ownsHandle { try? handle?.close() }
    }

    /// The next record, or nil at the end of the input.
    /// - Throws: `InvoicingError` `.malformedCSV` for a quote left open at the end of the file or
    ///   a field that is not UTF-8 (with the line); `.unreadableInput` when reading fails.
    public func nextRecord() throws(InvoicingError) -> CSVRecord? {
        while !finished {
            if position >= buffer.count {
                if endOfInput { return try finish() }
                try readChunk(appending: false)
                continue
            }
            switch scan() {
            case .record(let record): return record
            case .needMore: continue
            case .invalidUTF8:
                finished = true
                throw InvoicingError(.malformedCSV,
                                     "line \(line) is not valid UTF-8; save the file as UTF-8 CSV (in Excel: \"CSV UTF-8\")")
            case .recordTooLong:
                finished = true
                throw InvoicingError(.malformedCSV,
                                     "the record starting on line \(recordLine) is longer than 1 MiB; is a quote left open?")
            }
        }
        return nil
    }

    // MARK: - Scanning

    /// Consumes the buffer from `position` until a record ends or the buffer does.
    private func scan() -> ScanResult {
        // Work on locals: stored properties of a class pay for exclusivity checks on every access.
        var state = self.state
        var field = self.field
        var fields = self.fields
        self.field = []
        self.fields = []
        var line = self.line
        var recordLine = self.recordLine
        var swallowLineFeed = self.swallowLineFeed
        var recordStarted = self.recordStarted
        var recordLength = self.recordLength
        var position = self.position
        let delimiter = self.delimiter.rawValue
        defer {
            self.state = state
            self.field = field
            self.fields = fields
            self.line = line
            self.recordLine = recordLine
            self.swallowLineFeed = swallowLineFeed
            self.recordStarted = recordStarted
            self.recordLength = recordLength
            self.position = position
        }
        let quote = UInt8(ascii: "\""), lineFeed = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

        return buffer.withUnsafeBufferPointer { bytes -> ScanResult in
            let end = bytes.count
            var index = position
            while index < end {
                if swallowLineFeed {
                    swallowLineFeed = false
                    if bytes[index] == lineFeed {
                        index += 1
                        continue
                    }
                }
                switch state {
                case .fieldStart where bytes[index] == quote:
                    state = .quoted
                    recordStarted = true
                    index += 1
                case .fieldStart, .unquoted:
                    var stop = index
                    while stop < end {
                        let byte = bytes[stop]
                        if byte == delimiter || byte == lineFeed || byte == carriageReturn { break }
                        stop += 1
                    }
                    recordLength += stop - index
                    guard recordLength <= CSVReader.maximumRecordLength else { return .recordTooLong }
                    guard stop < end else {
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                        state = .unquoted
                        index = stop
                        continue
                    }
                    let text: String?
                    if field.isEmpty {
                        text = CSVReader.string(UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                    } else {
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                        text = field.withUnsafeBufferPointer(CSVReader.string)
                        field.removeAll(keepingCapacity: true)
                    }
                    guard let text else {
                        position = stop
                        return .invalidUTF8
                    }
                    fields.append(text)
                    index = stop + 1
                    state = .fieldStart
                    if bytes[stop] == delimiter {
                        recordStarted = true
                        continue
                    }
                    // End of the record.
                    swallowLineFeed = bytes[stop] == carriageReturn
                    line += 1
                    let blank = !recordStarted && fields.count == 1 && fields[0].isEmpty
                    recordStarted = false
                    recordLength = 0
                    if blank {
                        fields.removeAll(keepingCapacity: true)
                        recordLine = line
                        continue
                    }
                    let record = CSVRecord(line: recordLine, fields: fields)
                    fields = []
                    fields.reserveCapacity(record.fields.count)
                    recordLine = line
                    position = index
                    return .record(record)
                case .quoted:
                    var stop = index
                    while stop < end {
                        let byte = bytes[stop]
                        if byte == quote { break }
                        if byte == lineFeed { line += 1 }
                        stop += 1
                    }
                    field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                    recordLength += stop - index + 1
                    guard recordLength <= CSVReader.maximumRecordLength else { return .recordTooLong }
                    if stop < end {
                        state = .quoteInQuoted
                        index = stop + 1
                    } else {
                        index = stop
                    }
                case .quoteInQuoted:
                    if bytes[index] == quote {
                        field.append(quote) // "" inside quotes
                        state = .quoted
                        index += 1
                    } else {
                        state = .unquoted // closing quote; what follows is handled unquoted
                    }
                }
            }
            position = end
            return .needMore
        }
    }

    /// Ends the input: emits the last record when the file does not end with a line break.
    private func finish() throws(InvoicingError) -> CSVRecord? {
        finished = true
        if state == .quoted {
            throw InvoicingError(.malformedCSV,
                                 "the quote opened on line \(recordLine) is never closed; close it or double the quotes inside the field")
        }
        guard recordStarted || !field.isEmpty || !fields.isEmpty else { return nil }
        guard let text = field.withUnsafeBufferPointer(CSVReader.string) else {
            throw InvoicingError(.malformedCSV, "line \(line) is not valid UTF-8; save the file as UTF-8 CSV")
        }
        fields.append(text)
        field = []
        let record = CSVRecord(line: recordLine, fields: fields)
        fields = []
        return record
    }

    /// The field's text, nil when it is not UTF-8. ASCII (the usual case) skips validation.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }

    // MARK: - Input

    private func readChunk(appending: Bool) throws(InvoicingError) {
        guard let handle, !endOfInput else {
            endOfInput = true
            return
        }
        let data: Data?
        do {
            data = try handle.read(upToCount: CSVReader.chunkSize)
        } catch {
            throw InvoicingError(.unreadableInput, "reading the CSV failed: \(error.localizedDescription)")
        }
        if !appending {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        guard let data, !data.isEmpty else {
            endOfInput = true
            return
        }
        data.withUnsafeBytes { buffer.append(contentsOf: $0) }
    }

    private func skipByteOrderMark() {
        if buffer.count >= position + 3, buffer[position] == 0xEF, buffer[position + 1] == 0xBB, buffer[position + 2] == 0xBF {
            position += 3
        }
    }

    /// The delimiter of the first line (`;` when it has more semicolons than commas outside
    /// quotes), or nil when the line is not complete in `bytes` and more input may follow.
    static func detectDelimiter(in bytes: [UInt8], from start: Int, complete: Bool) -> Delimiter? {
        var commas = 0
        var semicolons = 0
        var quoted = false
        var index = start
        var sawLineEnd = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                    sawLineEnd = true
                    break
                }
                if byte == UInt8(ascii: ",") { commas += 1 }
                if byte == UInt8(ascii: ";") { semicolons += 1 }
            }
            index += 1
        }
        guard sawLineEnd || complete else { return nil }
        return semicolons > commas ? .semicolon : .comma
    }
}
