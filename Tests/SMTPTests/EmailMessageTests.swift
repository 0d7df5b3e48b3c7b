import Foundation
import Testing

@testable import SMTP

@Suite("Email message rendering")
struct EmailMessageTests {
    static let date = Date(timeIntervalSince1970: 1_796_150_099)  // Tue, 01 Dec 2026 18:34:59 UTC

    static func message(
        name: String? = "Relance", subject: String = "Reminder", text: String = "Hello.\n", html: String? = nil,
        to: [EmailAddress]? = nil, extraHeaders: [EmailMessage.Header] = []
    ) throws -> EmailMessage {
        EmailMessage(
            from: try EmailAddress("billing@relance.example", name: name),
            to: try to ?? [EmailAddress("client@example.com", name: "Client")],
            subject: subject, messageID: "n-42@relance.example", date: date,
            textBody: text, htmlBody: html, extraHeaders: extraHeaders)
    }

    @Test("a plain ASCII message renders exactly, with CRLF line endings")
    func plainMessage() throws {
        let rendered = try Self.message(text: "Hello.\nSecond line\n").renderedString()
        #expect(rendered == """
            Date: Tue, 01 Dec 2026 18:34:59 +0000\r
            From: Relance <billing@relance.example>\r
            To: Client <client@example.com>\r
            Subject: Reminder\r
            Message-ID: <n-42@relance.example>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 7bit\r
            \r
            Hello.\r
            Second line\r

            """)
    }

    @Test("bare LF and CR in bodies become CRLF, and no line passes 998 octets")
    func lineEndingsAndLength() throws {
        let long = String(repeating: "é", count: 2_000) + " " + String(repeating: "x", count: 3_000)
        let longName = String(repeating: "Dupont, ", count: 250)
        let rendered = try Self.message(subject: String(repeating: "word ", count: 300), text: "a\rb\nc\r\n\(long)",
                                        html: "<p>\(long)</p>\r",
                                        to: [EmailAddress("a@example.com", name: longName), EmailAddress("b@example.com")]).rendered()
        #expect(rendered.allSatisfy { $0 < 128 })
        let lines = Self.lines(rendered)
        #expect(lines.allSatisfy { $0.count <= 998 })
        for (index, byte) in rendered.enumerated() where byte == 10 {
            #expect(index > 0 && rendered[index - 1] == 13, "LF without CR at \(index)")
        }
        for (index, byte) in rendered.enumerated() where byte == 13 {
            #expect(index + 1 < rendered.count && rendered[index + 1] == 10, "CR without LF at \(index)")
        }
        let headerLines = lines.prefix { !$0.isEmpty }
        #expect(headerLines.allSatisfy { $0.count <= 78 }, "header lines are folded to 78 characters")
    }

    @Test("a non-ASCII subject becomes UTF-8 encoded-words of at most 75 characters that decode back")
    func encodedSubject() throws {
        let subject = "Relance n°2\u{00A0}: facture impayée 🧾 — "
            + String(repeating: "échéance dépassée ", count: 8)
        let rendered = try Self.message(subject: subject).renderedString()
        let header = try #require(Self.header("Subject", in: rendered))
        let words = header.split(separator: " ")
        #expect(words.count > 2)
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        #expect(Self.decodeWords(header) == MIMEEncoding.neutralised(subject))
    }

    @Test("an ASCII subject that looks like an encoded-word is encoded so it reads literally")
    func literalEncodedWordLookalike() throws {
        let subject = "=?UTF-8?B?SGk=?= is not a greeting"
        let header = try #require(Self.header("Subject", in: try Self.message(subject: subject).renderedString()))
        #expect(header != subject)
        #expect(Self.decodeWords(header) == subject)
    }

    @Test("display names: plain, quoted when they contain specials, encoded when not ASCII")
    func displayNames() throws {
        #expect(try EmailAddress("a@b.example", name: "Dupont SA").description == "Dupont SA <a@b.example>")
        #expect(try EmailAddress("a@b.example", name: "Dupont, \"Fils\" & Co.").description
                == #""Dupont, \"Fils\" & Co." <a@b.example>"#)
        let encoded = try EmailAddress("a@b.example", name: "Société Générale").description
        #expect(encoded.hasPrefix("=?UTF-8?B?") && encoded.hasSuffix(" <a@b.example>"))
        #expect(Self.decodeWords(String(encoded.dropLast(" <a@b.example>".count))) == "Société Générale")
    }

    @Test("CR/LF in a customer's name, the subject or an extra header cannot create a header")
    func headerInjection() throws {
        let attack = "Eve\r\nBcc: thief@evil.example\r\n\r\nInjected body"
        let message = try Self.message(
            subject: "Invoice\r\nBcc: thief@evil.example", text: "Body\n",
            to: [EmailAddress("client@example.com", name: attack)],
            extraHeaders: [.init("X-Relance-Notification-Id", "n-42\nBcc: thief@evil.example")])
        let rendered = try message.renderedString()
        let headerBlock = rendered.components(separatedBy: "\r\n\r\n")[0]
        let names = headerBlock.components(separatedBy: "\r\n").filter { !$0.hasPrefix(" ") }
            .map { String($0.prefix { $0 != ":" }) }
        #expect(names == ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "X-Relance-Notification-Id",
                          "Content-Type", "Content-Transfer-Encoding"])
        #expect(!rendered.contains("\r\nBcc:"))
        #expect(rendered.hasSuffix("\r\n\r\nBody\r\n"))
        #expect(Self.header("To", in: rendered) == #""Eve Bcc: thief@evil.example Injected body" <client@example.com>"#)
        #expect(Self.header("Subject", in: rendered) == "Invoice Bcc: thief@evil.example")
    }

    @Test("addresses with CR/LF, spaces, brackets or non-ASCII are refused", arguments: [
        "a@b.example\r\nRCPT TO:<x@y>", "a b@c.example", "<a@b.example>", "a@b.example>", "noat", "@b.example",
        "a@", "a..b@c.example", "a@b..example", "émile@b.example", "a@b.example\0", "a@[127.0.0.1]",
    ])
    func invalidAddresses(_ address: String) {
        #expect(throws: SMTPError.self) { try EmailAddress(address) }
    }

    @Test("a malformed Message-ID or a reserved extra header is refused when rendering")
    func invalidMessageIDAndHeaders() throws {
        var message = try Self.message()
        message.messageID = "<n-42@relance.example>"
        #expect { try message.rendered() } throws: { ($0 as? SMTPError)?.code == .invalidMessageID }
        message.messageID = "n 42@relance.example"
        #expect { try message.rendered() } throws: { ($0 as? SMTPError)?.code == .invalidMessageID }
        for name in ["Bcc", "content-type", "X Bad", "X:Bad", ""] {
            let withHeader = try Self.message(extraHeaders: [.init(name, "v")])
            #expect { try withHeader.rendered() } throws: { ($0 as? SMTPError)?.code == .invalidHeader }
        }
    }

    @Test("text and HTML make multipart/alternative whose boundary occurs only as delimiters")
    func multipart() throws {
        // Bodies that try to contain a delimiter line.
        let text = "Total: 120,00 €\n--=_relance_0000000000000000\n.\n..\n"
        let html = "<p>Total&nbsp;: <b>120,00 €</b></p>\n--=_relance_\n=_\n"
        let rendered = try Self.message(text: text, html: html).renderedString()
        let contentType = try #require(Self.header("Content-Type", in: rendered))
        let boundary = try #require(contentType.split(separator: "boundary=\"").last?.dropLast())
        #expect(contentType.hasPrefix("multipart/alternative;"))
        let lines = rendered.components(separatedBy: "\r\n")
        #expect(lines.filter { $0.contains(boundary) }.count == 4, "Content-Type and three delimiter lines")
        #expect(lines.filter { $0 == "--\(boundary)" }.count == 2)
        #expect(lines.last(where: { !$0.isEmpty }) == "--\(boundary)--")
        let parts = rendered.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)
        #expect(parts[1].hasPrefix("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(parts[2].hasPrefix("\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        let decodedText = Self.decodeQuotedPrintable(String(parts[1].split(separator: "\r\n\r\n", maxSplits: 1)[1]))
        let decodedHTML = Self.decodeQuotedPrintable(String(parts[2].split(separator: "\r\n\r\n", maxSplits: 1)[1]))
        #expect(decodedText == text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(decodedHTML == html.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("rendering is deterministic: the same message gives the same bytes")
    func deterministic() throws {
        let message = try Self.message(text: "Text", html: "<p>HTML</p>")
        #expect(try message.rendered() == message.rendered())
    }

    @Test("quoted-printable keeps lines at 76, encodes '=', controls and trailing spaces, and decodes back",
          arguments: ["a = b", "trailing space ", "tab\t", String(repeating: "ü", count: 100),
                      String(repeating: "x", count: 75) + "=", "ctrl\u{1}char", ".leading dot", ""])
    func quotedPrintable(_ text: String) {
        let encoded = String(decoding: MIMEEncoding.quotedPrintable(text), as: UTF8.self)
        let lines = encoded.components(separatedBy: "\r\n").dropLast()
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") && !$0.hasSuffix("\t") })
        #expect(!encoded.contains("=_"))
        #expect(Self.decodeQuotedPrintable(encoded) == text + "\r\n")
    }

    @Test("quoted-printable and the 7-bit check read lines byte for byte as the reference does (CRLF, CR, LF, long lines, controls)")
    func quotedPrintableMatchesReference() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["a", " ", "\t", "=", "\r", "\n", "\r\n", "é", "€", "\u{1}", "\u{0}", ".", "x", String(repeating: "y", count: 80),
                      String(repeating: "z", count: 1_000), "=_"]
        var texts = ["", "\n", "\r", "\r\n", "\n\n", "\r\r\n", "a\n", "a", "a \n", "a\r\nb\rc\nd"]
        for _ in 0..<500 {
            texts.append((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined())
        }
        for text in texts {
            #expect(MIMEEncoding.quotedPrintable(text) == Self.referenceQuotedPrintable(Self.referenceLines(text)), "\(text.debugDescription)")
            let lines = Self.referenceLines(text)
            #expect(MIMEEncoding.is7BitSafe(text) == lines.allSatisfy { line in line.count <= 998 && line.allSatisfy { $0 != 0 && $0 < 128 } })
            var appended: [UInt8] = []
            MIMEEncoding.appendLines(text, to: &appended)
            #expect(appended == lines.flatMap { $0 + [13, 10] })
        }
    }

    @Test("the Date header matches Foundation's Gregorian calendar in UTC, across leap years and before 1970")
    func dateHeaderMatchesCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        var generator = SystemRandomNumberGenerator()
        var instants: [TimeInterval] = [0, -1, 86_399.5, 951_782_400, 1_796_150_099, 4_107_542_400, -2_203_891_200]
        for _ in 0..<2_000 { instants.append(TimeInterval(Int.random(in: -2_000_000_000...8_000_000_000, using: &generator)) + 0.25) }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            #expect(EmailMessage.rfc5322Date(date) == formatter.string(from: date), "\(instant)")
        }
    }

    @Test("a text body with non-ASCII goes out quoted-printable; an ASCII one keeps its dots as they are")
    func bodyEncodingChoice() throws {
        let french = try Self.message(text: "Échéance dépassée\n").renderedString()
        #expect(french.contains("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=89ch=C3=A9ance"))
        let dots = try Self.message(text: ".\n.hidden\n").renderedString()
        #expect(dots.hasSuffix("7bit\r\n\r\n.\r\n.hidden\r\n"))
    }

    @Test("the envelope has to, cc and bcc once each; bcc is in no header")
    func envelope() throws {
        var message = try Self.message()
        message.cc = [try EmailAddress("accounting@example.com")]
        message.bcc = [try EmailAddress("archive@relance.example"), try EmailAddress("CLIENT@example.com")]
        #expect(message.envelopeRecipients == ["client@example.com", "accounting@example.com", "archive@relance.example"])
        let rendered = try message.renderedString()
        #expect(Self.header("Cc", in: rendered) == "<accounting@example.com>")
        #expect(!rendered.contains("archive@"))
    }

    @Test("the configuration's description never shows the password")
    func configurationRedactsPassword() {
        let configuration = SMTPConfiguration(host: "smtp.example.com", username: "relance", password: "s3cret-pa55")
        #expect(!"\(configuration)".contains("s3cret-pa55"))
        #expect("\(configuration)".contains("relance@smtp.example.com:587"))
    }

    // MARK: Helpers

    /// The lines of a text as the renderer used to split them (an array per line): the
    /// reference the byte-level ``MIMEEncoding/forEachLine(_:_:)`` must match.
    static func referenceLines(_ text: String) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var afterCR = false
        for byte in text.utf8 {
            if byte == 10, afterCR {
                afterCR = false
                continue
            }
            afterCR = byte == 13
            if byte == 10 || byte == 13 {
                lines.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    /// Quoted-printable as the renderer used to write it: the reference.
    static func referenceQuotedPrintable(_ lines: [[UInt8]]) -> [UInt8] {
        var output: [UInt8] = []
        for line in lines {
            var column = 0
            for (index, byte) in line.enumerated() {
                let isLast = index == line.count - 1
                let literal = (33...126).contains(byte) && byte != UInt8(ascii: "=") || (byte == 32 || byte == 9) && !isLast
                let width = literal ? 1 : 3
                if column + width > 75 {
                    output += [UInt8(ascii: "="), 13, 10]
                    column = 0
                }
                if literal {
                    output.append(byte)
                } else {
                    let hex = Array("0123456789ABCDEF".utf8)
                    output += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
                column += width
            }
            output += [13, 10]
        }
        return output
    }

    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: 10, omittingEmptySubsequences: false).dropLast().map { $0.dropLast() }
    }

    /// The unfolded value of the first header with this name.
    static func header(_ name: String, in rendered: String) -> String? {
        let headerBlock = rendered.components(separatedBy: "\r\n\r\n")[0]
        let unfolded = headerBlock.replacingOccurrences(of: "\r\n ", with: " ")
        return unfolded.components(separatedBy: "\r\n").first { $0.hasPrefix(name + ": ") }
            .map { String($0.dropFirst(name.count + 2)) }
    }

    /// Decodes a run of B encoded-words separated by spaces (RFC 2047 6.2: the spaces go).
    static func decodeWords(_ text: String) -> String {
        let bytes = text.split(separator: " ").flatMap { word -> [UInt8] in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return Array("<not a word: \(word)>".utf8) }
            return Array(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))) ?? Data("<bad base64>".utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeQuotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            if source[index] == UInt8(ascii: "="), index + 2 < source.count {
                if source[index + 1] == 13, source[index + 2] == 10 {
                    index += 3
                    continue
                }
                bytes.append(UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) ?? 0x3F)
                index += 3
            } else {
                bytes.append(source[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
