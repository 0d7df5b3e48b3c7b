/// One SMTP reply (RFC 5321 4.2): a three-digit code and one or more lines of text, with the
/// enhanced status code (RFC 3463, `5.1.1`) when the server sends one.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    /// `class.subject.detail` from the start of the first line, when present.
    public let enhancedCode: String?
    /// The text of each line, without the code, separator or enhanced code of the first.
    public let lines: [String]

    public init(code: Int, enhancedCode: String? = nil, lines: [String]) {
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines
    }

    /// 2xx: done.
    public var isSuccess: Bool { (200..<300).contains(code) }
    /// 3xx: go on (354 after DATA, 334 during AUTH).
    public var isIntermediate: Bool { (300..<400).contains(code) }
    /// 4xx: failed for now, retry later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5xx: failed for good.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The lines joined with spaces.
    public var text: String { lines.joined(separator: " ") }

    public var description: String {
        [String(code), enhancedCode, text.isEmpty ? nil : text].compactMap { $0 }.joined(separator: " ")
    }
}

/// Collects reply lines until a reply is complete (`250-` continues, `250 ` ends).
struct SMTPReplyParser: Sendable {
    /// RFC 5321 4.5.3.1.5 allows 512 octets; tolerate more, but not an unbounded line.
    static let maximumLineLength = 4096
    /// A reply with more lines than this is not a reply we can use.
    static let maximumLines = 256

    private var code: Int?
    private var lines: [String] = []

    /// Adds one line (its CRLF may be included). - Returns: the reply when `line` completed one.
    mutating func feed(_ line: Substring) throws(SMTPError) -> SMTPReply? {
        // Byte-wise: "\r\n" is a single Character in Swift.
        var bytes = Array(line.utf8)
        while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (48...57).contains($0) }),
              let value = Int(String(decoding: bytes[0...2], as: UTF8.self)), (200...599).contains(value)
        else { throw Self.malformed("a reply line must start with a code 200-599: \(line.prefix(80))") }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw Self.malformed("a reply code must be followed by a space or a hyphen: \(line.prefix(80))")
        }
        if let code, code != value { throw Self.malformed("a multi-line reply changed its code from \(code) to \(value)") }
        code = value
        lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard lines.count <= Self.maximumLines else { throw Self.malformed("a reply has more than \(Self.maximumLines) lines") }
        guard separator == UInt8(ascii: " ") else { return nil }
        defer { self = SMTPReplyParser() }
        return Self.reply(code: value, lines: lines)
    }

    private static func reply(code: Int, lines: [String]) -> SMTPReply {
        var lines = lines
        // RFC 3463: the enhanced code's class matches the reply's first digit.
        let first = lines[0].split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let parts = first[0].split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == Substring(String(code / 100)),
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) })
        else { return SMTPReply(code: code, lines: lines) }
        lines[0] = first.count > 1 ? String(first[1]) : ""
        return SMTPReply(code: code, enhancedCode: String(first[0]), lines: lines)
    }

    private static func malformed(_ reason: String) -> SMTPError {
        SMTPError(.protocolViolation, reason: reason)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
