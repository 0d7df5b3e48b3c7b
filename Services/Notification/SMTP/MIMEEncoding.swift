import Foundation

/// The encodings a rendered message uses, so that it is 7-bit, CRLF-terminated and has no line
/// over 998 octets whatever the text (RFC 5322 2.1.1, RFC 2045, RFC 2047).
enum MIMEEncoding {
    static let crlf: [UInt8] = [13, 10]
    /// RFC 5322's recommended line length, which folding aims for.
    static let preferredLineLength = 78

    /// Calls `body` with each line of the text's UTF-8 bytes (without its break), split at
    /// CRLF, CR or LF alike; a final line break adds no empty line, an empty text is one empty
    /// line.
    static func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        var index = 0
        var emitted = false
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 10 || byte == 13 else {
                index += 1
                continue
            }
            body(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            emitted = true
            index += byte == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 ? 2 : 1
            start = index
        }
        if start < bytes.count || !emitted { body(UnsafeBufferPointer(rebasing: bytes[start..<bytes.count])) }
    }

    /// Whether the text's lines can go out as they are (`7bit`): ASCII without NUL, each line
    /// at most 998 octets.
    static func is7BitSafe(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var safe = true
            forEachLine(bytes) { line in
                if safe && (line.count > 998 || line.contains { $0 == 0 || $0 >= 128 }) { safe = false }
            }
            return safe
        }
    }

    /// Appends the text's lines, each followed by CRLF.
    static func appendLines(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            forEachLine(bytes) { line in
                output.append(contentsOf: line)
                output.append(contentsOf: crlf)
            }
        }
    }

    /// Quoted-printable (RFC 2045 6.7) of the text's lines (``forEachLine(_:_:)``): encoded
    /// lines of at most 76 characters, CRLF after each line. The output never contains `=_`,
    /// which MIME boundaries rely on. Leading dots stay as they are: dot-stuffing is the
    /// transport's job.
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8 + 16)
        var text = text
        text.withUTF8 { bytes in
            forEachLine(bytes) { line in appendQuotedPrintable(line, to: &output) }
        }
        return output
    }

    /// One line, quoted-printable, then CRLF.
    private static func appendQuotedPrintable(_ line: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var column = 0
        let last = line.count - 1
        for index in 0..<line.count {
            let byte = line[index]
            let literal = byte >= 33 && byte <= 126 && byte != 61 || (byte == 32 || byte == 9) && index != last
            let width = literal ? 1 : 3
            if column + width > 75 {
                output.append(61)
                output.append(13)
                output.append(10)
                column = 0
            }
            if literal {
                output.append(byte)
            } else {
                output.append(61)
                output.append(hexDigit(byte >> 4))
                output.append(hexDigit(byte & 0x0F))
            }
            column += width
        }
        output.append(13)
        output.append(10)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }

    /// A header value with every run of spaces, control characters (CR, LF, tab, NEL) and
    /// line or paragraph separators made one space: a value can never start a new header
    /// line. Other spaces (a French no-break space before ":") are kept.
    static func neutralised(_ value: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in value.unicodeScalars {
            let category = scalar.properties.generalCategory
            if scalar == " " || category == .control || category == .lineSeparator || category == .paragraphSeparator {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result += " " }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether a neutralised value must be sent as encoded-words: non-ASCII, something a
    /// reader would take for an encoded-word, or a word too long to fold.
    static func needsEncodedWords(_ value: String) -> Bool {
        value.utf8.contains { $0 >= 128 } || value.contains("=?")
            || value.split(separator: " ").contains { $0.utf8.count > 900 }
    }

    /// RFC 2047 B encoded-words (`=?UTF-8?B?...?=`) of at most 75 characters, joined by folding
    /// whitespace. `column` is where the first word starts on its line. Words end on Unicode
    /// scalar boundaries so that each decodes to valid UTF-8.
    static func encodedWords(_ value: String, column: Int) -> String {
        let overhead = "=?UTF-8?B??=".count
        var words: [String] = []
        var chunk: [UInt8] = []
        var budget = max(preferredLineLength - column - overhead, 16)
        func flush() {
            words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
            chunk = []
            budget = 75 - overhead
        }
        for scalar in value.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !chunk.isEmpty, (chunk.count + bytes.count + 2) / 3 * 4 > budget { flush() }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { flush() }
        return words.joined(separator: "\r\n ")
    }

    /// An unstructured header (`Subject: ...`), neutralised, encoded if needed, folded.
    static func unstructuredHeader(_ name: String, _ value: String) -> String {
        let value = neutralised(value)
        let prefix = name + ": "
        if needsEncodedWords(value) { return prefix + encodedWords(value, column: prefix.count) }
        return fold(prefix, value.split(separator: " ").map(String.init), separator: " ")
    }

    /// `prefix` then the items joined by `separator`, breaking lines before an item (after the
    /// separator's non-space part) where the line would pass 78 characters.
    static func fold(_ prefix: String, _ items: [String], separator: String) -> String {
        var result = prefix
        var column = prefix.count
        let glue = separator.trimmingCharacters(in: .whitespaces)
        for (index, item) in items.enumerated() {
            let firstLineOfItem = item.split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if index > 0 {
                if column + separator.count + firstLineOfItem.count > preferredLineLength {
                    result += glue + "\r\n "
                    column = 1
                } else {
                    result += separator
                    column += separator.count
                }
            }
            result += item
            column = item.contains("\r\n")
                ? item.split(separator: "\r\n").last.map(\.count) ?? 0 : column + item.count
        }
        return result
    }
}
