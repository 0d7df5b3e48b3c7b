import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
/// Names are interned in an ``XMLNameTable``: a tag costs a hash and a byte comparison, not a
/// `String`, and readers compare integer ids (the names they pass at creation have fixed ids).
/// A name of at most 16 bytes met before is recognised from its bytes packed in two words
/// (``XMLPackedName``) without the table, and `<Name>` / `</Name>` take a one-step path.
/// Text is UTF-8; an XML declaration naming ISO-8859-1 / Latin-1 (or windows-1252) makes text
/// read as Latin-1. UTF-16 is refused (`encoding`).
struct XMLPullTokenizer: ~Copyable {
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

    /// The id (in ``names``) of the local name (prefix stripped) of the element that started or ended.
    private(set) var nameID: Int32 = -1
    /// The local name (prefix stripped) of the element that started or ended.
    var name: String { nameID < 0 ? "" : names.localName(nameID) }
    /// The attributes of the element that started: local name ids (prefix stripped) and values.
    private(set) var attributes: [(name: Int32, value: String)] = []
    /// The names met so far, and those given at creation.
    private(set) var names: XMLNameTable
    /// The decoded UTF-8 bytes of the text events since the last ``discardText()``: a reader
    /// that wants an element's whole text (text, CDATA, references) discards at each start and
    /// end. A copy: readers use ``textBytes``.
    var text: [UInt8] { pendingText.map { Array(buffer[$0]) } ?? storedText }
    /// ``text`` without a copy: a slice of the read buffer when the text is one run still in it
    /// (an element's value, the common case). Valid until the tokenizer reads on; let go of it
    /// before ``discardText()``, or the storage copies itself instead of being reused.
    var textBytes: ArraySlice<UInt8> { pendingText.map { buffer[$0] } ?? storedText[...] }
    /// Calls `body` with ``text``'s bytes in place: no copy, and no reference to the storage
    /// (an `ArraySlice` costs a retain and a release per element). The pointer is valid only
    /// during the call.
    func withTextBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if let range = pendingText {
            return try buffer.withUnsafeBufferPointer { (all) throws(E) -> R in try body(UnsafeBufferPointer(rebasing: all[range])) }
        }
        return try storedText.withUnsafeBufferPointer { (all) throws(E) -> R in try body(all) }
    }
    /// The number of bytes in ``text``.
    var textCount: Int { pendingText?.count ?? storedText.count }
    /// Text copied out of the buffer (several runs, references, CDATA, Latin-1, a run cut by a refill).
    private var storedText: [UInt8] = []
    /// The text when it is a single run in ``buffer`` not yet copied; ``storedText`` is empty then.
    private var pendingText: Range<Int>?
    /// The current line (1-based), for error locations.
    private(set) var line = 1
    /// Qualified name ids of the open elements, root first.
    private(set) var openElements = XMLElementStack<Int32>()

    private let limits: Limits
    private var buffer: [UInt8]
    private var position = 0
    private var handle: FileHandle?
    private let chunkSize: Int
    private var pendingEnd = false
    private var sawRoot = false
    private var sawAnything = false
    private var latin1 = false
    /// Names met before, by their packed bytes: most tags are recognised without the name table.
    private var nameCache = XMLPackedName.Cache()
    /// The packed spelling of each qualified name id (``XMLPackedName/none`` when too long), so
    /// that an end tag is checked against its open element with two word comparisons.
    private var packedNames: [XMLPackedName] = []
    /// When set, text is only added to ``text`` (no `.text` events; the size limit still holds):
    /// a reader that wants each element's whole text saves an event per element.
    private let coalescesText: Bool

    /// Reads `handle` in chunks of `chunkSize` bytes.
    /// - Parameter knownNames: Local names that get the ids 0, 1, 2... in ``names``.
    /// - Parameter coalescesText: Only add text to ``text``, without `.text` events.
    init(handle: FileHandle, limits: Limits, knownNames: [String] = [], coalescesText: Bool = false, chunkSize: Int = 256 * 1024) {
        self.handle = handle
        self.coalescesText = coalescesText
        self.names = XMLNameTable(known: knownNames)
        self.limits = limits
        self.buffer = []
        self.chunkSize = chunkSize
    }

    /// Reads bytes already in memory (a file's first bytes, for format detection; tests).
    init(bytes: [UInt8], limits: Limits, knownNames: [String] = [], coalescesText: Bool = false) {
        self.handle = nil
        self.coalescesText = coalescesText
        self.names = XMLNameTable(known: knownNames)
        self.limits = limits
        self.buffer = bytes
        self.chunkSize = 0
    }

    /// Empties ``text``, keeping its storage.
    mutating func discardText() {
        pendingText = nil
        if !storedText.isEmpty { storedText.removeAll(keepingCapacity: true) }
    }

    /// Copies a run not yet copied into ``storedText``: before more text is added or the buffer is replaced.
    private mutating func storePendingText() {
        guard let range = pendingText else { return }
        storedText.append(contentsOf: buffer[range])
        pendingText = nil
    }

    /// Where the tokenizer is, for errors: the open elements and the line.
    var location: String {
        openElements.isEmpty ? "line \(line)" : openElements.array.map { names.qualifiedName($0) }.joined(separator: "/") + ", line \(line)"
    }

    /// The next event.
    /// - Throws: `StatementError`: `unsafe` for a DTD, an entity declaration or a limit
    ///   exceeded; `malformed` for broken XML or a truncated file; `unknownFormat` when the file
    ///   is not XML; `encoding` for bytes that are not text in the declared encoding; `io`.
    mutating func next() throws(StatementError) -> Event {
        if pendingEnd {
            pendingEnd = false
            openElements.removeLast()
            return .end
        }
        while true {
            let next: UInt8? = position < buffer.count ? buffer[position] : try peek()
            guard let byte = next else {
                if !openElements.isEmpty {
                    throw StatementError(.malformed, "the file ends inside <\(openElements.last.map { names.qualifiedName($0) } ?? "")>: it is truncated; ask the bank for the complete file", location: location)
                }
                if !sawRoot {
                    throw StatementError(.unknownFormat, sawAnything ? "the XML document has no root element" : "the file is empty", location: location)
                }
                return .endOfDocument
            }
            if byte == UInt8(ascii: "<") {
                if let event = quickTag() { return event }
                position += 1
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
            if !coalescesText { return .text }
        }
    }

    // MARK: - Markup

    /// At '<' inside the root: `<Name>` for a name met before and `</Name>` closing the open
    /// element, the two tags nearly every element is made of, read in one step on the buffer's
    /// bytes; nil (position unchanged) for anything else, which ``markup()`` reads and checks.
    @inline(__always)
    private mutating func quickTag() -> Event? {
        let start = position
        // Room for '<', '/', a packed name and the byte after it: no bound to check below.
        guard let open = openElements.last, start + XMLPackedName.maxBytes + 3 < buffer.count else { return nil }
        if buffer[start + 1] == UInt8(ascii: "/") {
            let packed = packedNames[Int(open)]
            guard packed.count > 0 else { return nil }
            let closes = buffer.withUnsafeBufferPointer { all -> Bool in
                guard let base = all.baseAddress else { return false }
                return XMLPackedName(loading: UnsafeRawPointer(base + start + 2), count: packed.count) == packed
                    && all[start + 2 + packed.count] == UInt8(ascii: ">")
            }
            guard closes else { return nil }
            position = start + 3 + packed.count
            openElements.removeLast()
            nameID = names.localID(ofQualified: open)
            return .end
        }
        guard openElements.count < limits.maxDepth else { return nil }
        var end = start + 1
        let cached = buffer.withUnsafeBufferPointer { all -> Int32? in
            let count = all.count
            while end < count, Self.isNameByte(all[end]) { end += 1 }
            let length = end - start - 1
            guard end < count, all[end] == UInt8(ascii: ">"), length > 0, length <= XMLPackedName.maxBytes, let base = all.baseAddress else { return nil }
            return nameCache.id(of: XMLPackedName(loading: UnsafeRawPointer(base + start + 1), count: length))
        }
        guard let id = cached else { return nil }
        position = end + 1
        if !attributes.isEmpty { attributes.removeAll(keepingCapacity: true) }
        nameID = names.localID(ofQualified: id)
        openElements.push(id)
        return .start
    }

    /// After '<': an element, end tag, comment, CDATA or processing instruction. Returns nil
    /// for what produces no event (comments, processing instructions).
    private mutating func markup() throws(StatementError) -> Event? {
        let next: UInt8? = position < buffer.count ? buffer[position] : try peek()
        guard let byte = next else { throw truncated() }
        switch byte {
        case UInt8(ascii: "?"):
            advance()
            try processingInstruction()
            return nil
        case UInt8(ascii: "!"):
            advance()
            return try declarationCommentOrCDATA()
        case UInt8(ascii: "/"):
            position += 1
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
            return coalescesText ? nil : .text
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
        storePendingText()
        let segment = storedText.count
        var brackets = 0
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if byte == UInt8(ascii: ">") && brackets >= 2 {
                storedText.removeLast(2)
                try transcodeIfNeeded(from: segment)
                return
            }
            brackets = byte == UInt8(ascii: "]") ? brackets + 1 : 0
            storedText.append(byte)
            try checkTextSize()
        }
    }

    private mutating func startTag() throws(StatementError) {
        guard !(sawRoot && openElements.isEmpty) else {
            throw StatementError(.malformed, "a second root element", location: location)
        }
        let qualifiedID = try readName()
        if !attributes.isEmpty { attributes.removeAll(keepingCapacity: true) }
        if position < buffer.count, buffer[position] == UInt8(ascii: ">") {
            // Fast path: `<Name>`, the common tag.
            position += 1
            try open(qualifiedID)
            return
        }
        let qualified = names.qualifiedName(qualifiedID)
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
            let attributeID = try readName()
            try skipSpaces()
            guard try nextByte() == UInt8(ascii: "=") else {
                throw StatementError(.malformed, "attribute \(names.qualifiedName(attributeID)) of <\(qualified)> has no '=' value", location: location)
            }
            try skipSpaces()
            let value = try readAttributeValue()
            guard attributes.count < limits.maxAttributes else {
                throw StatementError(.unsafe, "<\(qualified)> has more than \(limits.maxAttributes) attributes", location: location)
            }
            attributes.append((name: names.localID(ofQualified: attributeID), value: value))
        }
        try open(qualifiedID)
    }

    /// Makes the element whose start tag was read the innermost open one.
    private mutating func open(_ qualifiedID: Int32) throws(StatementError) {
        guard openElements.count < limits.maxDepth else {
            throw StatementError(.unsafe, "elements nested deeper than \(limits.maxDepth) levels; bank statements are far shallower, so the file is refused", location: location)
        }
        nameID = names.localID(ofQualified: qualifiedID)
        openElements.push(qualifiedID)
        sawRoot = true
    }

    private mutating func endTag() throws(StatementError) {
        // Fast path: compare the bytes with the open element's name, without a lookup.
        var qualified: Int32
        if let open = openElements.last, closesOpenElement(open) {
            qualified = open
            if position < buffer.count, buffer[position] == UInt8(ascii: ">") {
                // Fast path: `</Name>`, the common end tag.
                position += 1
                openElements.removeLast()
                nameID = names.localID(ofQualified: open)
                return
            }
        } else {
            qualified = try readName()
        }
        try skipSpaces()
        guard try nextByte() == UInt8(ascii: ">") else {
            throw StatementError(.malformed, "</\(names.qualifiedName(qualified)) is not closed by '>'", location: location)
        }
        guard let open = openElements.last else {
            throw StatementError(.malformed, "</\(names.qualifiedName(qualified))> closes no open element", location: location)
        }
        guard open == qualified else {
            throw StatementError(.malformed, "</\(names.qualifiedName(qualified))> closes <\(names.qualifiedName(open))>; the XML is broken", location: location)
        }
        openElements.removeLast()
        nameID = names.localID(ofQualified: open)
    }

    /// Whether the buffer holds `open`'s name followed by a byte that ends a name; if so, moves past the name.
    private mutating func closesOpenElement(_ open: Int32) -> Bool {
        let start = position
        let packed = packedNames[Int(open)]
        if packed.count > 0 {
            // Fast path: the name and the byte after it are in the buffer, compared as two words.
            let matched = buffer.withUnsafeBufferPointer { all -> Bool? in
                guard start + XMLPackedName.maxBytes < all.count, let base = all.baseAddress else { return nil }
                return XMLPackedName(loading: UnsafeRawPointer(base + start), count: packed.count) == packed
                    && !Self.isNameByte(all[start + packed.count])
            }
            if let matched {
                if matched { position += packed.count }
                return matched
            }
        }
        let length = names.withBytes(ofQualified: open) { name -> Int in
            buffer.withUnsafeBufferPointer { all -> Int in
                guard name.count > 0, start + name.count < all.count, !Self.isNameByte(all[start + name.count]) else { return 0 }
                // Names are short: a loop beats a call to memcmp.
                for offset in 0..<name.count where all[start + offset] != name[offset] { return 0 }
                return name.count
            }
        }
        position += length
        return length > 0
    }

    /// The id of the name at the current position (qualified, as written).
    private mutating func readName() throws(StatementError) -> Int32 {
        var bytes: [UInt8] = []
        // Fast path: the whole name is in the buffer.
        let start = position
        let count = buffer.count
        var end = position
        var packed = XMLPackedName.none
        buffer.withUnsafeBufferPointer { all in
            while end < count, Self.isNameByte(all[end]) { end += 1 }
            let length = end - start
            if end < count, length > 0, length <= XMLPackedName.maxBytes, start + XMLPackedName.maxBytes <= count, let base = all.baseAddress {
                packed = XMLPackedName(loading: UnsafeRawPointer(base + start), count: length)
            }
        }
        // Faster still: a name met before (a cached name passed the checks below then).
        if let cached = nameCache.id(of: packed) {
            position = end
            return cached
        }
        if end < count && end > start && end - start <= limits.maxNameBytes {
            let first = buffer[start]
            if !(first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") {
                let known = buffer.withUnsafeBufferPointer { names.lookup(UnsafeBufferPointer(rebasing: $0[start..<end])) }
                let id: Int32
                if let known {
                    id = known
                } else {
                    id = try intern(Array(buffer[start..<end]))
                }
                nameCache.remember(packed, id: id)
                position = end
                return id
            }
            bytes = Array(buffer[start..<end])
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
        return try intern(bytes)
    }

    /// The id of a name's bytes, adding it to ``names`` when new.
    private mutating func intern(_ bytes: [UInt8]) throws(StatementError) -> Int32 {
        if let known = bytes.withUnsafeBufferPointer({ names.lookup($0) }) { return known }
        let qualified = try string(bytes)
        guard let id = bytes.withUnsafeBufferPointer({ names.insert($0, qualified: qualified) }) else {
            throw StatementError(.unsafe, "more than \(XMLNameTable.maxNames) distinct element and attribute names (or more than \(XMLNameTable.maxTotalBytes) bytes of them); bank statements use a few hundred, so the file is refused", location: location)
        }
        // Ids are given in order, each once: the packed spellings are indexed by them.
        packedNames.append(bytes.withUnsafeBufferPointer { XMLPackedName(bytes: $0) })
        return id
    }

    private mutating func readAttributeValue() throws(StatementError) -> String {
        guard let quote = try nextByte() else { throw truncated() }
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw StatementError(.malformed, "an attribute value must be quoted", location: location)
        }
        discardText()
        if !latin1, let value = try quickAttributeValue(quote: quote) { return value }
        while true {
            guard let byte = try nextByte() else { throw truncated() }
            if byte == quote { break }
            if byte == UInt8(ascii: "<") {
                throw StatementError(.malformed, "'<' inside an attribute value", location: location)
            }
            if byte == UInt8(ascii: "&") {
                try readReference()
            } else {
                storedText.append(byte)
            }
            try checkTextSize()
        }
        try transcodeIfNeeded(from: 0)
        let value = try string(storedText)
        discardText()
        return value
    }

    /// After an attribute value's opening quote: the value (`Ccy="EUR"`) read in one step on the
    /// buffer's bytes when it is all there and holds no reference, no '<' and no line break (UTF-8
    /// text only); nil (position unchanged) for anything else, which the byte loop reads and checks.
    private mutating func quickAttributeValue(quote: UInt8) throws(StatementError) -> String? {
        let start = position
        var end = start
        let count = buffer.count
        let closed = buffer.withUnsafeBufferPointer { all -> Bool in
            while end < count {
                let byte = all[end]
                if byte == quote { return true }
                if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\n") { return false }
                end += 1
            }
            return false
        }
        guard closed, end - start <= limits.maxTextBytes else { return nil }
        let value = try buffer.withUnsafeBufferPointer { (all) throws(StatementError) -> String in
            try Self.string(UnsafeBufferPointer(rebasing: all[start..<end]), location: location)
        }
        position = end + 1
        return value
    }

    // MARK: - Text

    private mutating func readText() throws(StatementError) {
        let segment = textCount
        while true {
            // Fast path: copy the run up to the next '<' or '&' from the buffer.
            let start = position
            var end = position
            var newlines = 0
            let count = buffer.count
            buffer.withUnsafeBufferPointer { all in
                // Eight bytes at a time while none is '<', '&' or a line break, then byte by byte.
                if let base = all.baseAddress {
                    let raw = UnsafeRawPointer(base)
                    while end + 8 <= count, !Self.mayEndText(raw.loadUnaligned(fromByteOffset: end, as: UInt64.self)) { end += 8 }
                }
                while end < count {
                    let byte = all[end]
                    if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") { break }
                    if byte == UInt8(ascii: "\n") { newlines += 1 }
                    end += 1
                }
            }
            if end > start {
                if pendingText == nil, storedText.isEmpty, !latin1 {
                    // An element's value in one run: referenced, copied only if need be.
                    pendingText = start..<end
                } else {
                    storePendingText()
                    storedText.append(contentsOf: buffer[start..<end])
                }
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
        if latin1 { try transcodeIfNeeded(from: segment) }
    }

    /// Whether any of the eight bytes in `word` is '<', '&' or '\\n' (exact: no false answer either
    /// way), so that text is scanned a word at a time.
    @inline(__always)
    static func mayEndText(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // `word ^ (ones * b)` has a zero byte exactly where `word` holds `b`.
        func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        return hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "<")))) || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "&"))))
            || hasZeroByte(word ^ (ones &* UInt64(UInt8(ascii: "\n"))))
    }

    /// After '&': one of the five predefined entities or a character reference, appended to
    /// ``text`` as UTF-8. Any other name is refused: without a DTD it is undefined.
    private mutating func readReference() throws(StatementError) {
        storePendingText()
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
        case Array("amp".utf8): storedText.append(UInt8(ascii: "&"))
        case Array("lt".utf8): storedText.append(UInt8(ascii: "<"))
        case Array("gt".utf8): storedText.append(UInt8(ascii: ">"))
        case Array("quot".utf8): storedText.append(UInt8(ascii: "\""))
        case Array("apos".utf8): storedText.append(UInt8(ascii: "'"))
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
                storedText.append(UInt8(scalar.value))
            } else {
                storedText.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
        }
    }

    private func checkTextSize() throws(StatementError) {
        guard textCount <= limits.maxTextBytes else {
            throw StatementError(.unsafe, "a text or attribute value longer than \(limits.maxTextBytes) bytes; bank statement fields are short, so the file is refused", location: location)
        }
    }

    /// Latin-1 text read since `segment` (an index of ``text``) made UTF-8.
    private mutating func transcodeIfNeeded(from segment: Int) throws(StatementError) {
        // Latin-1 text is never left pending (``readText()``).
        guard latin1, storedText[segment...].contains(where: { $0 >= 0x80 }) else { return }
        var utf8: [UInt8] = Array(storedText[..<segment])
        utf8.reserveCapacity(storedText.count + 8)
        for byte in storedText[segment...] {
            if byte < 0x80 {
                utf8.append(byte)
            } else {
                utf8.append(0xC0 | (byte >> 6))
                utf8.append(0x80 | (byte & 0x3F))
            }
        }
        storedText = utf8
    }

    /// Makes a `String` of UTF-8 bytes; names are ASCII or UTF-8 in both encodings we read.
    private func string(_ bytes: [UInt8]) throws(StatementError) -> String {
        try Self.string(bytes[...], location: location)
    }

    /// Makes a `String` of UTF-8 bytes, refusing invalid UTF-8. ASCII (the common case) skips
    /// the generic validating initialiser, which is several times slower.
    static func string(_ bytes: some Collection<UInt8>, location: @autoclosure () -> String) throws(StatementError) -> String {
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
        storePendingText()
        // read(2) straight into the buffer: FileHandle's `Data` costs an allocation and a copy
        // per chunk, and a read loop of its own.
        let descriptor = handle.fileDescriptor
        let size = chunkSize
        var failure: Int32 = 0
        buffer = [UInt8](unsafeUninitializedCapacity: size) { storage, count in
            count = 0
            while true {
                let got = read(descriptor, storage.baseAddress, size)
                if got >= 0 {
                    count = got
                    return
                }
                guard errno == EINTR else {
                    failure = errno
                    return
                }
            }
        }
        position = 0
        if failure != 0 {
            throw StatementError(.io, "reading the file failed: \(String(cString: strerror(failure)))", location: location)
        }
        if buffer.isEmpty { self.handle = nil }
    }

    private func truncated() -> StatementError {
        StatementError(.malformed, "the file ends in the middle of markup: it is truncated or not well-formed XML", location: location)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Letters, digits, `_ : - .` and any byte of a multi-byte UTF-8 character. One bit test
    /// per byte (names are scanned byte by byte on every tag).
    @inline(__always)
    static func isNameByte(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        let mask = byte < 64 ? nameBytesBelow64 : nameBytesFrom64
        return (mask >> UInt64(byte & 63)) & 1 == 1
    }

    /// Bits 45 `-`, 46 `.`, 48...57 digits, 58 `:`.
    private static var nameBytesBelow64: UInt64 { 0x07FF_6000_0000_0000 }
    /// Bits (from 64) 1...26 `A`-`Z`, 31 `_`, 33...58 `a`-`z`.
    private static var nameBytesFrom64: UInt64 { 0x07FF_FFFE_87FF_FFFE }
}
