import Events
import Foundation
import GRDB
import Money
@testable import PaymentMatching
import ServiceKit
import Testing

/// Statement imports through the store: payments created once, matched against the
/// projection, events published in the same transaction.
@Suite struct StatementImportTests {
    typealias F = PaymentMatchingFixture

    private func ledger() async throws -> F {
        let fixture = try F()
        try await fixture.register("c1", number: "C-0001", name: "Boulangerie Martin")
        try await fixture.register("c2", number: "C-0002", name: "Garage Dupont")
        try await fixture.issue("i1", number: "FA-2026-0001", customerId: "c1", cents: 120_00, reference: F.rf("20260001"))
        try await fixture.issue("i2", number: "FA-2026-0002", customerId: "c2", cents: 100_00, reference: F.rf("20260002"))
        try await fixture.issue("i3", number: "FA-2026-0003", customerId: "c2", cents: 75_50, reference: F.rf("20260003"))
        return fixture
    }

    @Test("a payment with the invoice's RF reference is allocated, and the events follow in order")
    func referenceAllocates() async throws {
        let fixture = try await ledger()
        let result = try await fixture.importText(F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001"))]))
        #expect(result.summary.entriesRead == 1 && result.summary.paymentsCreated == 1 && result.summary.matched == 1)
        #expect(result.format == "camt.053" && result.statements.map(\.account) == ["FR7630006000011234567890189"])
        #expect(try fixture.outboxTypes() == [PaymentReceived.eventType, PaymentAllocated.eventType, StatementImported.eventType])
        let allocated = try #require(try fixture.outboxEvents(PaymentAllocated.self).first)
        #expect(allocated.invoiceId == "i1" && allocated.customerId == "c1" && allocated.amount == Money(minorUnits: 120_00, currency: .eur))
        #expect(try fixture.outboxEvents(PaymentReceived.self).first?.customerId == "c1")
        #expect(try fixture.allocatable("i1") == 0)
        let payment = try #require(try await fixture.database.payments(matching: .init(), page: .init()).items.first)
        #expect(payment.status == .allocated && payment.allocations.first?.decidedBy == "engine")
        #expect(payment.decisions.map(\.kind) == ["allocatedAutomatically"])
    }

    @Test("importing the same statement again adds no payment and publishes no allocation")
    func reimportIsIdempotent() async throws {
        let fixture = try await ledger()
        let file = F.camt053([
            F.entry("120.00", reference: "B1", structured: F.rf("20260001")),
            F.entry("10.00", reference: nil, text: "no idea", payer: "Someone", payerIBAN: nil),
            F.entry("10.00", reference: nil, text: "no idea", payer: "Someone", payerIBAN: nil),
        ])
        let first = try await fixture.importText(file)
        #expect(first.summary.paymentsCreated == 3, "two identical entries without reference are two payments")
        let second = try await fixture.importText(file)
        #expect(second.summary.paymentsCreated == 0 && second.summary.duplicatesSkipped == 3)
        #expect(try fixture.outboxEvents(PaymentAllocated.self).count == 1)
        #expect(try fixture.outboxEvents(PaymentReceived.self).count == 3)
        #expect(try fixture.outboxEvents(StatementImported.self).count == 2)
    }

    @Test("two partial payments of one invoice in one statement: the second sees what the first left")
    func partialPaymentsShareTheInvoice() async throws {
        let fixture = try await ledger()
        let result = try await fixture.importText(F.camt053([
            F.entry("70.00", reference: "B1", structured: F.rf("20260001")),
            F.entry("50.00", reference: "B2", structured: F.rf("20260001")),
        ]))
        let allocations = try fixture.outboxEvents(PaymentAllocated.self)
        #expect(allocations.map(\.amount.minorUnits) == [70_00, 50_00])
        #expect(result.summary.partlyMatched == 1 && result.summary.matched == 1)
        #expect(try fixture.allocatable("i1") == 0)
    }

    @Test("a payment nobody can explain is queued with payment.unmatched; a person allocates it; the payer is learned")
    func queueAndManualAllocation() async throws {
        let fixture = try await ledger()
        let result = try await fixture.importText(F.camt053([
            F.entry("175.50", reference: "B9", text: "virement", payer: "DPT AUTOMOBILES", payerIBAN: "DE89370400440532013000"),
        ]))
        #expect(result.summary.unmatched == 1)
        let unmatched = try #require(try fixture.outboxEvents(PaymentUnmatched.self).first)
        #expect(unmatched.customerId == nil && unmatched.payerIBAN == "DE89370400440532013000")
        let queued = try await fixture.database.payments(matching: .queue, page: .init()).items
        let payment = try #require(queued.first)
        #expect(queued.count == 1 && payment.remainingAmount.minorUnits == 175_50)

        let decided = try await fixture.database.allocate(paymentId: payment.id, ManualAllocation(lines: [
            .init(invoiceId: "i2", amount: Money(minorUnits: 100_00, currency: .eur)),
            .init(invoiceId: "i3", amount: Money(minorUnits: 75_50, currency: .eur)),
        ], decidedBy: "claire@finance", note: "called the customer"))
        #expect(decided.status == .allocated && decided.remainingAmount.isZero)
        #expect(decided.allocations.map(\.decidedBy) == ["claire@finance", "claire@finance"])
        #expect(decided.decisions.last?.kind == "allocated" && decided.decisions.last?.actor == "claire@finance")
        #expect(try fixture.outboxEvents(PaymentAllocated.self).map(\.invoiceId) == ["i2", "i3"])
        #expect(try await fixture.database.payments(matching: .queue, page: .init()).items.isEmpty)

        // The same account pays the next invoice of that customer without any reference.
        try await fixture.issue("i4", number: "FA-2026-0004", customerId: "c2", cents: 42_00, reference: F.rf("20260004"))
        let next = try await fixture.importText(F.camt053([
            F.entry("42.00", reference: "B10", text: "virement", payer: "DPT AUTOMOBILES", payerIBAN: "DE89370400440532013000"),
        ]))
        #expect(next.summary.matched == 1, "the IBAN confirmed by a person identifies the payer")
        #expect(try fixture.outboxEvents(PaymentAllocated.self).last?.invoiceId == "i4")
    }

    @Test("manual allocations are checked: state, currency, amounts, references")
    func manualAllocationRefusals() async throws {
        let fixture = try await ledger()
        try await fixture.issue("usd", number: "US-1", customerId: "c2", cents: 50_00, currency: try Currency(code: "USD"), reference: F.rf("US1"))
        _ = try await fixture.importText(F.camt053([F.entry("60.00", reference: "B9", text: "?", payer: "X", payerIBAN: nil)]))
        let payment = try #require(try await fixture.database.payments(matching: .queue, page: .init()).items.first)
        func code(_ request: ManualAllocation) async -> PaymentMatchingError.Code? {
            do {
                _ = try await fixture.database.allocate(paymentId: payment.id, request)
                return nil
            } catch let error as PaymentMatchingError {
                return error.code
            } catch {
                return nil
            }
        }
        let eur = { (cents: Int64) in Money(minorUnits: cents, currency: .eur) }
        #expect(await code(.init(lines: [.init(invoiceId: "i1", amount: eur(70_00))], decidedBy: "me")) == .amountExceeded)
        #expect(await code(.init(lines: [.init(invoiceId: "i2", amount: eur(100_00))], decidedBy: "me")) == .amountExceeded)
        #expect(await code(.init(lines: [.init(invoiceId: "usd", amount: eur(10_00))], decidedBy: "me")) == .currencyMismatch)
        #expect(await code(.init(lines: [.init(invoiceId: "nope", amount: eur(10_00))], decidedBy: "me")) == .notFound)
        #expect(await code(.init(lines: [.init(invoiceId: "i1", amount: eur(10_00))], decidedBy: "  ")) == .invalidField)
        #expect(await code(.init(lines: [], decidedBy: "me")) == .invalidField)
        #expect(await code(.init(lines: [], onAccount: .init(customerId: "ghost", amount: eur(10_00)), decidedBy: "me")) == .notFound)
        // Part of it now, the rest later: partly allocated stays queued.
        #expect(await code(.init(lines: [.init(invoiceId: "i1", amount: eur(40_00))], decidedBy: "me")) == nil)
        let partly = try #require(try await fixture.database.payment(id: payment.id))
        #expect(partly.status == .partlyAllocated && partly.remainingAmount == eur(20_00))
        #expect(await code(.init(lines: [], onAccount: .init(customerId: "c1", amount: eur(20_00)), decidedBy: "me")) == nil)
        #expect(try await fixture.database.payment(id: payment.id)?.status == .allocated)
        #expect(await code(.init(lines: [.init(invoiceId: "i1", amount: eur(1))], decidedBy: "me")) == .invalidState)
        #expect(try fixture.outboxEvents(PaymentReceivedOnAccount.self).map(\.customerId) == ["c1"])
    }

    @Test("undo publishes payment.reversed per allocation and puts the payment back in the queue")
    func undoReverses() async throws {
        let fixture = try await ledger()
        _ = try await fixture.importText(F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001"))]))
        let payment = try #require(try await fixture.database.payments(matching: .init(), page: .init()).items.first)
        let undone = try await fixture.database.undo(paymentId: payment.id, allocationIds: nil, decidedBy: "paul", reason: "wrong customer")
        #expect(undone.status == .unmatched && undone.remainingAmount.minorUnits == 120_00)
        #expect(undone.allocations.first?.undoneBy == "paul")
        let reversed = try #require(try fixture.outboxEvents(PaymentReversed.self).first)
        #expect(reversed.amount.minorUnits == 120_00 && reversed.invoiceId == "i1" && reversed.reason == "wrong customer")
        #expect(try fixture.allocatable("i1") == 120_00)
        let marked = try await fixture.database.markNotCustomer(paymentId: payment.id, decidedBy: "paul", reason: "refund from a supplier")
        #expect(marked.status == .notCustomer)
        let back = try await fixture.database.undo(paymentId: payment.id, allocationIds: nil, decidedBy: "paul", reason: nil)
        #expect(back.status == .unmatched)
        await #expect(throws: PaymentMatchingError.self) {
            _ = try await fixture.database.undo(paymentId: payment.id, allocationIds: nil, decidedBy: "paul", reason: nil)
        }
    }

    @Test("a bank reversal undoes the payment it reverses, once")
    func bankReversal() async throws {
        let fixture = try await ledger()
        _ = try await fixture.importText(F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001"), endToEnd: "E2E-42")]))
        let reversalFile = F.camt053([F.entry("120.00", "DBIT", reference: "R1", endToEnd: "E2E-42", reversal: true)])
        let result = try await fixture.importText(reversalFile)
        #expect(result.summary.reversals == 1 && result.summary.paymentsCreated == 0)
        let reversed = try #require(try fixture.outboxEvents(PaymentReversed.self).first)
        #expect(reversed.invoiceId == "i1" && reversed.amount.minorUnits == 120_00)
        #expect(try await fixture.database.payments(matching: .init(), page: .init()).items.first?.status == .reversed)
        let again = try await fixture.importText(reversalFile)
        #expect(again.summary.reversals == 0 && again.summary.duplicatesSkipped == 1)
        #expect(try fixture.outboxEvents(PaymentReversed.self).count == 1)
        let unknown = try await fixture.importText(F.camt053([F.entry("33.00", "DBIT", reference: "R2", endToEnd: "NOPE", reversal: true)]))
        #expect(unknown.warnings.map(\.code) == ["unknownReversal"])
    }

    @Test("a file broken at its second entry imports nothing and says where")
    func brokenFileImportsNothing() async throws {
        let fixture = try await ledger()
        let broken = F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001")), F.entry("12.345", reference: "B2")])
        await #expect {
            _ = try await fixture.importText(broken)
        } throws: { error in
            guard let error = error as? PaymentMatchingError else { return false }
            return error.code == .unreadableStatement && (error.field ?? "").contains("Ntry")
        }
        #expect(try fixture.outboxTypes().isEmpty)
        #expect(try await fixture.database.payments(matching: .init(), page: .init()).items.isEmpty)
        #expect(try await fixture.database.imports(page: .init()).items.isEmpty)
    }

    @Test("balances that do not reconcile are flagged, the statement is imported")
    func balanceMismatchFlagged() async throws {
        let fixture = try await ledger()
        let result = try await fixture.importText(F.camt053([F.entry("120.00", reference: "B1")], opening: "1000.00", closing: "1100.00"))
        #expect(result.statements.first?.balanceMismatch == true && result.warnings.map(\.code) == ["balanceMismatch"])
        #expect(result.summary.paymentsCreated == 1)
        let good = try await fixture.importText(F.camt053([F.entry("20.00", reference: "B2")], opening: "1000.00", closing: "1020.00"))
        #expect(good.statements.first?.balanceMismatch == false && good.warnings.isEmpty)
    }

    @Test("an allocation invoicing has not reflected yet still counts; its acknowledgement does not count it twice")
    func pendingAllocationsCount() async throws {
        let fixture = try await ledger()
        _ = try await fixture.importText(F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001"))]))
        let paymentId = try #require(try fixture.outboxEvents(PaymentAllocated.self).first?.paymentId)
        // A credit note invoicing applied before it saw the allocation: balance 120 → 100.
        try await fixture.balance("i1", customerId: "c1", number: "FA-2026-0001", from: 120_00, to: 100_00, cause: "creditNote", paymentId: nil)
        #expect(try fixture.allocatable("i1") == 0)
        // Invoicing applies the allocation (100 applied, 20 as credit): balance 0, acknowledged.
        try await fixture.balance("i1", customerId: "c1", number: "FA-2026-0001", from: 100_00, to: 0, cause: "allocation", paymentId: paymentId)
        #expect(try fixture.allocatable("i1") == 0)
        // A later re-opening (a reversal elsewhere) is allocatable again, not hidden by the old allocation.
        try await fixture.balance("i1", customerId: "c1", number: "FA-2026-0001", from: 0, to: 30_00, cause: "reversal", paymentId: "other")
        #expect(try fixture.allocatable("i1") == 30_00)
    }

    @Test("an allocation that became credit whole is acknowledged by its customer.credit-changed")
    func allCreditedAllocationIsAcknowledged() async throws {
        let fixture = try await ledger()
        _ = try await fixture.importText(F.camt053([F.entry("120.00", reference: "B1", structured: F.rf("20260001"))]))
        let paymentId = try #require(try fixture.outboxEvents(PaymentAllocated.self).first?.paymentId)
        // Invoicing had closed the invoice meanwhile (a credit note), so all 120.00 became credit.
        try await fixture.balance("i1", customerId: "c1", number: "FA-2026-0001", from: 120_00, to: 0, cause: "creditNote", paymentId: nil)
        let credited = CustomerCreditChanged(
            customerId: "c1", currency: .eur, creditItemId: "ci-1", change: Money(minorUnits: 120_00, currency: .eur),
            itemOpenAmount: Money(minorUnits: 120_00, currency: .eur), openCredit: Money(minorUnits: 120_00, currency: .eur),
            cause: .overpayment, paymentId: paymentId)
        #expect(try await fixture.database.applyLedgerEvent(Envelope(credited, source: "/relance/invoicing", time: Date())) == .applied)
        // The invoice re-opens (the credit note was cancelled): all of it can be allocated again.
        try await fixture.balance("i1", customerId: "c1", number: "FA-2026-0001", from: 0, to: 120_00, cause: "reversal", paymentId: nil)
        #expect(try fixture.allocatable("i1") == 120_00)
        // A credit change of another amount, cause or payment acknowledges nothing.
        let other = CustomerCreditChanged(
            customerId: "c1", currency: .eur, creditItemId: "ci-2", change: Money(minorUnits: 5_00, currency: .eur),
            itemOpenAmount: Money(minorUnits: 5_00, currency: .eur), openCredit: Money(minorUnits: 125_00, currency: .eur),
            cause: .creditNote)
        #expect(try await fixture.database.applyLedgerEvent(Envelope(other, source: "/relance/invoicing", time: Date())) == .ignored)
    }

    @Test("ledger events are applied once; unknown types are ignored")
    func projectionIsIdempotent() async throws {
        let fixture = try F()
        #expect(try await fixture.issue("i1", number: "N1", customerId: "c1", cents: 10_00, eventId: "e1") == .applied)
        #expect(try await fixture.issue("i1", number: "N1", customerId: "c1", cents: 10_00, eventId: "e1") == .duplicate)
        let other = try Envelope(
            InvoicePaid(customerId: "c1", invoiceId: "i1", number: "N1", totalAmount: Money(minorUnits: 10_00, currency: .eur),
                        paidOn: try CalendarDate(iso8601: "2026-06-01")),
            source: "/relance/invoicing", time: Date())
        #expect(try await fixture.database.applyLedgerEvent(other) == .ignored)
    }

    @Test("a batch booking with its transactions becomes one payment per transaction")
    func batchIsSplit() async throws {
        let fixture = try await ledger()
        let batch = """
            <Ntry><Amt Ccy="EUR">220.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
            <BookgDt><Dt>2026-06-01</Dt></BookgDt><ValDt><Dt>2026-06-01</Dt></ValDt><AcctSvcrRef>BATCH-1</AcctSvcrRef>
            <NtryDtls>
              <TxDtls><Refs><EndToEndId>T1</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">120.00</Amt></TxAmt></AmtDtls>
                <RmtInf><Strd><CdtrRefInf><Ref>\(F.rf("20260001"))</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>
              <TxDtls><Refs><EndToEndId>T2</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="EUR">100.00</Amt></TxAmt></AmtDtls>
                <RmtInf><Strd><CdtrRefInf><Ref>\(F.rf("20260002"))</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>
            </NtryDtls></Ntry>
            """
        let result = try await fixture.importText(F.camt053([batch]))
        #expect(result.summary.entriesRead == 1 && result.summary.paymentsCreated == 2 && result.summary.matched == 2)
        #expect(try fixture.outboxEvents(PaymentAllocated.self).map(\.invoiceId) == ["i1", "i2"])
        #expect(try await fixture.importText(F.camt053([batch])).summary.duplicatesSkipped == 2)
    }

    @Test("never across currencies: a EUR payment naming a USD invoice stays unmatched")
    func currencyNeverCrossed() async throws {
        let fixture = try await ledger()
        try await fixture.issue("usd", number: "US-2026-9", customerId: "c1", cents: 120_00, currency: try Currency(code: "USD"), reference: F.rf("US20269"))
        let result = try await fixture.importText(F.camt053([
            F.entry("120.00", reference: "B1", structured: F.rf("US20269"), payer: nil, payerIBAN: nil),
        ]))
        #expect(result.summary.unmatched == 1 && result.summary.matched == 0)
        #expect(try fixture.outboxEvents(PaymentAllocated.self).isEmpty)
        let notes = try #require(try fixture.outboxEvents(PaymentUnmatched.self).first).notes
        #expect(notes.contains { $0.contains("USD") }, "the note says why the reference was not used: \(notes)")
    }
}
