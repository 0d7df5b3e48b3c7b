import Events
import Money
import NotificationTemplates
import Testing

@Suite("The render model and its sample")
struct RenderModelTests {
    /// Whether a value has an absent optional or an empty list anywhere: the shape templates are
    /// checked against would then miss names.
    func holes(_ value: RenderValue, path: String = "") -> [String] {
        switch value {
        case .missing: return [path]
        case .list(let items): return items.isEmpty ? [path] : items.flatMap { holes($0, path: path + "[]") }
        case .object(let fields): return fields.flatMap { holes($0.value, path: path.isEmpty ? $0.key : path + "." + $0.key) }
        case .text, .flag: return []
        }
    }

    @Test("the sample request fills every name of the model, so templates are checked against all of them")
    func sampleIsComplete() throws {
        let model = try RenderModel(request: .templateSample, date: NotificationRequested.templateSample.payBy)
        #expect(holes(model.root).isEmpty, "absent in the sample: \(holes(model.root))")
    }

    @Test("every shipped template renders the sample in every language and channel it has (the preview)")
    func sampleRendersEverywhere() throws {
        let library = try Fixtures.shippedLibrary.get()
        for language in ["fr", "en"] {
            for templateId in NotificationTemplateId.known {
                for channel in NotificationChannel.known where library.language(for: templateId, channel: channel, requested: language) == language {
                    var request = NotificationRequested.templateSample
                    request.templateId = templateId
                    request.channel = channel
                    request.language = language
                    let rendered = try library.render(request, date: request.payBy)
                    #expect(rendered.language == language)
                }
            }
        }
    }

    @Test("values are formatted and the payment reference follows the invoices")
    func values() throws {
        let request = try Fixtures.reminder()
        let model = try RenderModel(request: request, date: try Fixtures.date("2025-04-18"), language: "en")
        #expect(model.root["totals.totalClaimed"]?.text == "€1,768.04")
        #expect(model.root["payBy"]?.text == "25 April 2025")
        #expect(model.root["sender.iban"]?.text == "FR29 9999 9000 0100 0000 0000 185")
        #expect(model.root["sender.ibanElectronic"]?.text == "FR2999999000010000000000185")
        #expect(model.root["invoiceNumbers"]?.text == "FA-2025-0042, FA-2025-0051")
        #expect(model.root["paymentReference"]?.text == "FA-2025-0042, FA-2025-0051", "two references: quote the invoice numbers")
        #expect(model.root["formalNotice"] == .missing)
        #expect(model.root["recipient.address.cityLine"]?.text == "75011 Paris")
        let single = try RenderModel(request: try Fixtures.formalNotice(), date: try Fixtures.date("2025-04-18"))
        #expect(single.root["paymentReference"]?.text == "RF65FA20250042ECDM")
        #expect(single.root["formalNotice.annualRate"]?.text == "12,15\(nnbsp)%")
        #expect(single.root["formalNotice.indemnityPerInvoice"]?.text == "40,00\(nbsp)€")
        #expect(single.root["severalInvoices"] == .flag(false))
    }
}
