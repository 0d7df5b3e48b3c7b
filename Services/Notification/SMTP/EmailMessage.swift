import Foundation

/// An email ready to send: headers, a text body and an optional HTML alternative.
///
/// ``rendered()`` is deterministic: the same message renders to the same bytes (the MIME
/// boundary is derived from the content), so a message can be rendered again after a crash.
public struct EmailMessage: Sendable, Equatable {
    /// An extra header such as `X-Relance-Notification-Id`.
    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public var from: EmailAddress
    public var to: [EmailAddress]
    public var cc: [EmailAddress]
    /// Envelope recipients that appear in no header.
    public var bcc: [EmailAddress]
    public var replyTo: EmailAddress?
    public var subject: String
    /// `id@domain`, without angle brackets; stable for a given notification so that a
    /// message sent twice can be recognised as the same one.
    public var messageID: String
    public var date: Date
    public var textBody: String
    /// With an HTML body the message is `multipart/alternative` (text first, then HTML).
    public var htmlBody: String?
    public var extraHeaders: [Header]

    public init(
        from: EmailAddress, to: [EmailAddress], cc: [EmailAddress] = [], bcc: [EmailAddress] = [],
        replyTo: EmailAddress? = nil, subject: String, messageID: String, date: Date,
        textBody: String, htmlBody: String? = nil, extraHeaders: [Header] = []
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.replyTo = replyTo
        self.subject = subject
        self.messageID = messageID
        self.date = date
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.extraHeaders = extraHeaders
    }

    /// The RCPT TO addresses: to, cc and bcc, each once.
    public var envelopeRecipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }

    /// Headers the renderer writes itself; extra headers may not set them.
    static let reservedHeaders: Set<String> = [
        "from", "to", "cc", "bcc", "reply-to", "subject", "message-id", "date", "mime-version",
        "content-type", "content-transfer-encoding", "sender", "return-path",
    ]

    /// The message as RFC 5322 text: 7-bit, CRLF line endings, no line over 998 octets.
    /// - Throws: ``SMTPError/Code/invalidMessageID`` or ``SMTPError/Code/invalidHeader``.
    public func rendered() throws(SMTPError) -> [UInt8] {
        guard !to.isEmpty || !cc.isEmpty || !bcc.isEmpty else {
            throw SMTPError(.invalidAddress, reason: "a message needs at least one recipient")
        }
        guard EmailAddress.isValid(messageID) else {
            throw SMTPError(.invalidMessageID, reason: "Message-ID must look like id@domain: \(messageID.debugDescription)")
        }
        var headers = [
            "Date: " + Self.rfc5322Date(date),
            Self.addressHeader("From", [from]),
        ]
        if let replyTo { headers.append(Self.addressHeader("Reply-To", [replyTo])) }
        if !to.isEmpty { headers.append(Self.addressHeader("To", to)) }
        if !cc.isEmpty { headers.append(Self.addressHeader("Cc", cc)) }
        headers += [
            MIMEEncoding.unstructuredHeader("Subject", subject),
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
        ]
        for header in extraHeaders {
            let nameIsValid = !header.name.isEmpty && header.name.utf8.count <= 76
                && header.name.utf8.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: ":") }
            guard nameIsValid, !Self.reservedHeaders.contains(header.name.lowercased()) else {
                throw SMTPError(.invalidHeader, reason: "extra header name is reserved or malformed: \(header.name.debugDescription)")
            }
            headers.append(MIMEEncoding.unstructuredHeader(header.name, header.value))
        }

        var output: [UInt8] = []
        for header in headers { output += Array(header.utf8) + MIMEEncoding.crlf }
        let text = MIMEEncoding.lines(textBody)
        guard let htmlBody else {
            if MIMEEncoding.is7BitSafe(text) {
                output += Array("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n".utf8)
                for line in text { output += line + MIMEEncoding.crlf }
            } else {
                output += Self.partHeaders("text/plain") + MIMEEncoding.quotedPrintable(text)
            }
            return output
        }
        let textPart = MIMEEncoding.quotedPrintable(text)
        let htmlPart = MIMEEncoding.quotedPrintable(MIMEEncoding.lines(htmlBody))
        // Quoted-printable output never contains "=_", so a boundary containing it cannot
        // occur in either part, whatever the bodies say.
        let boundary = "=_relance_" + Self.fingerprint(messageID, textPart, htmlPart)
        output += Array("Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n".utf8)
        output += Array("--\(boundary)\r\n".utf8) + Self.partHeaders("text/plain") + textPart
        output += Array("--\(boundary)\r\n".utf8) + Self.partHeaders("text/html") + htmlPart
        output += Array("--\(boundary)--\r\n".utf8)
        return output
    }

    /// ``rendered()`` as a string (the bytes are ASCII).
    public func renderedString() throws(SMTPError) -> String {
        String(decoding: try rendered(), as: UTF8.self)
    }

    private static func partHeaders(_ type: String) -> [UInt8] {
        Array("Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
    }

    private static func addressHeader(_ name: String, _ addresses: [EmailAddress]) -> String {
        let column = name.count + 2
        return MIMEEncoding.fold(name + ": ", addresses.map { $0.rendered(column: column) }, separator: ", ")
    }

    /// FNV-1a over the inputs, as 16 hex digits: stable across runs and platforms.
    private static func fingerprint(_ messageID: String, _ parts: [UInt8]...) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(messageID.utf8) + parts.joined() {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `Tue, 01 Dec 2026 18:34:59 +0000` (RFC 5322 3.3), always in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let two = { (value: Int?) in String(format: "%02d", value ?? 0) }
        return "\(days[((parts.weekday ?? 1) - 1) % 7]), \(two(parts.day)) \(months[((parts.month ?? 1) - 1) % 12])"
            + " \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
