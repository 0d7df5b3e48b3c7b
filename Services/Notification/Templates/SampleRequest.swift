import Events
import Money

extension NotificationRequested {
    /// A complete request: every optional value present (formal notice, BIC, addresses,
    /// payment references), two invoices. Templates are checked against the shape of its
    /// model, and it is the sample data of a preview.
    public static var templateSample: NotificationRequested {
        let eur = Currency.eur
        func date(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate {
            (try? CalendarDate(year: year, month: month, day: day)) ?? CalendarDate(daysSinceEpoch: 0)
        }
        func money(_ minorUnits: Int64) -> Money { Money(minorUnits: minorUnits, currency: eur) }
        let creditorAddress = PostalAddressSnapshot(lines: ["1 place de la Bourse", "Bâtiment B"], postalCode: "69002", city: "Lyon", country: "FR")
        let customerAddress = PostalAddressSnapshot(lines: ["12 rue des Lilas"], postalCode: "75011", city: "Paris", country: "FR")
        let invoices = [
            ClaimedInvoice(
                invoiceId: "sample-invoice-1", invoiceNumber: "FA-2026-0042", issueDate: date(2026, 11, 2), dueDate: date(2026, 12, 2),
                total: money(144_000), balance: money(144_000), daysOverdue: 44, paymentReference: "RF18FA20260042",
                lateInterest: money(2_108), recoveryIndemnity: money(4_000)),
            ClaimedInvoice(
                invoiceId: "sample-invoice-2", invoiceNumber: "FA-2026-0051", issueDate: date(2026, 11, 9), dueDate: date(2026, 12, 9),
                total: money(44_000), balance: money(24_000), daysOverdue: 37, paymentReference: "RF71FA20260051",
                lateInterest: money(296), recoveryIndemnity: money(4_000)),
        ]
        let totals = (try? ClaimTotals(summing: invoices, currency: eur))
            ?? ClaimTotals(balance: money(168_000), lateInterest: money(2_404), recoveryIndemnity: money(8_000), totalClaimed: money(178_404))
        return NotificationRequested(
            notificationId: "00000000-0000-8000-8000-000000000000", customerId: "sample-customer", channel: .email,
            fallbackChannel: .letter, language: "fr", templateId: .formalNotice,
            recipients: [
                NotificationRecipient(
                    contactId: "sample-contact", name: "Claire Martin", role: "accounting", email: "compta@example.org",
                    phone: "+33612345678", postalAddress: customerAddress, cc: ["direction@example.org"]),
            ],
            sender: CreditorSnapshot(
                legalName: "Créancier Exemple SAS", iban: "FR7630006000011234567890189", bic: "AGRIFRPPXXX",
                replyTo: "recouvrement@example.org", postalAddress: creditorAddress),
            customer: NotificationRequested.Customer(customerNumber: "C-00042", legalName: "Boulangerie Martin SARL"),
            invoices: invoices, totals: totals, payBy: date(2027, 1, 25),
            formalNotice: NotificationRequested.FormalNotice(responseDeadline: date(2027, 1, 25), annualInterestRateBasisPoints: 1215),
            scenario: DunningStepReference(name: "standard-b2b", version: 1, stepId: "formal-notice"))
    }
}

extension RenderModel {
    /// The model of ``NotificationRequested/templateSample``, whose shape templates are checked against.
    static var sample: RenderModel {
        get throws(NotificationTemplateError) {
            try RenderModel(request: .templateSample, date: NotificationRequested.templateSample.payBy)
        }
    }
}
