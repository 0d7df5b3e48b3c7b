import CSV
import Events
import Foundation
import GRDB
import Invoicing
import Money
import ServiceKit
import Testing

/// Issue 7: credit notes and on-account credit imported from the ERP as a sync, and credit
/// applied to newly imported invoices for customers with `autoApplyCredit`.
@Suite struct CreditImportTests {
    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }

    private func store(autoApply: Bool = false) async throws -> (InvoicingFixture, Customer) {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-05-28")
        var draft = try InvoicingFixture.customer()
        draft.autoApplyCredit = autoApply
        let customer = try await fixture.database.registerCustomer(draft)
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer("C-002"))
        return (fixture, customer)
    }

    static let notes = """
        number;customerNumber;invoiceNumber;amount;currency;net;vat;reason;issueDate
        AV-1;C-001;F-1;90,00;EUR;75,00;15,00;Returned goods;2026-05-10
        AV-2;C-001;;20.00;EUR;;;Commercial gesture;11/05/2026
        AV-3;C-999;;10.00;EUR;;;Unknown customer;2026-05-11
        AV-4;C-001;F-404;10.00;EUR;;;Unknown invoice;2026-05-11
        AV-5;C-002;F-1;10.00;EUR;;;Another customer's invoice;2026-05-11
        AV-6;C-001;;-5.00;EUR;;;Negative;2026-05-11

        """

    @Test("a credit note import issues new notes (against an invoice, standalone into credit) and rejects bad lines")
    func importCreditNotes() async throws {
        let (fixture, customer) = try await store()
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 100_00))
        let report = try await fixture.database.importCreditNotes(from: CSVReader(string: Self.notes))
        #expect(report.rowsRead == 6 && report.created == 2 && report.unchanged == 0)
        #expect(report.rejected.map(\.line) == [7, 4, 5, 6])
        #expect(report.rejected.map(\.error.field) == ["amount", "customerNumber", "invoiceNumber", "invoiceNumber"])
        let credited = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(credited.status == .open && credited.balance == eur(10_00) && credited.creditedAmount == eur(90_00))
        let notes = try await fixture.database.creditNotes(matching: .init(customerId: customer.id), page: PageRequest(limit: 10)).items
        #expect(notes.map(\.number) == ["AV-1", "AV-2"])
        #expect(notes[0].appliedToInvoice == eur(90_00) && notes[0].addedToCredit == .zero(.eur) && notes[0].netAmount == eur(75_00))
        let expectedDay = try CalendarDate(iso8601: "2026-05-11")
        #expect(notes[1].invoiceId == nil && notes[1].issueDate == expectedDay)
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(20_00)])
        #expect(try fixture.outboxEvents(CreditNoteIssued.self).map(\.number) == ["AV-1", "AV-2"])
    }

    @Test("re-importing credit notes changes nothing; a number here with other content is rejected")
    func creditNoteSync() async throws {
        let (fixture, _) = try await store()
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 100_00))
        _ = try await fixture.database.importCreditNotes(from: CSVReader(string: Self.notes))
        let published = try fixture.outboxTypes()
        let again = try await fixture.database.importCreditNotes(from: CSVReader(string: Self.notes))
        #expect(again.created == 0 && again.unchanged == 2 && again.alreadyPresent == 2)
        #expect(try fixture.outboxTypes() == published)
        let changed = try await fixture.database.importCreditNotes(from: CSVReader(string: """
            number,customerNumber,amount,currency,reason,issueDate
            AV-2,C-001,25.00,EUR,Commercial gesture,2026-05-11
            """))
        #expect(changed.unchanged == 0 && changed.rejectedCount == 1)
        let rejection = try #require(changed.rejected.first)
        #expect(rejection.error.code == .duplicateNumber && rejection.error.reason.contains("amount 20.00 EUR"))
        #expect(try fixture.outboxTypes() == published)
    }

    static let credit = """
        customerNumber,reference,amount,currency,date
        C-001,ACPT-7,300.00,EUR,2026-05-02
        C-001,ACPT-8,40.00,EUR,2026-05-03
        C-999,ACPT-9,10.00,EUR,2026-05-03
        C-001,ACPT-10,0,EUR,2026-05-03

        """

    @Test("an on-account credit import adds paymentOnAccount items keyed by customer and reference, idempotently")
    func importCustomerCredit() async throws {
        let (fixture, customer) = try await store()
        let report = try await fixture.database.importCustomerCredit(from: CSVReader(string: Self.credit))
        #expect(report.rowsRead == 4 && report.created == 2)
        #expect(report.rejected.map(\.line) == [5, 4])
        let items = try await fixture.database.creditItems(customerId: customer.id, page: PageRequest(limit: 10)).items
        #expect(items.map(\.externalReference) == ["ACPT-7", "ACPT-8"])
        #expect(items.allSatisfy { $0.source == .paymentOnAccount && $0.reference == nil })
        #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(340_00)])
        #expect(try fixture.outboxEvents(CustomerCreditChanged.self).map(\.cause) == [.paymentOnAccount, .paymentOnAccount])

        let published = try fixture.outboxTypes()
        let again = try await fixture.database.importCustomerCredit(from: CSVReader(string: Self.credit))
        #expect(again.created == 0 && again.unchanged == 2)
        #expect(try fixture.outboxTypes() == published)
        let changed = try await fixture.database.importCustomerCredit(from: CSVReader(string: """
            customerNumber,reference,amount,currency,date
            C-001,ACPT-7,310.00,EUR,2026-05-02
            C-002,ACPT-7,10.00,EUR,2026-05-02
            """))
        // The same reference of another customer is another credit.
        #expect(changed.created == 1 && changed.rejected.map(\.line) == [2])
        #expect(changed.rejected.first?.error.field == "reference")
    }

    @Test("imported on-account credit is applied at once for a customer with autoApplyCredit")
    func importedCreditAutoApplied() async throws {
        let (fixture, _) = try await store(autoApply: true)
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: 100_00))
        _ = try await fixture.database.importCustomerCredit(from: CSVReader(string: Self.credit))
        #expect(try await fixture.database.invoice(id: invoice.id)?.status == .paid)
    }

    @Test("importing invoices applies the open credit of customers with autoApplyCredit to the new open invoices, not to disputed rows")
    func invoiceImportAppliesCredit() async throws {
        for autoApply in [true, false] {
            let (fixture, customer) = try await store(autoApply: autoApply)
            _ = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
                customerId: customer.id, note: CreditNoteDraft(number: "AV-1", amount: eur(150_00), reason: "gesture")))
            let report = try await fixture.database.importInvoices(from: CSVReader(string: """
                invoiceNumber,customerNumber,issueDate,currency,total,disputed
                I-0,C-001,2026-03-01,EUR,500.00,yes
                I-1,C-001,2026-04-01,EUR,100.00,
                I-2,C-001,2026-04-15,EUR,100.00,
                """))
            #expect(report.created == 3)
            let invoices = try await fixture.database.invoices(matching: .init(customerId: customer.id), page: PageRequest(limit: 10)).items
            let byNumber = Dictionary(uniqueKeysWithValues: invoices.map { ($0.number, $0) })
            if autoApply {
                #expect(byNumber["I-0"]?.balance == eur(500_00))
                #expect(byNumber["I-1"]?.status == .cancelled && byNumber["I-1"]?.creditedAmount == eur(100_00))
                #expect(byNumber["I-2"]?.balance == eur(50_00))
                #expect(try await fixture.database.customer(id: customer.id)?.credit == [])
            } else {
                #expect(invoices.allSatisfy { $0.balance == $0.totalAmount })
                #expect(try await fixture.database.customer(id: customer.id)?.credit == [eur(150_00)])
            }
        }
    }
}
