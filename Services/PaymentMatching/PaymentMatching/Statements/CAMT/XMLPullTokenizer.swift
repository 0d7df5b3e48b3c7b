import Foundation

/// A small pull tokenizer for the XML that bank files use, reading byte chunks so that memory
/// stays bounded whatever the file's size.
///
/// Why not FoundationXML's `XMLParser(stream:)` (libxml2 SAX): on Linux its DTD and entity
/// behaviour depends on the libxml2 build and on swift-corelibs-foundation defaults
/// (`shouldResolveExternalEntities`, libxml2's own amplification heuristics), it gives no hook
/// to refuse a `<!DOCTYPE` before libxml2 has parsed it, no depth or text-size limits of our
/// own, and its delegate callbacks allocate a dictionary and an `NSString` per element. CAMT
/// needs far less than XML allows: elements, attributes, text, CDATA, comments, processing
/// instructions, the five predefined entities and numeric character references. A tokenizer
/// that reads exactly that can refuse everything else up front (`unsafe`), with a line number,
/// and is several times faster.
///
/// Namespaces are handled by stripping the prefix (`ns2:Ntry` → `Ntry`): CAMT documents use one
/// namespace per document, and readers match local names so that any camt version reads.
/// Text is UTF-8; an XML declaration naming ISO-8859-1 / Latin-1 (or windows-1252) makes text
/// read as Latin-1. UTF-16 is refused (`encoding`).
struct XMLPullTokenizer {
    /// What ``next()`` found.
    enum Event: Equatable {
        /// An element starts: ``name`` and ``attributes`` describe it.
        case start
        /// An element ends: ``name`` is its local name.
        case end
        /// Character data (text or CDATA) inside the root element: ``text`` holds it, decoded.
        case text
        /// The document ended after its root element.
        case endOfDocument
    }

    /// Limits that make hostile files fail fast instead of exhausting memory or time.
    struct Limits: Sendable, Hashable {
        var maxDepth: Int
        var maxTextBytes: Int
        var maxAttributes: Int
        var maxNameBytes: Int
    }

    /// The local name (prefix stripped) of the element that started or ended.
    private(set) var name = ""
    /// The attributes of the element that started, local names (prefix stripped).
    private(set) var attributes: [(name: String, value: String)] = []
    /// The decoded UTF-8 bytes of the last text event.
    private(set) var text: [UInt8] = []
    /// The current line (1-based), for error locations.
    private(set) var line = 1
    /// Qualified names of the open elements, root first.
    private(set) var openElements: [String] = []
    /// Their local names.
    private var openLocalNames: [String] = []

    private let limits: Limits
    private var buffer: [UInt8]
    private var position = 0
    private var handle: FileHandle?
    private let chunkSize: Int
    private var pendingEnd = false
    private var sawRoot = false
    private var sawAnything = false
    private var latin1 = false

    /// Reads `handle` in chunks of `chunkSize` bytes.
    init(handle: FileHandle, limits: Limits, chunkSize: Int = 64 * 1024) {
        self.handle = handle
        self.limits = limits
        self.buffer = []
        self.chunkSize = chunkSize
    }

    /// Reads bytes already in memory (a file's first bytes, for format detection; tests).
    init(bytes: [UInt8], limits: Limits) {
        self.handle = nil
        self.limits = limits
        self.buffer = bytes
        self.chunkSize = 0
    }

    /// Where the tokenizer is, for errors: the open elements and the line.
    var location: String {
        openElements.isEmpty ? "line \(line)" : openElements.joined(separator: "/") + ", line \(line)"
    }

    /// The next event.
    /// - Throws: `StatementError`: `unsafe` for a DTD, an entity declaration or a limit
    ///   exceeded; `malformed` for broken XML or a truncated file; `unknownFormat` when the file
    ///   is not XML; `encoding` for bytes that are not text in the declared encoding; `io`.
    mutating func next() throws(StatementError) -> Event {
        if pendingEnd {
            pendingEnd = false
            openElements.removeLast()
            openLocalNames.removeLast()
            return .end
        }
        while true {
            guard let byte = try peek() else {
                if !openElements.isEmpty {
                    throw StatementError(.malformed, "the file ends inside <\(openElements.last ?? "")>: it is truncated; ask the bank for the complete file", location: location)
                }
                if !sawRoot {
                    throw StatementError(.unknownFormat, sawAnything ? "the XML document has no root element" : "the file is empty", location: location)
                }
                return .endOfDocument
            }
            if byte == UInt8(ascii: "<") {
                advance()
                sawAnything = true
                if let event = try markup() { return event }
                continue
            }
            if openElements.isEmpty {
                // Outside the root only white space may appear.
                if Self.isSpace(byte) {
                    advance()
                    continue
                }
                if byte == 0xFE || byte == 0xFF || byte == 0x00 {
                    throw StatementError(.encoding, "the file looks like UTF-16; convert it to UTF-8", location: location)
                }
                if !sawAnything && byte == 0xEF {
                    try skipByteOrderMark()
                    continue
                }
                throw StatementError(sawRoot ? .malformed : .unknownFormat,
                                     sawRoot ? "text after the root element" : "not an XML document: it does not start with '<'",
                                     location: location)
            }
            try readText()
            return .text
        }
    }

    // MARK: - Markup

    /// After '<': an element, end tag, comment, CDATA or processing instruction. Returns nil
    /// for what produces no event (comments, processing instructions).
    private mutating func markup() throws(StatementError) -> Event? {
        guard let byte = try peek() else { throw truncated() }
        switch byte {
        case UInt8(ascii: "?"):
            advance()
            try processingInstruction()
            return nil
        case UInt8(ascii: "!"):
            advance()
            return try declarationCommentOrCDATA()
        case UInt8(ascii: "/"):
            advance()
            try endTag()
            return .end
        default:
            try startTag()
            return .start
        }
    }

    private mutating func processingInstruction() throws(StatementError) {
        // Keep the content only while it is short enough to be an XML declaration.
        var content: [UInt8] = []
        var previous: UInt8 = 0
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if previous == UInt8(ascii: "?") && byte == UInt8(ascii: ">") { break }
            if content.count < 512 { content.append(byte) }
            previous = byte
        }
        let declaration = String(decoding: content, as: UTF8.self).lowercased()
        if declaration.hasPrefix("xml ") || declaration.hasPrefix("xml\t") || declaration.hasPrefix("xml\n") || declaration.hasPrefix("xml\r") {
            guard !sawRoot else {
                throw StatementError(.malformed, "an XML declaration inside the document", location: location)
            }
            if let range = declaration.range(of: "encoding") {
                let rest = declaration[range.upperBound...]
                let value = rest.drop(while: { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" })
                    .prefix(while: { $0 != "\"" && $0 != "'" && $0 != " " && $0 != "?" })
                switch value {
                case "utf-8", "utf8", "us-ascii", "ascii": latin1 = false
                case "iso-8859-1", "latin1", "latin-1", "iso_8859-1", "windows-1252", "cp1252", "iso-8859-15": latin1 = true
                case "utf-16", "utf-16le", "utf-16be", "ucs-2":
                    throw StatementError(.encoding, "the document is declared \(value); convert it to UTF-8", location: location)
                default:
                    throw StatementError(.encoding, "unsupported encoding '\(value)'; convert the file to UTF-8", location: location)
                }
            }
        }
    }

    private mutating func declarationCommentOrCDATA() throws(StatementError) -> Event? {
        guard let byte = try nextByte() else { throw truncated() }
        if byte == UInt8(ascii: "-") {
            guard try nextByte() == UInt8(ascii: "-") else {
                throw StatementError(.malformed, "'<!-' that does not open a comment", location: location)
            }
            try skipComment()
            return nil
        }
        if byte == UInt8(ascii: "[") {
            for expected in Array("CDATA[".utf8) {
                guard try nextByte() == expected else {
                    throw StatementError(.malformed, "'<![' that does not open a CDATA section", location: location)
                }
            }
            guard !openElements.isEmpty else {
                throw StatementError(.malformed, "a CDATA section outside the root element", location: location)
            }
            try readCDATA()
            return .text
        }
        // <!DOCTYPE, <!ENTITY, <!ELEMENT ...: DTDs can define entities (billion laughs) and
        // load external files (XXE); a bank file never needs one, so refuse before reading on.
        var keyword = [byte]
        while keyword.count < 16, let next = try peek(), Self.isNameByte(next) {
            keyword.append(next)
            advance()
        }
        let word = String(decoding: keyword, as: UTF8.self)
        throw StatementError(.unsafe,
                             "the file contains a <!\(word) declaration; DTDs and entity declarations are refused for safety (they enable entity expansion and external file access), and bank statements never need them",
                             location: location)
    }

    private mutating func skipComment() throws(StatementError) {
        var dashes = 0
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if byte == UInt8(ascii: ">") && dashes >= 2 { return }
            dashes = byte == UInt8(ascii: "-") ? dashes + 1 : 0
        }
    }

    private mutating func readCDATA() throws(StatementError) {
        text.removeAll(keepingCapacity: true)
        var brackets = 0
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if byte == UInt8(ascii: ">") && brackets >= 2 {
                text.removeLast(2)
                try transcodeIfNeeded()
                return
            }
            brackets = byte == UInt8(ascii: "]") ? brackets + 1 : 0
            text.append(byte)
            try checkTextSize()
        }
    }

    private mutating func startTag() throws(StatementError) {
        guard !(sawRoot && openElements.isEmpty) else {
            throw StatementError(.malformed, "a second root element", location: location)
        }
        let qualified = try readName()
        attributes.removeAll(keepingCapacity: true)
        while true {
            try skipSpaces()
            guard let byte = try peek() else { throw truncated() }
            if byte == UInt8(ascii: ">") {
                advance()
                break
            }
            if byte == UInt8(ascii: "/") {
                advance()
                guard try nextByte() == UInt8(ascii: ">") else {
                    throw StatementError(.malformed, "'/' not followed by '>' in <\(qualified)>", location: location)
                }
                pendingEnd = true
                break
            }
            let attributeName = try readName()
            try skipSpaces()
            guard try nextByte() == UInt8(ascii: "=") else {
                throw StatementError(.malformed, "attribute \(attributeName) of <\(qualified)> has no '=' value", location: location)
            }
            try skipSpaces()
            let value = try readAttributeValue()
            guard attributes.count < limits.maxAttributes else {
                throw StatementError(.unsafe, "<\(qualified)> has more than \(limits.maxAttributes) attributes", location: location)
            }
            attributes.append((name: Self.localName(attributeName), value: value))
        }
        guard openElements.count < limits.maxDepth else {
            throw StatementError(.unsafe, "elements nested deeper than \(limits.maxDepth) levels; bank statements are far shallower, so the file is refused", location: location)
        }
        name = Self.localName(qualified)
        openElements.append(qualified)
        openLocalNames.append(name)
        sawRoot = true
    }

    private mutating func endTag() throws(StatementError) {
        // Fast path: compare the bytes with the open element's name, without making a String.
        let open = openElements.last ?? ""
        let length = open.utf8.count
        var qualified = open
        if length > 0, position + length < buffer.count, !Self.isNameByte(buffer[position + length]),
           buffer[position..<(position + length)].elementsEqual(open.utf8) {
            position += length
        } else {
            qualified = try readName()
        }
        try skipSpaces()
        guard try nextByte() == UInt8(ascii: ">") else {
            throw StatementError(.malformed, "</\(qualified) is not closed by '>'", location: location)
        }
        guard !openElements.isEmpty else {
            throw StatementError(.malformed, "</\(qualified)> closes no open element", location: location)
        }
        guard open == qualified else {
            throw StatementError(.malformed, "</\(qualified)> closes <\(open)>; the XML is broken", location: location)
        }
        openElements.removeLast()
        name = openLocalNames.removeLast()
    }

    private mutating func readName() throws(StatementError) -> String {
        var bytes: [UInt8] = []
        // Fast path: the whole name is in the buffer.
        var end = position
        while end < buffer.count, Self.isNameByte(buffer[end]) { end += 1 }
        if end < buffer.count && end > position && end - position <= limits.maxNameBytes {
            let first = buffer[position]
            if !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") {
                let name = try Self.string(buffer[position..<end], location: location)
                position = end
                return name
            }
            bytes = Array(buffer[position..<end])
            position = end
        } else {
            while let byte = try peek(), Self.isNameByte(byte) {
                bytes.append(byte)
                advance()
                guard bytes.count <= limits.maxNameBytes else { break }
            }
        }
        guard bytes.count <= limits.maxNameBytes else {
            throw StatementError(.unsafe, "a name longer than \(limits.maxNameBytes) bytes", location: location)
        }
        guard let first = bytes.first, !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else {
            if try peek() == nil { throw truncated() }
            throw StatementError(.malformed, "expected an element or attribute name", location: location)
        }
        return try string(bytes)
    }

    private mutating func readAttributeValue() throws(StatementError) -> String {
        guard let quote = try nextByte() else { throw truncated() }
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw StatementError(.malformed, "an attribute value must be quoted", location: location)
        }
        text.removeAll(keepingCapacity: true)
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if byte == quote { break }
            if byte == UInt8(ascii: "<") {
                throw StatementError(.malformed, "'<' inside an attribute value", location: location)
            }
            if byte == UInt8(ascii: "&") {
                try readReference()
            } else {
                text.append(byte)
            }
            try checkTextSize()
        }
        try transcodeIfNeeded()
        return try string(text)
    }

    // MARK: - Text

    private mutating func readText() throws(StatementError) {
        text.removeAll(keepingCapacity: true)
        while true {
            // Fast path: copy the run up to the next '<' or '&' from the buffer.
            let start = position
            var end = position
            var newlines = 0
            let count = buffer.count
            while end < count {
                let byte = buffer[end]
                if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") { break }
                if byte == UInt8(ascii: "\n") { newlines += 1 }
                end += 1
            }
            if end > start {
                text.append(contentsOf: buffer[start..<end])
                position = end
                line += newlines
                try checkTextSize()
            }
            guard let byte = try peek() else { throw truncated() }
            if byte == UInt8(ascii: "<") { break }
            if byte == UInt8(ascii: "&") {
                advance()
                try readReference()
                try checkTextSize()
            }
        }
        try transcodeIfNeeded()
    }

    /// After '&': one of the five predefined entities or a character reference, appended to
    /// ``text`` as UTF-8. Any other name is refused: without a DTD it is undefined.
    private mutating func readReference() throws(StatementError) {
        var bytes: [UInt8] = []
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if byte == UInt8(ascii: ";") { break }
            bytes.append(byte)
            guard bytes.count <= 12 else {
                throw StatementError(.malformed, "'&' that starts no entity reference; write it as &amp;", location: location)
            }
        }
        switch bytes {
        case Array("amp".utf8): text.append(UInt8(ascii: "&"))
        case Array("lt".utf8): text.append(UInt8(ascii: "<"))
        case Array("gt".utf8): text.append(UInt8(ascii: ">"))
        case Array("quot".utf8): text.append(UInt8(ascii: "\""))
        case Array("apos".utf8): text.append(UInt8(ascii: "'"))
        default:
            let reference = String(decoding: bytes, as: UTF8.self)
            guard reference.hasPrefix("#") else {
                throw StatementError(.malformed, "undefined entity &\(reference);: only &amp; &lt; &gt; &quot; &apos; and character references exist without a DTD (DTDs are refused)", location: location)
            }
            let digits = reference.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, let scalar = Unicode.Scalar(value), value != 0 else {
                throw StatementError(.malformed, "&\(reference); is not a valid character reference", location: location)
            }
            // Already UTF-8: transcoding from Latin-1 must not touch it.
            if latin1 && scalar.value >= 0x80 {
                // Marker-free approach: encode as Latin-1 if it fits, else refuse (a Latin-1
                // document cannot carry the scalar through its byte decoding anyway).
                guard scalar.value <= 0xFF else {
                    throw StatementError(.encoding, "&\(reference); does not fit the document's Latin-1 encoding", location: location)
                }
                text.append(UInt8(scalar.value))
            } else {
                text.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
        }
    }

    private func checkTextSize() throws(StatementError) {
        guard text.count <= limits.maxTextBytes else {
            throw StatementError(.unsafe, "a text or attribute value longer than \(limits.maxTextBytes) bytes; bank statement fields are short, so the file is refused", location: location)
        }
    }

    private mutating func transcodeIfNeeded() throws(StatementError) {
        guard latin1, text.contains(where: { $0 >= 0x80 }) else { return }
        var utf8: [UInt8] = []
        utf8.reserveCapacity(text.count + 8)
        for byte in text {
            if byte < 0x80 {
                utf8.append(byte)
            } else {
                utf8.append(0xC0 | (byte >> 6))
                utf8.append(0x80 | (byte & 0x3F))
            }
        }
        text = utf8
    }

    /// Makes a `String` of UTF-8 bytes; names are ASCII or UTF-8 in both encodings we read.
    private func string(_ bytes: [UInt8]) throws(StatementError) -> String {
        try Self.string(bytes[...], location: location)
    }

    /// Makes a `String` of UTF-8 bytes, refusing invalid UTF-8. ASCII (the common case) skips
    /// the generic validating initialiser, which is several times slower.
    static func string(_ bytes: ArraySlice<UInt8>, location: @autoclosure () -> String) throws(StatementError) -> String {
        if !bytes.contains(where: { $0 >= 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let string = String(validating: bytes, as: UTF8.self) else {
            throw StatementError(.encoding, "bytes that are not UTF-8; declare the file's encoding (encoding=\"ISO-8859-1\") or convert it to UTF-8", location: location())
        }
        return string
    }

    // MARK: - Bytes

    private mutating func skipByteOrderMark() throws(StatementError) {
        for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
            guard try nextByte() == expected else {
                throw StatementError(.unknownFormat, "not an XML document: it does not start with '<'", location: location)
            }
        }
    }

    private mutating func skipSpaces() throws(StatementError) {
        while let byte = try peek(), Self.isSpace(byte) { advance() }
    }

    private mutating func peek() throws(StatementError) -> UInt8? {
        if position < buffer.count { return buffer[position] }
        try refill()
        return position < buffer.count ? buffer[position] : nil
    }

    private mutating func advance() {
        if buffer[position] == UInt8(ascii: "\n") { line += 1 }
        position += 1
    }

    private mutating func nextByte() throws(StatementError) -> UInt8? {
        guard let byte = try peek() else { return nil }
        advance()
        return byte
    }

    private mutating func refill() throws(StatementError) {
        guard let handle else { return }
        let data: Data?
        do {
            data = try handle.read(upToCount: chunkSize)
        } catch {
            throw StatementError(.io, "reading the file failed: \(error.localizedDescription)", location: location)
        }
        guard let data, !data.isEmpty else {
            self.handle = nil
            buffer = []
            position = 0
            return
        }
        buffer = [UInt8](data)
        position = 0
    }

    private func truncated() -> StatementError {
        StatementError(.malformed, "the file ends in the middle of markup: it is truncated or not well-formed XML", location: location)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return byte >= 0x80
        }
    }

    private static func localName(_ qualified: String) -> String {
        let utf8 = qualified.utf8
        guard let colon = utf8.lastIndex(of: UInt8(ascii: ":")) else { return qualified }
        return String(qualified[utf8.index(after: colon)...])
    }
}
