import Foundation
import Events
@testable import NotificationTemplates
import Testing

@Suite("Values are data, never template code")
struct InjectionTests {
    let library: TemplateLibrary
    let date: CalendarDate

    init() throws {
        library = try Fixtures.shippedLibrary.get()
        date = try Fixtures.date("2025-04-18")
    }

    func hostile() throws -> NotificationRequested {
        var request = try Fixtures.reminder()
        request.customer.legalName = "{{7*7}} {{sender.iban}} <script>alert(1)</script> & \"Fils\"\r\nBcc: victim@example.org"
        request.recipients[0].name = "{{#invoices}}x{{/invoices}} <b>Claire</b>"
        request.invoices[0].invoiceNumber = "FA-1</td><td>{{totals.totalClaimed}}"
        return request
    }

    @Test("mustache in a customer's name renders literally, in every part")
    func mustacheIsLiteral() throws {
        let request = try hostile()
        let email = try #require(try library.render(request, date: date).email)
        let letter = try #require(try library.render(request.with(channel: .letter), date: date).letter)
        for part in [email.subject, letter.html] {
            #expect(part.contains("{{7*7}}"))
            #expect(!part.contains("49 "))
            #expect(part.contains("{{sender.iban}}"), "the tag is printed, not replaced by the IBAN")
        }
        for part in [email.text, email.html, letter.html] {
            #expect(part.contains("{{#invoices}}x{{/invoices}}"), "a section in a name is printed, not run")
            #expect(!part.contains("x x"))
        }
        #expect(email.text.contains("FA-1</td><td>{{totals.totalClaimed}}"))
        let sms = try #require(try library.render(request.with(channel: .sms), date: date).sms)
        #expect(sms.text.contains("FA-1</td><td>{{totals.totalClaimed}}"))
    }

    @Test("HTML in values is escaped in the HTML parts and kept as typed in the text parts")
    func htmlEscaped() throws {
        let request = try hostile()
        let email = try #require(try library.render(request, date: date).email)
        let letter = try #require(try library.render(request.with(channel: .letter), date: date).letter)
        #expect(!letter.html.contains("<script>"))
        #expect(letter.html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Fils&quot;"))
        for html in [email.html, letter.html] {
            #expect(html.contains("&lt;b&gt;Claire&lt;/b&gt;"))
            #expect(html.contains("FA-1&lt;/td&gt;&lt;td&gt;"))
            #expect(!html.contains("<b>Claire</b>"))
        }
        #expect(email.subject.contains("<script>alert(1)</script> & \"Fils\""), "text parts are not escaped")
        #expect(email.text.contains("<b>Claire</b>"))
    }

    @Test("a special character followed by a combining mark is escaped in HTML parts too (swift-mustache's own escaping misses it)")
    func combiningMarkEscaped() throws {
        var request = try Fixtures.reminder()
        request.recipients[0].name = "A <\u{338}script\u{301}>alert(1)</script> &\u{301} \"\u{301} '\u{301}"
        let email = try #require(try library.render(request, date: date).email)
        let letter = try #require(try library.render(request.with(channel: .letter), date: date).letter)
        for html in [email.html, letter.html] {
            #expect(html.contains("A &lt;\u{338}script\u{301}&gt;alert(1)&lt;/script&gt; &amp;\u{301} &quot;\u{301} &#39;\u{301}"))
        }
        #expect(email.text.contains("A <\u{338}script\u{301}>alert(1)</script>"))
    }

    @Test("HTML escaping byte by byte: each special character becomes its entity, nothing else changes")
    func htmlEscapingTable() {
        #expect(HTMLEscaping.escape("") == "")
        #expect(HTMLEscaping.escape("1 234,56 € – Zoé") == "1 234,56 € – Zoé")
        #expect(HTMLEscaping.escape("<a href=\"x\">O'Brien & Fils</a>") == "&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; Fils&lt;/a&gt;")
        #expect(HTMLEscaping.escape("&amp;") == "&amp;amp;")
    }

    @Test("CR and LF in a name cannot add a header: the subject is one line")
    func noHeaderInjection() throws {
        let email = try #require(try library.render(try hostile(), date: date).email)
        #expect(!email.subject.contains("\r") && !email.subject.contains("\n"))
        #expect(email.subject.contains("\"Fils\" Bcc: victim@example.org"))
        #expect(!email.text.contains("\nBcc:"), "names are single lines in the bodies too")
    }

    @Test("a line break written in a subject template is flattened too")
    func subjectTemplateFlattened() throws {
        let folder = try Fixtures.templateFolder(["fr/reminder-1.email.subject.mustache": "Relance\r\n{{customer.number}}\u{2028}\tfin\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = try TemplateLibrary(configuration: .init(folder: folder))
        let email = try #require(try library.render(try Fixtures.reminder(), date: date).email)
        #expect(email.subject == "Relance C-00042 fin")
    }

    @Test("one-line values: control characters and Unicode separators become one space")
    func oneLine() {
        #expect(RenderModel.oneLine("  A\r\n\r\nB\tC\u{2028}D\u{0085}E\u{0000}F  ") == "A B C D E F")
    }
}
