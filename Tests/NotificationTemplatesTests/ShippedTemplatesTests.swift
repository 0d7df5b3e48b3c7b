import Foundation
import Events
import Money
import NotificationTemplates
import Testing

@Suite("Shipped templates render the contract's examples in every language and channel")
struct ShippedTemplatesTests {
    static let languages = ["fr", "en"]
    static let smsTemplates: Set<NotificationTemplateId> = [.courtesyReminder, .reminder1, .reminder2]
    let library: TemplateLibrary
    let letterDate: CalendarDate

    init() throws {
        library = try Fixtures.shippedLibrary.get()
        letterDate = try Fixtures.date("2025-04-18")
    }

    /// The example a template is rendered from: the formal notice one for the formal notice
    /// (it carries `formalNotice`), the two-invoice reminder for the others.
    func base(for templateId: NotificationTemplateId) throws -> NotificationRequested {
        templateId == .formalNotice ? try Fixtures.formalNotice() : try Fixtures.reminder()
    }

    /// What every rendering of a request must show, in its language.
    func expectations(_ request: NotificationRequested, language: String) -> [String] {
        let format = ValueFormatter(language: language)
        return request.invoices.map(\.invoiceNumber) + [
            format.amount(request.totals.totalClaimed), format.date(request.payBy),
        ]
    }

    @Test("French and English ship every known template, with SMS for the three reminders")
    func everyTemplateShipped() {
        let entries = Set(library.entries.filter { $0.source.hasPrefix("shipped:") }.map { "\($0.language)/\($0.templateId).\($0.part)" })
        for language in Self.languages {
            for templateId in NotificationTemplateId.known {
                var parts: [TemplatePart] = [.emailSubject, .emailText, .emailHTML, .letterHTML]
                if Self.smsTemplates.contains(templateId) { parts.append(.smsText) }
                for part in parts {
                    #expect(entries.contains("\(language)/\(templateId).\(part)"), "\(language)/\(templateId).\(part) is shipped")
                }
            }
        }
    }

    @Test("e-mails: every template in both languages shows the invoices, the total and the pay-by date", arguments: NotificationTemplateId.known)
    func emails(templateId: NotificationTemplateId) throws {
        for language in Self.languages {
            let request = try base(for: templateId).with(templateId: templateId, language: language, channel: .email)
            let rendered = try library.render(request, date: letterDate)
            let email = try #require(rendered.email)
            #expect(rendered.language == language)
            #expect(!email.subject.isEmpty && !email.subject.contains("\n"))
            #expect(email.subject.contains(request.customer.legalName))
            for expected in expectations(request, language: language) {
                #expect(email.text.contains(expected), "\(templateId) \(language) text shows \(expected)")
                #expect(email.html.contains(expected), "\(templateId) \(language) html shows \(expected)")
            }
            #expect(email.text.contains(RenderModelIBAN.printed(request.sender.iban)))
            #expect(email.html.hasPrefix("<!DOCTYPE html>"))
            #expect(!email.text.hasPrefix("\n"), "the content-type line leaves no blank line")
            #expect(!email.text.contains("{{") && !email.html.contains("{{"))
        }
    }

    @Test("letters and registered letters: A4 documents with both addresses, the date and the invoice table", arguments: NotificationTemplateId.known)
    func letters(templateId: NotificationTemplateId) throws {
        for language in Self.languages {
            for channel in [NotificationChannel.letter, .registeredLetter] {
                let request = try base(for: templateId).with(templateId: templateId, language: language, channel: channel)
                let rendered = try library.render(request, date: letterDate)
                let letter = try #require(rendered.letter)
                let format = ValueFormatter(language: language)
                #expect(letter.registered == (channel == .registeredLetter))
                #expect(letter.html.contains("size: A4"))
                #expect(letter.html.contains("1 place de la Bourse") && letter.html.contains("69002 Lyon"), "sender block")
                #expect(letter.html.contains("12 rue des Lilas") && letter.html.contains("75011 Paris"), "recipient block")
                #expect(letter.html.contains(request.recipients[0].name))
                #expect(letter.html.contains(format.date(letterDate)), "the letter's date")
                #expect(letter.html.contains("<table>"))
                for invoice in request.invoices {
                    #expect(letter.html.contains(invoice.invoiceNumber))
                    #expect(letter.html.contains(format.amount(invoice.balance)))
                }
                #expect(letter.html.contains(format.amount(request.totals.totalClaimed)))
                #expect(letter.html.contains(format.amount(request.totals.balance)))
                let registeredMention = language == "fr" ? "Lettre recommandée avec accusé de réception" : "Registered letter"
                #expect(letter.html.contains(registeredMention) == (channel == .registeredLetter))
                #expect(!letter.html.contains("{{"))
            }
        }
    }

    @Test("text messages: the three reminders in both languages stay in GSM-7", arguments: [NotificationTemplateId.courtesyReminder, .reminder1, .reminder2])
    func textMessages(templateId: NotificationTemplateId) throws {
        for language in Self.languages {
            let request = try Fixtures.reminder().with(templateId: templateId, language: language, channel: .sms)
            let rendered = try library.render(request, date: letterDate)
            let sms = try #require(rendered.sms)
            #expect(sms.encoding == .gsm7, "\(templateId) \(language): \(sms.text)")
            #expect(sms.segments >= 1 && sms.segments <= 3)
            #expect(!sms.text.contains(nbsp) && !sms.text.contains(nnbsp), "amounts' no-break spaces become plain spaces")
            let amount = ValueFormatter(language: language).amount(request.totals.totalClaimed)
                .replacingOccurrences(of: nbsp, with: " ").replacingOccurrences(of: nnbsp, with: " ")
            #expect(sms.text.contains(amount))
            #expect(sms.text.contains("FA-2025-0042") && sms.text.contains("FA-2025-0051"))
        }
    }

    @Test("the English SMS example: en-GB falls back to en, pounds formatted, one GSM-7 segment")
    func courtesySMSExample() throws {
        let rendered = try library.render(try Fixtures.courtesy(), date: letterDate)
        let sms = try #require(rendered.sms)
        #expect(rendered.language == "en")
        #expect(sms.text == "Relance Demo Creditor (fictitious): reminder, invoice UK-INV-1187 (£2,500.00) is due 1 May 2025. IBAN FR29 9999 9000 0100 0000 0000 185, ref. UK-INV-1187")
        #expect(sms.encoding == .gsm7)
        #expect(sms.units == 153)
        #expect(sms.segments == 1)
    }

    @Test("the reminder example in French: amounts, dates and payment details as a French reader expects")
    func frenchReminderContent() throws {
        let email = try #require(try library.render(try Fixtures.reminder(), date: letterDate).email)
        #expect(email.subject == "Relance : factures impayées FA-2025-0042, FA-2025-0051 – Boulangerie Martin SARL")
        #expect(email.text.contains("Facture FA-2025-0042 du 1er mars 2025, échéance le 31 mars 2025 : reste dû 1\(nnbsp)440,00\(nbsp)€ (référence RF65FA20250042ECDM)"))
        #expect(email.text.contains("Facture FA-2025-0051 du 5 mars 2025, échéance le 4 avril 2025 : reste dû 240,00\(nbsp)€"))
        #expect(email.text.contains("Total restant dû : 1\(nnbsp)680,00\(nbsp)€"))
        #expect(email.text.contains("Intérêts de retard : 8,04\(nbsp)€"))
        #expect(email.text.contains("Indemnités forfaitaires de recouvrement : 80,00\(nbsp)€"))
        #expect(email.text.contains("Total à régler : 1\(nnbsp)768,04\(nbsp)€"))
        #expect(email.text.contains("au plus tard le 25 avril 2025"))
        #expect(email.text.contains("IBAN : FR29 9999 9000 0100 0000 0000 185"))
        #expect(email.text.contains("BIC : DEMOFRPPXXX"))
        // Two invoices with different references: the transfer quotes the invoice numbers.
        #expect(email.text.contains("Référence à indiquer : FA-2025-0042, FA-2025-0051"))
        #expect(email.html.contains("<td class=\"amount\">1\(nnbsp)768,04\(nbsp)€</td>"))
    }

    @Test("the formal notice in French states the mise en demeure, the 40 € indemnity per invoice, the rate and the deadline")
    func frenchFormalNotice() throws {
        let request = try Fixtures.formalNotice()
        let letter = try #require(try library.render(request, date: letterDate).letter)
        let email = try #require(try library.render(request.with(channel: .email), date: letterDate).email)
        #expect(letter.html.contains("Objet : Mise en demeure de payer"))
        #expect(email.subject == "Mise en demeure de payer – Boulangerie Martin SARL")
        for text in [letter.html, email.text, email.html] {
            #expect(text.contains("vaut mise en demeure"))
            #expect(text.contains("nous vous mettons en demeure"))
            #expect(text.contains("12,15\(nnbsp)%"), "the annual late-interest rate")
            #expect(text.contains("40,00\(nbsp)€"), "the fixed indemnity per invoice")
            #expect(text.contains("L441-10") && text.contains("D441-5"))
            #expect(text.contains("9 juin 2025"), "the response deadline")
            #expect(text.contains("1\(nnbsp)508,73\(nbsp)€"), "the total claimed")
            #expect(text.contains("28,73\(nbsp)€"), "the late interest claimed")
            #expect(text.contains("1344 du Code civil"))
        }
        #expect(letter.registered)
        #expect(letter.html.contains("Lettre recommandée avec accusé de réception"))
        // One invoice with a reference: that reference is quoted.
        #expect(email.text.contains("Référence à indiquer : RF65FA20250042ECDM"))
    }

    @Test("the formal notice in English keeps the French legal references")
    func englishFormalNotice() throws {
        let email = try #require(try library.render(try Fixtures.formalNotice().with(language: "en"), date: letterDate).letter)
        #expect(email.html.contains("mise en demeure"))
        #expect(email.html.contains("12.15%"))
        #expect(email.html.contains("€40.00"))
        #expect(email.html.contains("9 June 2025"))
        #expect(email.html.contains("€1,508.73"))
    }

    @Test("a letter abroad prints the country; a domestic one does not")
    func countryLine() throws {
        var request = try Fixtures.reminder().with(channel: .letter)
        let domestic = try #require(try library.render(request, date: letterDate).letter)
        #expect(!domestic.html.contains("<br>France"))
        request.recipients[0].postalAddress = PostalAddressSnapshot(lines: ["Rue Neuve 1"], postalCode: "1000", city: "Bruxelles", country: "BE")
        let abroad = try #require(try library.render(request, date: letterDate).letter)
        #expect(abroad.html.contains("<br>Belgique"))
    }

    @Test("optional values absent from the request leave their lines out without error")
    func optionalValuesGuarded() throws {
        var request = try Fixtures.reminder()
        request.sender.bic = nil
        request.sender.replyTo = nil
        request.sender.postalAddress = nil
        let email = try #require(try library.render(request, date: letterDate).email)
        #expect(!email.text.contains("BIC"))
        #expect(!email.html.contains("BIC"))
        #expect(!email.text.contains("écrire à"))
        let letter = try #require(try library.render(request.with(channel: .letter), date: letterDate).letter)
        #expect(letter.html.contains("le 18 avril 2025"))
        #expect(!letter.html.contains("Lyon"))
    }
}

/// The printed IBAN, as the model writes it (groups of four), computed independently.
enum RenderModelIBAN {
    static func printed(_ iban: String) -> String {
        var groups: [String] = []
        var rest = Substring(iban)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }
}
