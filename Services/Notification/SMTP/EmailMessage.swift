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
        output.reserveCapacity(1_024 + textBody.utf8.count + (htmlBody?.utf8.count ?? 0) * 9 / 8)
        for header in headers {
            output.append(contentsOf: header.utf8)
            output.append(contentsOf: MIMEEncoding.crlf)
        }
        guard let htmlBody else {
            if MIMEEncoding.is7BitSafe(textBody) {
                output.append(contentsOf: "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n".utf8)
                MIMEEncoding.appendLines(textBody, to: &output)
            } else {
                output.append(contentsOf: Self.partHeaders("text/plain").utf8)
                output.append(contentsOf: MIMEEncoding.quotedPrintable(textBody))
            }
            return output
        }
        let textPart = MIMEEncoding.quotedPrintable(textBody)
        let htmlPart = MIMEEncoding.quotedPrintable(htmlBody)
        // Quoted-printable output never contains "=_", so a boundary containing it cannot
        // occur in either part, whatever the bodies say.
        let boundary = "=_relance_" + Self.fingerprint(messageID, textPart, htmlPart)
        output.append(contentsOf: "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n--\(boundary)\r\n".utf8)
        output.append(contentsOf: Self.partHeaders("text/plain").utf8)
        output.append(contentsOf: textPart)
        output.append(contentsOf: "--\(boundary)\r\n".utf8)
        output.append(contentsOf: Self.partHeaders("text/html").utf8)
        output.append(contentsOf: htmlPart)
        output.append(contentsOf: "--\(boundary)--\r\n".utf8)
        return output
    }

    /// ``rendered()`` as a string (the bytes are ASCII).
    public func renderedString() throws(SMTPError) -> String {
        String(decoding: try rendered(), as: UTF8.self)
    }

    private static func partHeaders(_ type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    }

    private static func addressHeader(_ name: String, _ addresses: [EmailAddress]) -> String {
        let column = name.count + 2
        return MIMEEncoding.fold(name + ": ", addresses.map { $0.rendered(column: column) }, separator: ", ")
    }

    /// FNV-1a over the inputs, as 16 hex digits: stable across runs and platforms.
    private static func fingerprint(_ messageID: String, _ parts: [UInt8]...) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in messageID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        for part in parts {
            for byte in part {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `Tue, 01 Dec 2026 18:34:59 +0000` (RFC 5322 3.3), always in UTC. Computed from the
    /// seconds since 1970 (proleptic Gregorian calendar): Foundation's calendar and
    /// `String(format:)` cost more than the rest of a message's headers.
    static func rfc5322Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = { (quotient: Int, remainder: Int) in
            remainder < 0 ? (quotient - 1, remainder + 86_400) : (quotient, remainder)
        }(seconds / 86_400, seconds % 86_400)
        // Days to civil date (H. Hinnant's algorithm): eras of 400 years from 0000-03-01.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // 1970-01-01 was a Thursday.
        let weekday = ((days % 7) + 11) % 7
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int) -> String { value < 10 ? "0" + String(value) : String(value) }
        return "\(weekdays[weekday]), \(two(day)) \(months[month - 1]) \(year) \(two(secondOfDay / 3_600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}
