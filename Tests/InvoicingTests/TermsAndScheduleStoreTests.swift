import CSV
import Events
import Foundation
import GRDB
@testable import Invoicing
import Money
import Testing

@Suite("Store: terms, payee, instalment plans and due-date changes")
struct TermsAndScheduleStoreTests {
    private func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }
    private func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    /// A fixture whose store names the demo payee.
    private func fixture(terms: PaymentTerms = .netDays(30), lateRate: Int? = nil) async throws -> (InvoicingDatabase, DatabaseQueue) {
        let queue = try DatabaseQueue()
        let database = try InvoicingDatabase(queue, now: { Date(timeIntervalSince1970: 1_780_000_000) }, payee: .demo)
        var customer = try InvoicingFixture.customer(terms: terms)
        customer.lateInterestRateBasisPoints = lateRate
        _ = try await database.registerCustomer(customer)
        return (database, queue)
    }

    private func events<Event: DomainEvent>(_: Event.Type, _ queue: DatabaseQueue) throws -> [Event] {
        try queue.read { db in
            try Data.fetchAll(db, sql: "SELECT data FROM relance_outbox WHERE type = ? ORDER BY sequence", arguments: [Event.eventType])
        }.map { try EventJSON.decoder.decode(Event.self, from: $0) }
    }

    @Test("invoice.issued carries the payee, the terms, the legal late-payment default, the document URL and no warning")
    func issuedCarriesWhatNotificationNeeds() async throws {
        let (database, queue) = try await fixture()
        var draft = try InvoicingFixture.invoice("INV-1", issued: "2026-05-01")
        draft.documentUrl = "https://files.example.com/INV-1.pdf"
        let invoice = try await database.issueInvoice(draft)
        let event = try #require(try events(InvoiceIssued.self, queue).first)
        #expect(event.payee == Payee.demo.snapshot)
        #expect(event.paymentTerms == "net:30")
        #expect(event.latePaymentTerms == LatePaymentTerms(interestRule: "ecbRefinancingRatePlusPoints", annualRateBasisPoints: nil,
                                                           pointsAboveReference: 10, recoveryIndemnity: eur(40_00)))
        #expect(event.documentUrl == "https://files.example.com/INV-1.pdf")
        #expect(event.warnings == nil)
        #expect(invoice.paymentTerms == "net:30")
        #expect(invoice.documentUrl == "https://files.example.com/INV-1.pdf")
        #expect(invoice.warnings.isEmpty)
        #expect(try events(InvoiceScheduleSet.self, queue).isEmpty)
    }

    @Test("a contractual late-payment rate replaces the legal default; the indemnity stays")
    func contractualRate() async throws {
        let (database, queue) = try await fixture(lateRate: 1250)
        _ = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1"))
        let terms = try #require(try events(InvoiceIssued.self, queue).first?.latePaymentTerms)
        #expect(terms.interestRule == "contractual")
        #expect(terms.annualRateBasisPoints == 1250)
        #expect(terms.pointsAboveReference == nil)
        #expect(terms.recoveryIndemnity == eur(40_00))
    }

    @Test("terms beyond the legal cap: the invoice is issued with a warning, in the event and the invoice")
    func warningBeyondCap() async throws {
        let (database, queue) = try await fixture(terms: .netDays(90))
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", issued: "2026-05-01"))
        #expect(invoice.status == .open)
        #expect(invoice.dueDate.description == "2026-07-30")
        #expect(invoice.warnings.map(\.code) == ["paymentTermsExceedLegalMaximum"])
        #expect(try events(InvoiceIssued.self, queue).first?.warnings == invoice.warnings)
        let read = try #require(try await database.invoice(id: invoice.id))
        #expect(read.warnings == invoice.warnings)
    }

    @Test("instalment terms: the invoice gets the plan, invoice.schedule-set follows invoice.issued")
    func instalmentTermsAtIssue() async throws {
        let (database, queue) = try await fixture(terms: try PaymentTerms(parsing: "instalments:30/60/90"))
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", issued: "2026-01-31", cents: 100_00))
        #expect(invoice.schedule.map(\.amount.minorUnits) == [33_33, 33_33, 33_34])
        #expect(invoice.schedule.map(\.dueDate.description) == ["2026-03-02", "2026-04-01", "2026-05-01"])
        #expect(invoice.schedule.map(\.open) == invoice.schedule.map(\.amount))
        #expect(invoice.dueDate.description == "2026-05-01")
        let types = try await queue.read { try String.fetchAll($0, sql: "SELECT type FROM relance_outbox ORDER BY sequence") }
        #expect(Array(types.suffix(2)) == [InvoiceIssued.eventType, InvoiceScheduleSet.eventType])
        let plan = try #require(try events(InvoiceScheduleSet.self, queue).first)
        #expect(plan.instalments == invoice.schedule.map { Instalment(dueDate: $0.dueDate, amount: $0.amount) })
        #expect(plan.cause == "paymentTerms")
        #expect(plan.dueDate == invoice.dueDate)
    }

    @Test("what is no longer owed covers the instalments in date order")
    func openPerInstalment() async throws {
        let (database, _) = try await fixture(terms: try PaymentTerms(parsing: "instalments:30/60"))
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", cents: 100_00))
        _ = try await database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 60_00))
        let paid = try #require(try await database.invoice(id: invoice.id))
        #expect(paid.schedule.map(\.open.minorUnits) == [0, 40_00])
    }

    @Test("PUT schedule replaces the plan, moves the due date and publishes invoice.schedule-set")
    func setSchedule() async throws {
        let (database, queue) = try await fixture()
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", issued: "2026-05-01", cents: 300_00))
        let plan = [Instalment(dueDate: try day("2026-05-31"), amount: eur(100_00)), Instalment(dueDate: try day("2026-06-30"), amount: eur(200_00))]
        let updated = try await database.setSchedule(invoiceId: invoice.id, instalments: plan)
        #expect(updated.dueDate.description == "2026-06-30")
        #expect(updated.schedule.map(\.amount) == plan.map(\.amount))
        let event = try #require(try events(InvoiceScheduleSet.self, queue).last)
        #expect(event.instalments == plan)
        #expect(event.cause == "request")
        let shorter = [Instalment(dueDate: try day("2026-05-15"), amount: eur(300_00))]
        #expect(try await database.setSchedule(invoiceId: invoice.id, instalments: shorter).schedule.count == 1)
    }

    @Test("a plan must sum to the total, ascend, be in the invoice currency and not start before issue")
    func scheduleRules() async throws {
        let (database, _) = try await fixture()
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", issued: "2026-05-01", cents: 300_00))
        func code(_ plan: [Instalment]) async -> InvoicingError.Code? {
            do {
                _ = try await database.setSchedule(invoiceId: invoice.id, instalments: plan)
                return nil
            } catch let error as InvoicingError {
                return error.code
            } catch {
                return nil
            }
        }
        let may = try day("2026-05-31"), june = try day("2026-06-30")
        #expect(await code([]) == .missingField)
        #expect(await code([Instalment(dueDate: may, amount: eur(100_00)), Instalment(dueDate: june, amount: eur(100_00))]) == .totalsMismatch)
        #expect(await code([Instalment(dueDate: june, amount: eur(100_00)), Instalment(dueDate: may, amount: eur(200_00))]) == .invalidField)
        #expect(await code([Instalment(dueDate: may, amount: eur(100_00)), Instalment(dueDate: may, amount: eur(200_00))]) == .invalidField)
        #expect(await code([Instalment(dueDate: try day("2026-04-30"), amount: eur(300_00))]) == .dueBeforeIssue)
        #expect(await code([Instalment(dueDate: may, amount: Money(minorUnits: 300_00, currency: .usd))]) == .currencyMismatch)
        #expect(await code([Instalment(dueDate: may, amount: eur(0)), Instalment(dueDate: june, amount: eur(300_00))]) == .nonPositiveTotal)
        let many = (0...36).map { Instalment(dueDate: may.adding(days: $0), amount: eur(1)) }
        #expect(await code(many) == .limitExceeded)
        _ = try await database.cancelInvoice(id: invoice.id, reason: nil)
        #expect(await code([Instalment(dueDate: may, amount: eur(300_00))]) == .invalidState)
    }

    @Test("a due-date change is recorded, shown and published with the old and new dates")
    func dueDateChange() async throws {
        let (database, queue) = try await fixture()
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", issued: "2026-05-01"))
        let changed = try await database.changeDueDate(invoiceId: invoice.id, to: try day("2026-06-30"), reason: "delay granted")
        #expect(changed.dueDate.description == "2026-06-30")
        #expect(changed.dueDateChanges.map(\.previousDueDate.description) == ["2026-05-31"])
        #expect(changed.dueDateChanges.map(\.reason) == ["delay granted"])
        let event = try #require(try events(InvoiceDueDateChanged.self, queue).first)
        #expect(event.previousDueDate.description == "2026-05-31")
        #expect(event.dueDate.description == "2026-06-30")
        #expect(event.reason == "delay granted")
        // Beyond the cap now: the invoice says so.
        let later = try await database.changeDueDate(invoiceId: invoice.id, to: try day("2026-08-31"), reason: "second delay")
        #expect(later.warnings.map(\.code) == ["paymentTermsExceedLegalMaximum"])
        #expect(later.dueDateChanges.count == 2)
    }

    @Test("a due-date change is refused before issue, to the same date, blank, or with a plan")
    func dueDateRules() async throws {
        let (database, _) = try await fixture()
        let invoice = try await database.issueInvoice(try InvoicingFixture.invoice("INV-1", issued: "2026-05-01"))
        await #expect(throws: InvoicingError.self) { try await database.changeDueDate(invoiceId: invoice.id, to: try day("2026-04-30"), reason: "x") }
        await #expect(throws: InvoicingError.self) { try await database.changeDueDate(invoiceId: invoice.id, to: try day("2026-05-31"), reason: "x") }
        await #expect(throws: InvoicingError.self) { try await database.changeDueDate(invoiceId: invoice.id, to: try day("2026-06-30"), reason: " ") }
        _ = try await database.setSchedule(invoiceId: invoice.id, instalments: [Instalment(dueDate: try day("2026-06-15"), amount: eur(120_00))])
        let error = await #expect(throws: InvoicingError.self) {
            try await database.changeDueDate(invoiceId: invoice.id, to: try day("2026-06-30"), reason: "x")
        }
        #expect(error?.code == .invalidState)
    }

    @Test("contacts keep consents, cc and language; the customer snapshot publishes them and the contractual rate")
    func contactsInSnapshot() async throws {
        let database = try InvoicingDatabase(try DatabaseQueue())
        var draft = try InvoicingFixture.customer()
        draft.lateInterestRateBasisPoints = 900
        draft.language = try Language(parsing: "fr-BE")
        draft.contacts[0].language = try Language(parsing: "nl-BE")
        draft.contacts[0].consents = [ChannelConsent(channel: "sms", optedIn: true, recordedOn: try day("2026-01-02"))]
        draft.contacts[0].cc = [try EmailAddress("boss@example.fr")]
        let customer = try await database.registerCustomer(draft)
        let snapshot = customer.snapshot
        #expect(snapshot.language == "fr-BE")
        #expect(snapshot.lateInterestRateBasisPoints == 900)
        #expect(snapshot.contacts[0].language == "nl-BE")
        #expect(snapshot.contacts[0].consents == [ConsentSnapshot(channel: "sms", optedIn: true, recordedOn: try day("2026-01-02"))])
        #expect(snapshot.contacts[0].cc == ["boss@example.fr"])
        let read = try #require(try await database.customer(id: customer.id))
        #expect(read.details.contacts[0].consents.count == 1)

        draft.contacts[0].consents.append(ChannelConsent(channel: "sms", optedIn: false, recordedOn: try day("2026-02-01")))
        let error = await #expect(throws: InvoicingError.self) { try await database.registerCustomer(draft) }
        #expect(error?.field?.hasSuffix("consents[1].channel") == true)
    }

    @Test("imported invoices carry the same: payee, terms, late-payment terms, the plan and invoice.schedule-set")
    func importedInvoices() async throws {
        let (database, queue) = try await fixture(terms: try PaymentTerms(parsing: "instalments:30/60"), lateRate: 800)
        let csv = """
            invoiceNumber,customerNumber,issueDate,currency,total
            F-1,C-001,2026-01-31,EUR,100.01
            """
        let report = try await database.importInvoices(from: CSVReader(string: csv))
        #expect(report.created == 1)
        let issued = try #require(try events(InvoiceIssued.self, queue).first)
        #expect(issued.payee == Payee.demo.snapshot)
        #expect(issued.paymentTerms == "instalments:30/60")
        #expect(issued.latePaymentTerms?.annualRateBasisPoints == 800)
        let plan = try #require(try events(InvoiceScheduleSet.self, queue).first)
        #expect(plan.instalments.map(\.amount.minorUnits) == [50_00, 50_01])
        #expect(plan.instalments.map(\.dueDate.description) == ["2026-03-02", "2026-04-01"])
        let invoice = try #require(try await database.invoice(id: issued.invoiceId))
        #expect(invoice.schedule.count == 2)
        #expect(invoice.dueDate.description == "2026-04-01")
    }
}
