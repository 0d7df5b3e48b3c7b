import Mustache

/// The escaping of values in HTML parts: `<`, `>`, `&`, `"` and `'` become `&lt;`, `&gt;`,
/// `&amp;`, `&quot;` and `&#39;`, as swift-mustache's own HTML content type does, but byte by
/// byte on UTF-8 instead of by `Character` (with a dictionary lookup each, the larger part of
/// a message's render time), and without leaving a special character unescaped when a
/// combining mark follows it (`<` + U+0338 is one `Character`, which the library's table
/// misses).
struct HTMLEscaping: MustacheContentType {
    /// The name of the `CONTENT_TYPE` pragma that selects it.
    static let pragmaName = "RELANCE_HTML"

    /// Registers the content type with swift-mustache (its registry is global; the pragma is
    /// resolved when a template is parsed): once per process, before the first HTML template
    /// is parsed.
    static let registered: Bool = {
        MustacheContentTypes.register(HTMLEscaping(), named: pragmaName)
        return true
    }()

    func escapeText(_ text: String) -> String {
        Self.escape(text)
    }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: isSpecial) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func isSpecial(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
