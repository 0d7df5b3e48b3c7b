import CSV
import Events
import Foundation
import GRDB
import Invoicing
import Messaging
import Money
import ServiceKit
import Testing

@Suite struct CustomerStoreTests {
    @Test func registeringACustomerPublishesCustomerRegistered() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let events = try fixture.outboxEvents(CustomerRegistered.self)
        #expect(events.count == 1)
        #expect(events.first?.customer.customerId == customer.id)
        #expect(events.first?.customer.paymentTerms == "net:30")
        #expect(events.first?.customer.contacts.first?.email == "compta@example.fr")
    }

    @Test func duplicateCustomerNumberIsRefusedAndStoresNothing() async throws {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        }
        #expect(try fixture.outboxTypes() == [CustomerRegistered.eventType])
        let page = try await fixture.database.customers(matching: .init(), page: PageRequest())
        #expect(page.items.count == 1)
    }

    @Test func updatePublishesOnlyTheFieldsThatChanged() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        var details = customer.details
        details.riskCategory = .high
        details.segment = "wholesale"
        _ = try await fixture.database.updateCustomer(id: customer.id, details)
        _ = try await fixture.database.updateCustomer(id: customer.id, details) // no change, no event
        let updates = try fixture.outboxEvents(CustomerUpdated.self)
        #expect(updates.count == 1)
        #expect(updates.first?.changedFields == ["segment", "riskCategory"])
    }

    @Test func searchFiltersByTextSegmentRiskAndTag() async throws {
        let fixture = try InvoicingFixture()
        for index in 1...5 {
            var draft = try InvoicingFixture.customer(String(format: "C-%03d", index))
            if index.isMultiple(of: 2) { draft.tags = ["vip"]; draft.riskCategory = .high }
            _ = try await fixture.database.registerCustomer(draft)
        }
        let vip = try await fixture.database.customers(matching: .init(tag: "vip"), page: PageRequest())
        #expect(vip.items.map(\.details.customerNumber) == ["C-002", "C-004"])
        let high = try await fixture.database.customers(matching: .init(riskCategory: .high), page: PageRequest())
        #expect(high.items.count == 2)
        let text = try await fixture.database.customers(matching: .init(text: "c-003"), page: PageRequest())
        #expect(text.items.map(\.details.customerNumber) == ["C-003"])
        let first = try await fixture.database.customers(matching: .init(), page: PageRequest(limit: 2))
        let second = try await fixture.database.customers(matching: .init(), page: PageRequest(cursor: first.nextCursor, limit: 2))
        #expect(first.items.map(\.details.customerNumber) == ["C-001", "C-002"])
        #expect(second.items.map(\.details.customerNumber) == ["C-003", "C-004"])
    }
}

@Suite struct InvoiceStoreTests {
    private func setUp(terms: PaymentTerms = .netDays(30), limit: Int64? = nil) async throws -> InvoicingFixture {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer(terms: terms, limit: limit))
        return fixture
    }

    @Test func issuingComputesTheDueDateFromTermsAndAPaymentReference() async throws {
        let fixture = try await setUp(terms: .endOfMonthPlusDays(10))
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2026-0001", issued: "2026-05-12"))
        #expect(invoice.dueDate == (try CalendarDate(iso8601: "2026-06-10")))
        #expect(invoice.paymentReference.hasPrefix("RF"))
        #expect((try? CreditorReference(validating: invoice.paymentReference)) != nil)
        #expect(invoice.status == .open)
        #expect(invoice.balance == Money(minorUnits: 120_00, currency: .eur))
        let issued = try fixture.outboxEvents(InvoiceIssued.self)
        #expect(issued.map(\.number) == ["F-2026-0001"])
        #expect(issued.first?.paymentReference == invoice.paymentReference)
    }

    @Test func invoiceForAnUnknownCustomerIsRefused() async throws {
        let fixture = try await setUp()
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", customer: "NOPE"))
        }
        #expect(try fixture.outboxTypes() == [CustomerRegistered.eventType])
    }

    @Test func creditNoteReducesTheBalanceAndCannotExceedIt() async throws {
        let fixture = try await setUp()
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        let (_, credited) = try await fixture.database.issueCreditNote(invoiceId: invoice.id, CreditNoteDraft(number: "AV-1", amount: Money(minorUnits: 20_00, currency: .eur), reason: "damaged"))
        #expect(credited.balance.minorUnits == 100_00)
        #expect(credited.creditedAmount.minorUnits == 20_00)
        await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.issueCreditNote(invoiceId: invoice.id, CreditNoteDraft(number: "AV-2", amount: Money(minorUnits: 200_00, currency: .eur), reason: "x"))
        }
        let changes = try fixture.outboxEvents(InvoiceBalanceChanged.self)
        #expect(changes.map(\.cause) == ["creditNote"])
        #expect(try fixture.outboxEvents(InvoiceCredited.self).first?.balance.minorUnits == 100_00)
    }

    @Test func cancellingRequiresThatNothingWasPaid() async throws {
        let fixture = try await setUp()
        let unpaid = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        let cancelled = try await fixture.database.cancelInvoice(id: unpaid.id, reason: "duplicate")
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.balance.isZero)
        let paid = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2"))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(paid, cents: 10_00))
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.cancelInvoice(id: paid.id, reason: nil) }
    }

    @Test func disputeFactorAndWriteOffPublishTheirEvents() async throws {
        let fixture = try await setUp()
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        #expect(try await fixture.database.openDispute(invoiceId: invoice.id, reason: "wrong quantity").disputed)
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.openDispute(invoiceId: invoice.id, reason: "again") }
        #expect(try await fixture.database.resolveDispute(invoiceId: invoice.id, resolution: "credit note issued").disputed == false)
        #expect(try await fixture.database.assignToFactor(invoiceId: invoice.id, factorName: "Factor SA").factorName == "Factor SA")
        let writtenOff = try await fixture.database.writeOff(invoiceId: invoice.id, reason: "insolvent")
        #expect(writtenOff.status == .writtenOff)
        #expect(writtenOff.writtenOffAmount.minorUnits == 120_00)
        #expect(try fixture.outboxTypes().suffix(6) == [
            InvoiceDisputed.eventType, InvoiceDisputeResolved.eventType, InvoiceAssignedToFactor.eventType,
            InvoiceWrittenOff.eventType, InvoiceBalanceChanged.eventType, InvoiceSettled.eventType,
        ])
    }

    @Test func exceedingTheCreditLimitIsFlaggedAndAnnouncedOnce() async throws {
        let fixture = try await setUp(limit: 200_00)
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1"))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-2"))
        _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-3"))
        let events = try fixture.outboxEvents(CustomerCreditLimitExceeded.self)
        #expect(events.count == 1)
        #expect(events.first?.openBalance.minorUnits == 240_00)
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        #expect(customer.creditLimitExceeded)
    }
}

@Suite struct PaymentEffectTests {
    private func issued(_ cents: Int64 = 120_00) async throws -> (InvoicingFixture, Invoice) {
        let fixture = try InvoicingFixture()
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        return (fixture, try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-1", cents: cents)))
    }

    @Test func redeliveredAllocationChangesTheBalanceOnce() async throws {
        let (fixture, invoice) = try await issued()
        let allocation = try InvoicingFixture.allocation(invoice, cents: 50_00)
        #expect(try await fixture.database.applyPaymentEvent(allocation) == .applied)
        #expect(try await fixture.database.applyPaymentEvent(allocation) == .duplicate)
        let after = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(after.balance.minorUnits == 70_00)
        #expect(after.status == .partiallyPaid)
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).count == 1)
    }

    @Test func fullPaymentPublishesInvoicePaidExactlyOnce() async throws {
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 20_00, on: "2026-05-10"))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 100_00, on: "2026-06-05"))
        let paid = try fixture.outboxEvents(InvoicePaid.self)
        #expect(paid.count == 1)
        #expect(paid.first?.paidOn == (try CalendarDate(iso8601: "2026-06-05")))
        #expect(try await fixture.database.invoice(id: invoice.id)?.status == .paid)
    }

    @Test func overpaymentBecomesCustomerCredit() async throws {
        let (fixture, invoice) = try await issued()
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(invoice, cents: 150_00))
        let customer = try #require(try await fixture.database.customer(id: invoice.customerId))
        #expect(customer.credit == [Money(minorUnits: 30_00, currency: .eur)])
        #expect(try await fixture.database.invoice(id: invoice.id)?.balance.isZero == true)
    }

    @Test func reversalReopensThePaidInvoice() async throws {
        let (fixture, invoice) = try await issued()
        let allocation = try InvoicingFixture.allocation(invoice, cents: 120_00, id: "alloc-1")
        _ = try await fixture.database.applyPaymentEvent(allocation)
        let reversal = try Envelope(
            PaymentReversed(customerId: invoice.customerId, paymentId: "pay-alloc-1", allocationId: "alloc-1", invoiceId: invoice.id,
                            amount: Money(minorUnits: 120_00, currency: .eur), reason: "returned"),
            source: "/relance/payment-matching", time: Date())
        #expect(try await fixture.database.applyPaymentEvent(reversal) == .applied)
        let reopened = try #require(try await fixture.database.invoice(id: invoice.id))
        #expect(reopened.status == .open)
        #expect(reopened.balance.minorUnits == 120_00)
        #expect(reopened.paidOn == nil)
        #expect(try fixture.outboxEvents(InvoiceBalanceChanged.self).map(\.cause) == ["allocation", "reversal"])
    }

    @Test func allocationToAnUnknownInvoiceIsAPoisonRecord() async throws {
        let (fixture, invoice) = try await issued()
        var ghost = invoice
        ghost.id = "does-not-exist"
        await #expect(throws: InvalidRecord.self) {
            _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(ghost, cents: 1_00))
        }
        #expect(try await fixture.database.invoice(id: invoice.id)?.balance.minorUnits == 120_00)
    }

    @Test func allocationInAnotherCurrencyIsAPoisonRecord() async throws {
        let (fixture, invoice) = try await issued()
        var dollars = invoice
        dollars.currency = .usd
        await #expect(throws: InvalidRecord.self) {
            _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(dollars, cents: 1_00))
        }
    }
}

@Suite struct OutstandingTests {
    @Test func agingBucketsAndBehaviourAsOfADay() async throws {
        let fixture = try InvoicingFixture()
        let customer = try await fixture.database.registerCustomer(try InvoicingFixture.customer(limit: 1_000_00))
        // Due dates relative to 2026-06-30: not due, 10 days, 45 days, 75 days, 120 days late.
        let dues = ["2026-07-15", "2026-06-20", "2026-05-16", "2026-04-16", "2026-03-02"]
        for (index, due) in dues.enumerated() {
            _ = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-\(index)", issued: "2026-01-01", due: due, cents: Int64(index + 1) * 100_00))
        }
        let paidLate = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-P", issued: "2026-01-01", due: "2026-02-01", cents: 10_00))
        _ = try await fixture.database.applyPaymentEvent(try InvoicingFixture.allocation(paidLate, cents: 10_00, on: "2026-02-11"))

        let outstanding = try await fixture.database.outstanding(customerId: customer.id, asOf: try CalendarDate(iso8601: "2026-06-30"))
        let euro = try #require(outstanding.aging.first)
        #expect(euro.notDue.minorUnits == 100_00)
        #expect(euro.days1to30.minorUnits == 200_00)
        #expect(euro.days31to60.minorUnits == 300_00)
        #expect(euro.days61to90.minorUnits == 400_00)
        #expect(euro.over90.minorUnits == 500_00)
        #expect(euro.totalOpen.minorUnits == 1_500_00)
        #expect(euro.overdue.minorUnits == 1_400_00)
        #expect(outstanding.openInvoiceCount == 5)
        #expect(outstanding.creditLimitUsagePercent == 150)
        #expect(outstanding.paymentBehaviour.paidInvoices == 1)
        #expect(outstanding.paymentBehaviour.paidLate == 1)
        #expect(outstanding.paymentBehaviour.overdueInvoices == 4)
        // Paid 10.00 10 days late and the four overdue items, weighted by amount:
        // (10 × 10 + 200 × 10 + 300 × 45 + 400 × 75 + 500 × 120) / 1 410 = 74.9.
        #expect(outstanding.paymentBehaviour.averageDaysLate == 74.9)

        let portfolio = try await fixture.database.portfolioOutstanding(asOf: try CalendarDate(iso8601: "2026-06-30"))
        #expect(portfolio.aging.first?.totalOpen.minorUnits == 1_500_00)
        #expect(portfolio.daysSalesOutstanding?.first?.currency == .eur)
        #expect((portfolio.daysSalesOutstanding?.first?.days ?? 0) > 150)
    }
}

@Suite struct ImportTests {
    @Test func consecutiveRowsOfOneCustomerAddContacts() async throws {
        let fixture = try InvoicingFixture()
        let csv = """
            customerNumber,legalName,country,currency,contactName,contactEmail,contactRole,contactDunningRecipient
            C-001,Boulangerie Martin,FR,EUR,Claire,compta@martin.fr,accounting,true
            C-001,Boulangerie Martin,FR,EUR,Paul,paul@martin.fr,operational,true
            C-001,Boulangerie Martin,FR,EUR,Zoé,zoe@martin.fr,accounting,true
            C-002,Garage Dupont,FR,EUR,,,,
            """
        let report = try await fixture.database.importCustomers(from: CSVReader(string: csv))
        #expect(report.created == 2)
        #expect(report.rejected.isEmpty) // a second accounting contact is no duplicate
        let customer = try #require(try await fixture.database.customer(number: "C-001"))
        #expect(customer.details.contacts.map(\.name) == ["Claire", "Paul", "Zoé"])
        #expect(customer.details.contacts.map(\.isDunningRecipient) == [true, true, false]) // Claire is accounting's primary
    }

    @Test func invoiceImportReportsRejectedLinesAndIsIdempotent() async throws {
        let fixture = try InvoicingFixture()
        let customers = """
            customerNumber,legalName,country,currency,paymentTerms
            C-001,Boulangerie Martin,FR,EUR,net:30
            C-002,Garage Dupont,FR,EUR,eom+10
            C-003,Bad Country,XX,EUR,net:30
            """
        let customerReport = try await fixture.database.importCustomers(from: CSVReader(string: customers))
        #expect(customerReport.rowsRead == 3)
        #expect(customerReport.created == 2)
        #expect(customerReport.rejected.map(\.line) == [4])

        let invoices = """
            invoiceNumber,customerNumber,issueDate,currency,total
            F-1,C-001,2026-05-01,EUR,"1 200,50"
            F-2,C-002,2026-05-03,EUR,99.99
            F-3,C-404,2026-05-03,EUR,10.00
            F-4,C-001,2026-05-03,EUR,-5
            """
        let report = try await fixture.database.importInvoices(from: CSVReader(string: invoices))
        #expect(report.rowsRead == 4)
        #expect(report.created == 2)
        #expect(Set(report.rejected.map(\.line)) == [4, 5])
        #expect(try fixture.outboxEvents(InvoiceIssued.self).map(\.number) == ["F-1", "F-2"])
        #expect(try fixture.outboxEvents(InvoiceIssued.self).first?.totalAmount.minorUnits == 1_200_50)

        let again = try await fixture.database.importInvoices(from: CSVReader(string: invoices))
        #expect(again.created == 0)
        #expect(again.alreadyPresent == 2)
        #expect(try fixture.outboxEvents(InvoiceIssued.self).count == 2)
    }
}
