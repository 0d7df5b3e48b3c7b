import Foundation

/// Reads a text bank file line by line (or in fixed-width records) from a `FileHandle` in
/// 64 KiB chunks, so memory stays bounded whatever the file's size. Shared by the MT940,
/// CFONB and CSV readers.
///
/// Lines end at LF, CR LF or a lone CR; a UTF-8 byte order mark at the start is skipped. Each
/// line is decoded as UTF-8 when valid, else as Windows-1252 (ISO-8859-1 with the 0x80-0x9F
/// printable characters), the encoding of most older bank exports.
final class StatementLineReader {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEnd = false
    private let maxLineLength: Int
    /// The 1-based number of the last line returned.
    private(set) var lineNumber = 0
    static let chunkSize = 64 * 1024

    /// Opens `file` for reading.
    /// - Parameter maxLineLength: Longer lines are refused (a binary file, or a file without
    ///   line breaks, must not be read whole into one line).
    init(_ file: URL, maxLineLength: Int = 1 << 20) throws(StatementError) {
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw StatementError(.io, "cannot open \(file.path): \(error.localizedDescription); check the path and permissions", location: nil)
        }
        self.maxLineLength = maxLineLength
        try fill()
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
    }

    deinit { try? handle.close() }

    /// Reads more bytes into the buffer, dropping those already consumed.
    /// - Returns: Whether any byte was added.
    @discardableResult
    private func fill() throws(StatementError) -> Bool {
        guard !atEnd else { return false }
        let data: Data?
        do {
            data = try handle.read(upToCount: Self.chunkSize)
        } catch {
            throw StatementError(.io, "cannot read the file: \(error.localizedDescription)", location: "line \(lineNumber + 1)")
        }
        guard let data, !data.isEmpty else {
            atEnd = true
            return false
        }
        if position > 0 {
            buffer.removeFirst(position)
            position = 0
        }
        buffer.append(contentsOf: data)
        return true
    }

    /// The next line's bytes without its line break, or nil at the end of the file.
    func nextLineBytes() throws(StatementError) -> [UInt8]? {
        guard let line = try nextLineSlice() else { return nil }
        return Array(line)
    }

    /// The next line without its line break as a slice of the reader's buffer (no copy), or
    /// nil at the end of the file. The caller must let go of the slice before reading on: while
    /// it is held, the next refill copies the buffer instead of reusing it.
    func nextLineSlice() throws(StatementError) -> ArraySlice<UInt8>? {
        var scanned = position
        while true {
            // Scan to the next line break without per-byte bounds checks.
            let count = buffer.count
            let from = scanned
            scanned = buffer.withUnsafeBufferPointer { all -> Int in
                var index = from
                while index < count, all[index] != 0x0A, all[index] != 0x0D { index += 1 }
                return index
            }
            if scanned - position > maxLineLength {
                throw StatementError(.malformed, "line \(lineNumber + 1) is longer than \(maxLineLength) bytes: not a text statement, or a file without line breaks",
                                     location: "line \(lineNumber + 1)")
            }
            if scanned < count {
                let byte = buffer[scanned]
                var next = scanned + 1
                if byte == 0x0D {
                    if next == buffer.count {
                        // The LF of a CR LF may be in the next chunk; the refill keeps the line
                        // (it drops only the bytes before `position`).
                        let offset = scanned - position
                        try fill()
                        scanned = position + offset
                        next = scanned + 1
                    }
                    if next < buffer.count, buffer[next] == 0x0A { next += 1 }
                }
                let line = buffer[position..<scanned]
                position = next
                lineNumber += 1
                return line
            }
            let offset = scanned - position
            guard try fill() else { break }
            scanned = position + offset
        }
        guard position < buffer.count else { return nil }
        let line = buffer[position...]
        position = buffer.count
        lineNumber += 1
        return line
    }

    /// The next line decoded (UTF-8, else Windows-1252), or nil at the end of the file.
    func nextLine() throws(StatementError) -> String? {
        guard let bytes = try nextLineBytes() else { return nil }
        return Self.decode(bytes)
    }

    /// The next fixed-width record: skips line breaks before it, then takes `width` bytes
    /// (fewer at the end of the file). For files of records written back to back.
    func nextRecordBytes(width: Int) throws(StatementError) -> [UInt8]? {
        while true {
            while position < buffer.count, buffer[position] == 0x0A || buffer[position] == 0x0D { position += 1 }
            if buffer.count - position >= width { break }
            guard try fill() else { break }
        }
        guard position < buffer.count else { return nil }
        let end = min(buffer.count, position + width)
        let record = Array(buffer[position..<end])
        position = end
        lineNumber += 1
        return record
    }

    /// Decodes a line: UTF-8 when valid, else Windows-1252.
    static func decode(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if (0x80...0x9F).contains(byte), let mapped = windows1252[Int(byte - 0x80)] {
                scalars.append(mapped)
            } else {
                scalars.append(Unicode.Scalar(byte))
            }
        }
        return String(scalars)
    }

    /// Windows-1252 characters at 0x80...0x9F (nil: undefined there, kept as the C1 control).
    private static let windows1252: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// The first `count` bytes of a file (for format detection), BOM included.
    static func prefix(of file: URL, count: Int = 4096) throws(StatementError) -> [UInt8] {
        do {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            return [UInt8](try handle.read(upToCount: count) ?? Data())
        } catch {
            throw StatementError(.io, "cannot read \(file.path): \(error.localizedDescription); check the path and permissions", location: nil)
        }
    }
}
