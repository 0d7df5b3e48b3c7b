import Foundation

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
///   one that occurs more often outside quotes; `,` on a tie. Any other ASCII delimiter (a
///   tab, `|`) can be given.
/// - Works on bytes, not `Character`s; fields must be UTF-8, unless a fallback decoding is
///   given (bank exports in Windows-1252).
/// - Optionally (``Options/quoteAfterSpaces``), spaces before an opening quote are dropped
///   (`a, "b,c"` reads `a` and `b,c`), as some bank exports need.
///
/// The one CSV parser of the package: invoicing's imports and payment matching's CSV
/// statements both read through it.
///
/// Not thread-safe: one reader per task. Usage:
/// ```swift
/// let reader = try CSVReader(url: url)
/// while let record = try reader.nextRecord() { ... }
/// ```
public final class CSVReader {
    /// A field delimiter: one ASCII byte other than a quote or a line break.
    public struct Delimiter: RawRepresentable, Sendable, Hashable {
        /// The delimiter's byte.
        public let rawValue: UInt8

        /// A delimiter from its byte; nil for a non-ASCII byte, a quote, CR or LF.
        public init?(rawValue: UInt8) {
            guard rawValue < 0x80, rawValue != UInt8(ascii: "\""), rawValue != UInt8(ascii: "\n"), rawValue != UInt8(ascii: "\r") else {
                return nil
            }
            self.rawValue = rawValue
        }

        private init(byte: UInt8) {
            rawValue = byte
        }

        /// `,` (RFC 4180).
        public static let comma = Delimiter(byte: 0x2C)
        /// `;` (what spreadsheets write where the decimal separator is a comma).
        public static let semicolon = Delimiter(byte: 0x3B)
        /// A tab (`\t`).
        public static let tab = Delimiter(byte: 0x09)
    }

    /// How liberal the reader is beyond RFC 4180.
    public struct Options: Sendable {
        /// Drops spaces before an opening quote, so that `a, "b,c"` reads `b,c` (the quote
        /// is otherwise data, as RFC 4180 says). Default: false.
        public var quoteAfterSpaces: Bool
        /// Decodes a field that is not valid UTF-8 (Windows-1252, say); nil makes such a
        /// field an error. Default: nil.
        public var fallbackDecoding: (@Sendable ([UInt8]) -> String)?

        /// Creates options; the defaults are strict RFC 4180 over UTF-8.
        public init(quoteAfterSpaces: Bool = false, fallbackDecoding: (@Sendable ([UInt8]) -> String)? = nil) {
            self.quoteAfterSpaces = quoteAfterSpaces
            self.fallbackDecoding = fallbackDecoding
        }
    }

    /// Bytes read from the file at a time: 64 KiB.
    public static let chunkSize = 65_536
    /// The longest header line accepted while detecting the delimiter: 1 MiB.
    public static let maximumHeaderLength = 1 << 20
    /// The longest record accepted, in bytes: 1 MiB.
    public static let maximumRecordLength = 1 << 20

    /// The delimiter in use, given or detected.
    public private(set) var delimiter: Delimiter
    /// The options given.
    public let options: Options

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

    /// Opens a file and, without a delimiter, reads its header line to detect it.
    /// - Parameters:
    ///   - url: A file URL.
    ///   - delimiter: The delimiter, or nil to detect it.
    ///   - options: Leniencies beyond RFC 4180.
    /// - Throws: ``CSVError`` `.unreadable` when the file cannot be opened or read,
    ///   `.malformed` when the header line is over 1 MiB.
    public convenience init(url: URL, delimiter: Delimiter? = nil, options: Options = Options()) throws(CSVError) {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw CSVError(.unreadable, "cannot open \(url.path): \(error.localizedDescription)")
        }
        try self.init(handle: handle, owns: true, delimiter: delimiter, options: options)
    }

    /// Reads from an open file handle (left open when the reader is done).
    /// - Throws: ``CSVError`` `.unreadable` when reading fails, `.malformed` when the header
    ///   line is over 1 MiB.
    public convenience init(fileHandle: FileHandle, delimiter: Delimiter? = nil, options: Options = Options()) throws(CSVError) {
        try self.init(handle: fileHandle, owns: false, delimiter: delimiter, options: options)
    }

    /// Reads CSV already in memory (a request body, a test fixture).
    public convenience init(bytes: [UInt8], delimiter: Delimiter? = nil, options: Options = Options()) {
        self.init(memory: bytes, delimiter: delimiter, options: options)
    }

    /// Reads CSV from a string (tests, small inputs).
    public convenience init(string: String, delimiter: Delimiter? = nil, options: Options = Options()) {
        self.init(memory: Array(string.utf8), delimiter: delimiter, options: options)
    }

    private init(memory: [UInt8], delimiter: Delimiter?, options: Options) {
        self.handle = nil
        self.ownsHandle = false
        self.buffer = memory
        self.endOfInput = true
        self.delimiter = delimiter ?? .comma
        self.options = options
        skipByteOrderMark()
        if delimiter == nil {
            self.delimiter = CSVReader.detectDelimiter(in: buffer, from: position, complete: true) ?? .comma
        }
    }

    private init(handle: FileHandle, owns: Bool, delimiter: Delimiter?, options: Options) throws(CSVError) {
        self.handle = handle
        self.ownsHandle = owns
        self.delimiter = delimiter ?? .comma
        self.options = options
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
                throw CSVError(.malformed, "the header line is longer than 1 MiB; is this a CSV file?", line: 1)
            }
            try readChunk(appending: true)
        }
    }

    deinit {
        if ownsHandle { try? handle?.close() }
    }

    /// The next record, or nil at the end of the input.
    /// - Throws: ``CSVError`` `.malformed` for a quote left open at the end of the file, a
    ///   record over 1 MiB or a field that is not UTF-8 without a fallback decoding (with the
    ///   line); `.unreadable` when reading fails.
    public func nextRecord() throws(CSVError) -> CSVRecord? {
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
                throw CSVError(.malformed, "line \(line) is not valid UTF-8; save the file as UTF-8 CSV (in Excel: \"CSV UTF-8\")", line: line)
            case .recordTooLong:
                finished = true
                throw CSVError(.malformed, "the record starting on line \(recordLine) is longer than 1 MiB; is a quote left open?", line: recordLine)
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
        let fallback = options.fallbackDecoding
        // With quoteAfterSpaces a quote also stops an unquoted run, to see whether only spaces
        // came before it; otherwise it stands in for the delimiter, costing nothing.
        let quoteAfterSpaces = options.quoteAfterSpaces
        let runStop = quoteAfterSpaces ? UInt8(ascii: "\"") : delimiter
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
                        if byte == delimiter || byte == lineFeed || byte == carriageReturn || byte == runStop { break }
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
                    if quoteAfterSpaces && bytes[stop] == quote {
                        let run = UnsafeBufferPointer(rebasing: bytes[index..<stop])
                        let onlySpaces = (state == .fieldStart || field.allSatisfy { $0 == 0x20 }) && run.allSatisfy { $0 == 0x20 }
                        if onlySpaces {
                            // `, "b"`: the spaces were padding, the quote opens the field.
                            field.removeAll(keepingCapacity: true)
                            state = .quoted
                        } else {
                            field.append(contentsOf: run)
                            field.append(quote) // a quote inside unquoted text is data
                            state = .unquoted
                        }
                        recordStarted = true
                        recordLength += 1
                        index = stop + 1
                        continue
                    }
                    let text: String?
                    if field.isEmpty {
                        text = CSVReader.string(UnsafeBufferPointer(rebasing: bytes[index..<stop]), fallback: fallback)
                    } else {
                        field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<stop]))
                        text = field.withUnsafeBufferPointer { CSVReader.string($0, fallback: fallback) }
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
    private func finish() throws(CSVError) -> CSVRecord? {
        finished = true
        if state == .quoted {
            throw CSVError(.malformed, "the quote opened on line \(recordLine) is never closed; close it or double the quotes inside the field",
                           line: recordLine)
        }
        guard recordStarted || !field.isEmpty || !fields.isEmpty else { return nil }
        let fallback = options.fallbackDecoding
        guard let text = field.withUnsafeBufferPointer({ CSVReader.string($0, fallback: fallback) }) else {
            throw CSVError(.malformed, "line \(line) is not valid UTF-8; save the file as UTF-8 CSV", line: line)
        }
        fields.append(text)
        field = []
        let record = CSVRecord(line: recordLine, fields: fields)
        fields = []
        return record
    }

    /// The field's text; when it is not UTF-8, the fallback's reading, else nil. ASCII (the
    /// usual case) skips validation.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, fallback: (@Sendable ([UInt8]) -> String)?) -> String? {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        if high < 0x80 { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return fallback.map { $0(Array(bytes)) }
    }

    // MARK: - Input

    private func readChunk(appending: Bool) throws(CSVError) {
        guard let handle, !endOfInput else {
            endOfInput = true
            return
        }
        let data: Data?
        do {
            data = try handle.read(upToCount: CSVReader.chunkSize)
        } catch {
            throw CSVError(.unreadable, "reading the CSV failed: \(error.localizedDescription)", line: line)
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
