import Events
import Foundation
import Money
import NotificationTemplates
import Testing

@Suite("Templates from a folder: overrides, additions, fallback, and errors at load")
struct TemplateFolderTests {
    let date: CalendarDate

    init() throws {
        date = try Fixtures.date("2025-04-18")
    }

    func load(_ files: [String: String], defaultLanguage: String = "fr") throws -> TemplateLibrary {
        let folder = try Fixtures.templateFolder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try TemplateLibrary(configuration: .init(folder: folder, defaultLanguage: defaultLanguage))
    }

    func loadError(_ files: [String: String]) throws -> NotificationTemplateError {
        let folder = try Fixtures.templateFolder(files)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try #require(throws: NotificationTemplateError.self) {
            try TemplateLibrary(configuration: .init(folder: folder))
        }
    }

    @Test("a file in the folder replaces the shipped one; the other parts stay shipped")
    func overrideOnePart() throws {
        let library = try load(["fr/reminder-1.email.subject.mustache": "Nouvelle relance {{customer.number}} ({{invoiceCount}} factures)\n"])
        let email = try #require(try library.render(try Fixtures.reminder(), date: date).email)
        #expect(email.subject == "Nouvelle relance C-00042 (2 factures)")
        #expect(email.text.contains("Sauf erreur ou omission de notre part"))
        let entry = try #require(library.entries.first { $0.language == "fr" && $0.templateId == .reminder1 && $0.part == .emailSubject })
        #expect(entry.source == "fr/reminder-1.email.subject.mustache")
    }

    @Test("a new language and a new template are added without rebuilding; de-AT falls back to de")
    func addLanguageAndTemplate() throws {
        let library = try load([
            "de/reminder-1.sms.text.mustache": "{{sender.name}}: Zahlungserinnerung, {{totals.totalClaimed}} bis {{payBy}}.\n",
            "fr/thank-you.sms.text.mustache": "Merci {{customer.name}} !\n",
        ])
        let german = try library.render(try Fixtures.reminder().with(language: "de-AT", channel: .sms), date: date)
        #expect(german.language == "de")
        #expect(german.sms?.text.hasPrefix("Relance Demo Creditor (fictitious): Zahlungserinnerung, 1 768,04 €") == true)
        let thanks = try library.render(try Fixtures.reminder().with(templateId: NotificationTemplateId(rawValue: "thank-you"), channel: .sms), date: date)
        #expect(thanks.sms?.text == "Merci Boulangerie Martin SARL !")
        // German has no e-mail: the e-mail falls back to the default language.
        #expect(try library.render(try Fixtures.reminder().with(language: "de", channel: .email), date: date).language == "fr")
    }

    @Test("language fallback: en-GB to en, an unknown language to the configured default")
    func fallback() throws {
        let library = try Fixtures.shippedLibrary.get()
        #expect(library.language(for: .reminder1, channel: .email, requested: "en-GB") == "en")
        #expect(library.language(for: .reminder1, channel: .email, requested: "EN") == "en")
        #expect(library.language(for: .reminder1, channel: .email, requested: "es") == "fr")
        #expect(library.language(for: .callFollowUp, channel: .sms, requested: "fr") == nil)
        let english = try load([:], defaultLanguage: "en")
        #expect(english.language(for: .reminder1, channel: .email, requested: "es") == "en")
        let rendered = try english.render(try Fixtures.reminder().with(language: "es"), date: date)
        #expect(rendered.email?.text.contains("€1,768.04") == true, "amounts follow the templates' language")
    }

    @Test("a typo in a variable fails the load, naming the file, the line and the variable")
    func unknownVariable() throws {
        let error = try loadError(["fr/reminder-1.email.text.mustache": "Bonjour,\n\nVous devez {{totals.totalClaimed}}.\n{{custmer.name}}\n"])
        #expect(error.code == .unknownVariable)
        #expect(error.file == "fr/reminder-1.email.text.mustache")
        #expect(error.variable == "custmer.name")
        #expect(error.reason.contains("line 4"))
    }

    @Test("a typo inside a section or after a dot is found too")
    func unknownNestedVariable() throws {
        let inSection = try loadError(["en/reminder-2.email.html.mustache": "<ul>{{#invoices}}\n<li>{{numbr}}</li>{{/invoices}}</ul>"])
        #expect(inSection.code == .unknownVariable && inSection.variable == "numbr")
        #expect(inSection.reason.contains("line 2"))
        let afterDot = try loadError(["fr/formal-notice.letter.html.mustache": "<p>{{formalNotice.annualRte}}</p>"])
        #expect(afterDot.code == .unknownVariable && afterDot.variable == "formalNotice.annualRte")
        let inverted = try loadError(["fr/formal-notice.letter.html.mustache": "{{^sender.bic}}{{sender.bicc}}{{/sender.bic}}"])
        #expect(inverted.variable == "sender.bicc", "branches the sample would not take are checked too")
    }

    @Test("tags that could turn values into markup or code are refused")
    func unsupportedTags() throws {
        let unescaped = try loadError(["fr/reminder-1.email.html.mustache": "<p>{{{customer.name}}}</p>"])
        #expect(unescaped.code == .unsupportedTag && unescaped.variable == "customer.name")
        let ampersand = try loadError(["fr/reminder-1.letter.html.mustache": "<p>{{& customer.name}}</p>"])
        #expect(ampersand.code == .unsupportedTag)
        let partial = try loadError(["fr/reminder-1.sms.text.mustache": "{{> footer}}"])
        #expect(partial.code == .unsupportedTag)
        let pragma = try loadError(["fr/reminder-1.email.html.mustache": "{{% CONTENT_TYPE: TEXT}}{{customer.name}}"])
        #expect(pragma.code == .unsupportedTag)
    }

    @Test("syntax errors name the file: unclosed and mismatched sections")
    func syntaxErrors() throws {
        let unclosed = try loadError(["fr/reminder-1.sms.text.mustache": "{{#invoices}}{{number}}"])
        #expect(unclosed.code == .syntax && unclosed.file == "fr/reminder-1.sms.text.mustache")
        let mismatched = try loadError(["fr/reminder-1.sms.text.mustache": "{{#invoices}}{{number}}{{/totals}}"])
        #expect(mismatched.code == .syntax)
        let unterminated = try loadError(["fr/reminder-1.sms.text.mustache": "{{customer.name"])
        #expect(unterminated.code == .syntax)
    }

    @Test("a channel with only some of its parts in a language fails the load")
    func incompleteChannel() throws {
        let error = try loadError(["de/reminder-1.email.subject.mustache": "Zahlungserinnerung\n"])
        #expect(error.code == .incompleteChannel)
        #expect(error.reason.contains("de/reminder-1.email.html.mustache"))
        #expect(error.reason.contains("de/reminder-1.email.text.mustache"))
    }

    @Test("badly named files and folders fail the load")
    func badNames() throws {
        let part = try loadError(["fr/reminder-1.email.subjct.mustache": "x"])
        #expect(part.code == .badFileName && part.file == "fr/reminder-1.email.subjct.mustache")
        let top = try loadError(["reminder-1.email.subject.mustache": "x"])
        #expect(top.code == .badFileName)
        let language = try loadError(["french/reminder-1.sms.text.mustache": "x"])
        #expect(language.code == .badFileName)
        // Other files are documentation and are ignored.
        _ = try load(["README.md": "notes", "fr/notes.txt": "notes"])
    }

    @Test("a text value renders as its text wherever a template uses it: transformed, inside a section on itself, as `.` of a list")
    func textValuesEverywhere() throws {
        let library = try load(["fr/reminder-1.email.subject.mustache": """
            {{uppercased(customer.name)}}|{{lowercased(customer.number)}}|\
            {{#sender.bic}}[{{sender.bic}}/{{.}}/{{customer.number}}]{{/sender.bic}}{{^sender.bic}}no BIC{{/sender.bic}}|\
            {{#sender.address}}{{#lines}}<{{.}}>{{/lines}}{{/sender.address}}|{{^customer.name}}none{{/customer.name}}end

            """])
        var request = try Fixtures.reminder()
        request.customer.legalName = "Boulangerie <Martin> & Fils"
        request.customer.customerNumber = "C-ABC"
        request.sender.bic = "AGRIFRPPXXX"
        request.sender.postalAddress = PostalAddressSnapshot(lines: ["1 place de la Bourse", "Bât. B"], postalCode: "69002", city: "Lyon", country: "FR")
        let email = try #require(try library.render(request, date: date).email)
        #expect(email.subject == "BOULANGERIE <MARTIN> & FILS|c-abc|[AGRIFRPPXXX/AGRIFRPPXXX/C-ABC]|<1 place de la Bourse><Bât. B>|end")
        request.sender.bic = nil
        let without = try #require(try library.render(request, date: date).email)
        #expect(without.subject.contains("|no BIC|"))
    }

    @Test("a template using a value the request lacks fails the render instead of leaving a blank")
    func missingValueAtRender() throws {
        let library = try Fixtures.shippedLibrary.get()
        var request = try Fixtures.formalNotice().with(channel: .email)
        request.formalNotice = nil
        let error = try #require(throws: NotificationTemplateError.self) { try library.render(request, date: date) }
        #expect(error.code == .missingValue)
        #expect(error.variable?.hasPrefix("formalNotice.") == true)
        // A letter to a recipient without a postal address.
        let noAddress = try #require(throws: NotificationTemplateError.self) {
            try library.render(try Fixtures.courtesy().with(channel: .letter), date: date)
        }
        #expect(noAddress.code == .missingValue && noAddress.variable == "recipient.address.cityLine")
    }

    @Test("unknown templates and channels are errors that say what to add")
    func unknownTemplateOrChannel() throws {
        let library = try Fixtures.shippedLibrary.get()
        let template = try #require(throws: NotificationTemplateError.self) {
            try library.render(try Fixtures.reminder().with(templateId: NotificationTemplateId(rawValue: "nope")), date: date)
        }
        #expect(template.code == .unknownTemplate && template.reason.contains("<language>/nope.email.subject.mustache"))
        let channel = try #require(throws: NotificationTemplateError.self) {
            try library.render(try Fixtures.reminder().with(channel: NotificationChannel(rawValue: "pigeon")), date: date)
        }
        #expect(channel.code == .unsupportedChannel)
        let sms = try #require(throws: NotificationTemplateError.self) {
            try library.render(try Fixtures.reminder().with(templateId: .formalNotice, channel: .sms), date: date)
        }
        #expect(sms.code == .unknownTemplate)
    }

    @Test("a request mixing currencies or without recipient is refused")
    func invalidRequests() throws {
        let library = try Fixtures.shippedLibrary.get()
        var mixed = try Fixtures.reminder()
        mixed.invoices[1].balance = .init(minorUnits: 100, currency: .usd)
        #expect(throws: NotificationTemplateError.self) { try library.render(mixed, date: date) }
        var nobody = try Fixtures.reminder()
        nobody.recipients = []
        let error = try #require(throws: NotificationTemplateError.self) { try library.render(nobody, date: date) }
        #expect(error.code == .invalidRequest)
    }

    @Test("each recipient gets their own copy: the greeting names them")
    func perRecipient() throws {
        let library = try Fixtures.shippedLibrary.get()
        var request = try Fixtures.reminder()
        request.recipients.append(NotificationRecipient(contactId: "c2", name: "Paul Martin", role: "management", email: "paul@example.org"))
        let first = try #require(try library.render(request, date: date).email)
        let second = try #require(try library.render(request, for: request.recipients[1], date: date).email)
        #expect(first.text.hasPrefix("Bonjour Claire Martin,"))
        #expect(second.text.hasPrefix("Bonjour Paul Martin,"))
    }
}
