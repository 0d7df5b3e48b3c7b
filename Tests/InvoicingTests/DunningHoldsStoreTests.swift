import Events
import Foundation
import GRDB
@testable import Invoicing
import Money
import Testing

/// Disputes, factoring, credit insurance and legal status in the store.
@Suite struct DunningHoldsStoreTests {
    static func eur(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }
    static func day(_ text: String) throws -> CalendarDate { try CalendarDate(iso8601: text) }

    /// A customer C-001 and an invoice FA-1 of 120.00 issued 2026-05-01, due 2026-05-31; today 2026-06-10.
    private func given() async throws -> (InvoicingFixture, Invoice) {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-06-10")
        _ = try await fixture.database.registerCustomer(try InvoicingFixture.customer())
        let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("FA-1"))
        return (fixture, invoice)
    }

    // MARK: Disputes

    @Test("two partial disputes stay open together, summed, each announced with its id, amount and category")
    func severalPartialDisputes() async throws {
        let (fixture, invoice) = try await given()
        let pricing = try await fixture.database.openDispute(
            invoiceId: invoice.id, DisputeDraft(amount: Self.eur(20_00), category: "pricing", reason: "wrong unit price", openedOn: try Self.day("2026-06-02")))
        let quantity = try await fixture.database.openDispute(
            invoiceId: invoice.id, DisputeDraft(amount: Self.eur(30_00), category: "quantity", reason: "one crate missing"))

        #expect(quantity.invoice.disputed)
        #expect(quantity.invoice.disputedAmount == Self.eur(50_00))
        #expect(quantity.invoice.openDisputes.map(\.id) == [pricing.dispute.id, quantity.dispute.id])
        #expect(quantity.invoice.disputeReason == "one crate missing")
        #expect(try quantity.dispute.openedOn == (Self.day("2026-06-10")))
        let events = try fixture.outboxEvents(InvoiceDisputed.self)
        #expect(events.map(\.disputeId) == [pricing.dispute.id, quantity.dispute.id])
        #expect(events.map(\.amount) == [Self.eur(20_00), Self.eur(30_00)])
        #expect(events.map(\.category) == ["pricing", "quantity"])
        #expect(try events[0].openedOn == (Self.day("2026-06-02")))
    }

    @Test("resolving one dispute keeps the other holding the invoice, and the resolved one stays in the history")
    func resolvingOneKeepsHistory() async throws {
        let (fixture, invoice) = try await given()
        let first = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(20_00), category: "pricing", reason: "price"))
        let second = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(10_00), reason: "late"))
        let resolved = try await fixture.database.resolveDispute(
            invoiceId: invoice.id, disputeId: first.dispute.id, DisputeResolution(resolution: "price confirmed"))

        #expect(try resolved.dispute.resolvedOn == (Self.day("2026-06-10")))
        #expect(resolved.dispute.resolution == "price confirmed" && resolved.dispute.reason == "price")
        #expect(resolved.invoice.disputed)
        #expect(resolved.invoice.openDisputes.map(\.id) == [second.dispute.id])
        #expect(resolved.invoice.disputedAmount == Self.eur(10_00))
        #expect(resolved.invoice.disputeReason == "late")
        let history = try await fixture.database.disputes(invoiceId: invoice.id)
        #expect(history.map(\.id) == [first.dispute.id, second.dispute.id])
        #expect(history.map(\.isOpen) == [false, true])
        #expect(second.dispute.category == "other")
        let event = try #require(try fixture.outboxEvents(InvoiceDisputeResolved.self).first)
        #expect(try event.disputeId == first.dispute.id && event.resolvedOn == (Self.day("2026-06-10")) && event.amount == Self.eur(20_00))
    }

    @Test("the open disputes cannot add up to more than the invoice total")
    func amountOverTotalRefused() async throws {
        let (fixture, invoice) = try await given()
        _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(100_00), reason: "a"))
        let error = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(20_01), reason: "b"))
        }
        #expect(error?.code == .invalidField && error?.field == "amount")
        _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(20_00), reason: "b"))
    }

    @Test("a dispute in another currency, with a bad category, or resolved before it opened is refused")
    func disputeValidation() async throws {
        let (fixture, invoice) = try await given()
        let currency = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Money(minorUnits: 10_00, currency: .gbp), reason: "a"))
        }
        #expect(currency?.code == .currencyMismatch)
        let category = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(category: "Not Received", reason: "a"))
        }
        #expect(category?.code == .invalidField && category?.field == "category")
        let opened = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(reason: "a", openedOn: try Self.day("2026-06-05")))
        let early = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.resolveDispute(
                invoiceId: invoice.id, disputeId: opened.dispute.id, DisputeResolution(resolution: "ok", resolvedOn: try Self.day("2026-06-04")))
        }
        #expect(early?.code == .invalidField && early?.field == "resolvedOn")
        let unknown = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.resolveDispute(invoiceId: invoice.id, disputeId: "nope", DisputeResolution(resolution: "ok"))
        }
        #expect(unknown?.code == .notFound)
        _ = try await fixture.database.resolveDispute(invoiceId: invoice.id, disputeId: opened.dispute.id, DisputeResolution(resolution: "ok"))
        let twice = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.resolveDispute(invoiceId: invoice.id, disputeId: opened.dispute.id, DisputeResolution(resolution: "ok"))
        }
        #expect(twice?.code == .invalidState)
    }

    @Test("the whole-invoice calls keep their meaning: one dispute for the total, resolving ends every open one")
    func legacyCalls() async throws {
        let (fixture, invoice) = try await given()
        let disputed = try await fixture.database.openDispute(invoiceId: invoice.id, reason: "not ordered")
        #expect(disputed.disputed && disputed.disputeReason == "not ordered" && disputed.disputedAmount == Self.eur(120_00))
        #expect(disputed.openDisputes.map(\.category) == ["other"])
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.openDispute(invoiceId: invoice.id, reason: "again") }

        let resolved = try await fixture.database.resolveDispute(invoiceId: invoice.id, resolution: "withdrawn")
        #expect(!resolved.disputed && resolved.disputeReason == nil && resolved.disputedAmount == nil && resolved.openDisputes.isEmpty)
        _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(10_00), reason: "x"))
        _ = try await fixture.database.openDispute(invoiceId: invoice.id, DisputeDraft(amount: Self.eur(10_00), reason: "y"))
        let all = try await fixture.database.resolveDispute(invoiceId: invoice.id, resolution: "settled together")
        #expect(!all.disputed)
        #expect(try fixture.outboxEvents(InvoiceDisputeResolved.self).count == 3)
        #expect(try await fixture.database.disputes(invoiceId: invoice.id).allSatisfy { !$0.isOpen })
        await #expect(throws: InvoicingError.self) { _ = try await fixture.database.resolveDispute(invoiceId: invoice.id, resolution: "again") }
    }

    @Test("migration: an invoice disputed before becomes one open dispute of its total, category other")
    func migrationMovesDisputes() async throws {
        let queue = try DatabaseQueue()
        try InvoicingDatabase.migrator.migrate(queue, upTo: "invoicing-v4-history-by-customer")
        try await queue.write { db in
            let details = try InvoicingFixture.customer().validated()
            try db.execute(sql: """
                INSERT INTO customer (id, number, legal_name, strategic, tags, time_zone, currency, payment_terms, details, created_at, updated_at)
                VALUES ('c1', 'C-001', 'Boulangerie', 0, '||', 'Europe/Paris', 'EUR', 'net:30', ?, '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
                """, arguments: [try EventJSON.encode(details)])
            for (id, disputed, reason, factor) in [("i1", 1, "damaged goods", nil), ("i2", 0, nil, "Factor SA")] as [(String, Int, String?, String?)] {
                try db.execute(sql: """
                    INSERT INTO invoice (id, number, customer_id, issue_date, due_date, currency, total_minor, payment_reference, open_minor,
                        status, disputed, dispute_reason, factor_name, created_at)
                    VALUES (?, ?, 'c1', '2025-02-01', '2025-03-03', 'EUR', 50000, ?, 50000, 'open', ?, ?, ?, '2025-02-01T08:00:00.000Z')
                    """, arguments: [id, "FA-\(id)", "RF\(id)", disputed, reason, factor])
            }
        }
        let database = try InvoicingDatabase(queue, now: { Date(timeIntervalSince1970: 1_780_000_000) })
        let disputed = try #require(try await database.invoice(id: "i1"))
        #expect(disputed.disputed && disputed.disputeReason == "damaged goods")
        let dispute = try #require(disputed.openDisputes.first)
        #expect(dispute.amount == Self.eur(500_00) && dispute.category == "other" && dispute.reason == "damaged goods")
        #expect(try dispute.openedOn == (Self.day("2025-02-01")))
        #expect(try await database.invoice(id: "i2")?.factoringMode == .notified)
        let resolved = try await database.resolveDispute(invoiceId: "i1", resolution: "replaced")
        #expect(!resolved.disputed)
    }

    // MARK: Factoring

    @Test("a confidential assignment is recorded with its mode and date, and a release hands the invoice back")
    func factoringModeAndRelease() async throws {
        let (fixture, invoice) = try await given()
        let assigned = try await fixture.database.assignToFactor(
            invoiceId: invoice.id, factorName: "Factor SA", mode: .confidential, assignedOn: try Self.day("2026-06-01"))
        #expect(assigned.factorName == "Factor SA" && assigned.factoringMode == .confidential)
        #expect(try assigned.factorAssignedOn == (Self.day("2026-06-01")))
        let event = try #require(try fixture.outboxEvents(InvoiceAssignedToFactor.self).first)
        #expect(try event.mode == .confidential && event.assignedOn == (Self.day("2026-06-01")))

        let early = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.releaseFromFactor(invoiceId: invoice.id, releasedOn: try Self.day("2026-05-31"))
        }
        #expect(early?.field == "releasedOn")
        let released = try await fixture.database.releaseFromFactor(invoiceId: invoice.id)
        #expect(released.factorName == nil && released.factoringMode == nil && released.factorAssignedOn == nil)
        let back = try #require(try fixture.outboxEvents(InvoiceReleasedFromFactor.self).first)
        #expect(try back.factorName == "Factor SA" && back.mode == .confidential && back.releasedOn == (Self.day("2026-06-10")))
        let again = await #expect(throws: InvoicingError.self) { _ = try await fixture.database.releaseFromFactor(invoiceId: invoice.id) }
        #expect(again?.code == .invalidState)
        // Assigned again after the release, by default notified and today.
        let reassigned = try await fixture.database.assignToFactor(invoiceId: invoice.id, factorName: "Other Factor")
        #expect(try reassigned.factoringMode == .notified && reassigned.factorAssignedOn == (Self.day("2026-06-10")))
    }

    // MARK: Credit insurance

    @Test("a customer policy gives covered invoices their declaration deadline and is announced; ending it removes both")
    func creditInsurance() async throws {
        let (fixture, invoice) = try await given()
        let later = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("FA-2", issued: "2027-01-10"))
        let customer = try await fixture.database.setCreditInsurance(customerId: invoice.customerId, CreditInsuranceDraft(
            insurer: "Allianz Trade", policyReference: "POL-1", coverAmount: Self.eur(50_000_00), declarationDeadlineDays: 60,
            startsOn: try Self.day("2026-01-01"), endsOn: try Self.day("2026-12-31")))
        #expect(customer.creditInsurance?.insurer == "Allianz Trade")
        #expect(try await fixture.database.invoice(id: invoice.id)?.insuranceDeclarationDeadline == (Self.day("2026-07-30")))
        #expect(try await fixture.database.invoice(id: later.id)?.insuranceDeclarationDeadline == nil) // due after the cover ends
        let event = try #require(try fixture.outboxEvents(CustomerCreditInsuranceChanged.self).last)
        #expect(event.insured && event.declarationDeadlineDays == 60 && event.coverAmount == Self.eur(50_000_00))

        // The same policy again changes nothing and publishes nothing.
        _ = try await fixture.database.setCreditInsurance(customerId: invoice.customerId, CreditInsuranceDraft(
            insurer: "Allianz Trade", policyReference: "POL-1", coverAmount: Self.eur(50_000_00), declarationDeadlineDays: 60,
            startsOn: try Self.day("2026-01-01"), endsOn: try Self.day("2026-12-31")))
        #expect(try fixture.outboxEvents(CustomerCreditInsuranceChanged.self).count == 1)

        let ended = try await fixture.database.endCreditInsurance(customerId: invoice.customerId)
        #expect(ended.creditInsurance == nil)
        #expect(try await fixture.database.invoice(id: invoice.id)?.insuranceDeclarationDeadline == nil)
        let last = try #require(try fixture.outboxEvents(CustomerCreditInsuranceChanged.self).last)
        #expect(!last.insured && last.insurer == nil)
        #expect(try fixture.outboxEvents(CustomerCreditInsuranceChanged.self).count == 2)
    }

    @Test("a policy in another currency, without cover or with days out of range is refused")
    func creditInsuranceValidation() throws {
        func draft(_ cover: Money, days: Int = 90, starts: String? = nil, ends: String? = nil) throws -> CreditInsuranceDraft {
            CreditInsuranceDraft(insurer: "Coface", policyReference: "P", coverAmount: cover, declarationDeadlineDays: days,
                                 startsOn: try starts.map(Self.day), endsOn: try ends.map(Self.day))
        }
        let currency = #expect(throws: InvoicingError.self) { _ = try draft(Money(minorUnits: 1, currency: .gbp)).validated(currency: .eur) }
        #expect(currency?.code == .currencyMismatch)
        #expect((try? draft(Self.eur(0)).validated(currency: .eur)) == nil)
        #expect((try? draft(Self.eur(1), days: 0).validated(currency: .eur)) == nil)
        #expect((try? draft(Self.eur(1), days: 366).validated(currency: .eur)) == nil)
        #expect((try? draft(Self.eur(1), starts: "2026-02-01", ends: "2026-01-31").validated(currency: .eur)) == nil)
        #expect((try? draft(Self.eur(1), days: 365, starts: "2026-01-31", ends: "2026-01-31").validated(currency: .eur)) != nil)
    }

    // MARK: Legal status

    @Test("the claim-filing deadline is the publication plus two months, clamped to the month's end",
          arguments: [("2026-12-31", "2027-02-28"), ("2027-01-15", "2027-03-15"), ("2027-12-31", "2028-02-29"), ("2026-08-31", "2026-10-31"), ("2026-11-30", "2027-01-30")])
    func claimDeadline(published: String, deadline: String) throws {
        #expect(try CustomerLegalStatus.claimFilingDeadline(publishedOn: try Self.day(published)) == (Self.day(deadline)))
        let status = try LegalStatusDraft(status: .liquidation, judgmentDate: try Self.day(published), publicationDate: try Self.day(published)).validated()
        #expect(try status.claimFilingDeadline == (Self.day(deadline)))
    }

    @Test("legal status: dates with none, a missing judgment or a publication before it are refused")
    func legalStatusValidation() throws {
        let none = #expect(throws: InvoicingError.self) { _ = try LegalStatusDraft(status: .none, judgmentDate: try Self.day("2026-01-01")).validated() }
        #expect(none?.field == "judgmentDate" && none?.code == .invalidField)
        let missing = #expect(throws: InvoicingError.self) { _ = try LegalStatusDraft(status: .safeguard).validated() }
        #expect(missing?.code == .missingField)
        let before = #expect(throws: InvoicingError.self) {
            _ = try LegalStatusDraft(status: .safeguard, judgmentDate: try Self.day("2026-03-10"), publicationDate: try Self.day("2026-03-09")).validated()
        }
        #expect(before?.field == "publicationDate")
        let early = #expect(throws: InvoicingError.self) {
            _ = try LegalStatusDraft(status: .safeguard, judgmentDate: try Self.day("2026-03-10"), publicationDate: try Self.day("2026-03-20"),
                                     claimFilingDeadline: try Self.day("2026-03-19")).validated()
        }
        #expect(early?.field == "claimFilingDeadline")
        let explicit = try LegalStatusDraft(status: .receivership, judgmentDate: try Self.day("2026-03-10"), publicationDate: try Self.day("2026-03-20"),
                                            claimFilingDeadline: try Self.day("2026-06-30")).validated()
        #expect(try explicit.claimFilingDeadline == (Self.day("2026-06-30")) && explicit.individualCollectionSuspended)
        #expect(try LegalStatusDraft(status: .none).validated() == .none)
    }

    @Test("a customer entering and leaving proceedings is announced with the previous status; collection is suspended meanwhile")
    func legalStatusEvents() async throws {
        let (fixture, invoice) = try await given()
        let entered = try await fixture.database.setLegalStatus(customerId: invoice.customerId, LegalStatusDraft(
            status: .receivership, judgmentDate: try Self.day("2026-12-15"), publicationDate: try Self.day("2026-12-31"), courtReference: "TC Paris 2026J01234"))
        #expect(try entered.legalStatus.status == .receivership && entered.legalStatus.claimFilingDeadline == (Self.day("2027-02-28")))
        #expect(try await fixture.database.customer(id: invoice.customerId)?.legalStatus.courtReference == "TC Paris 2026J01234")
        let liquidation = try await fixture.database.setLegalStatus(customerId: invoice.customerId, LegalStatusDraft(
            status: .liquidation, judgmentDate: try Self.day("2027-03-01")))
        #expect(liquidation.legalStatus.claimFilingDeadline == nil)
        _ = try await fixture.database.setLegalStatus(customerId: invoice.customerId, LegalStatusDraft(status: .liquidation, judgmentDate: try Self.day("2027-03-01")))
        let left = try await fixture.database.setLegalStatus(customerId: invoice.customerId, LegalStatusDraft(status: .none))
        #expect(left.legalStatus == .none)

        let events = try fixture.outboxEvents(CustomerLegalStatusChanged.self)
        #expect(events.map(\.status) == [.receivership, .liquidation, .none])
        #expect(events.map(\.previousStatus) == [.none, .receivership, .liquidation])
        #expect(events.map(\.individualCollectionSuspended) == [true, true, false])
        #expect(try events[0].claimFilingDeadline == (Self.day("2027-02-28")) && events[0].publicationDate == (Self.day("2026-12-31")))
        let unknown = await #expect(throws: InvoicingError.self) {
            _ = try await fixture.database.setLegalStatus(customerId: "nobody", LegalStatusDraft(status: .none))
        }
        #expect(unknown?.code == .notFound)
    }
}
