import Events
import Foundation
import Money
import Testing
@testable import PaymentMatching

/// ``MatchingEngine/matchInOrder(_:in:parallelism:batchSize:)`` decides in parallel and must
/// give exactly what the one-after-the-other loop gives, on statements where payments of one
/// batch compete for the same invoices.
@Suite struct MatchInOrderTests {
    struct Statement {
        var invoices: [OpenInvoice]
        var payers: [PayerProfile]
        var payments: [Payment]
    }

    /// A small ledger where payments of one statement collide: invoices paid twice, in parts,
    /// by reference and by amount alone, subscription amounts shared by several invoices of
    /// one payer, combinations, typos next to other open numbers.
    static func statement(seed: UInt64) -> Statement {
        var random = MatchingRandom(seed: seed)
        let names = ["Acme", "Globex", "Initech", "Umbrella", "Dupont", "Martin", "Nordic", "Atlas", "Orion", "Vega"]
        let payers = (0..<40).map { index in
            PayerProfile(customerId: "C\(index)", customerNumber: "CUST-\(1_000 + index)",
                         legalName: "\(names[index % 10]) \(names[(index / 10) % 10]) \(index) SARL",
                         ibans: [String(format: "FR76300060000%014d", index)])
        }
        var invoices: [OpenInvoice] = []
        for index in 0..<400 {
            let customer = Int.random(in: 0..<40, using: &random)
            // A quarter of the customers bill one subscription amount: amount-only payments tie.
            let amount: Int64 = customer % 4 == 0 ? 99_00 : Int64.random(in: 10_00...900_00, using: &random)
            let number = String(format: "FA-2025-%06d", 100_000 + index)
            invoices.append(OpenInvoice(
                id: "I\(index)", number: number,
                paymentReference: index % 2 == 0 ? MatchingFixture.rf(number.filter { $0 != "-" }) : nil,
                customerId: "C\(customer)", openAmount: Money(minorUnits: amount, currency: customer % 9 == 0 ? .usd : .eur),
                issueDate: MatchingFixture.day("2025-01-01").adding(days: Int.random(in: 0...60, using: &random)),
                dueDate: MatchingFixture.day("2025-02-01").adding(days: Int.random(in: 0...60, using: &random))))
        }
        var payments: [Payment] = []
        for index in 0..<600 {
            // Most payments aim at the first 120 invoices, so they meet in every batch.
            let invoice = invoices[Int.random(in: 0..<(index % 3 == 0 ? 400 : 120), using: &random)]
            let payer = payers[Int(invoice.customerId.dropFirst()) ?? 0]
            let open = invoice.openAmount.minorUnits
            var amount = open
            var structured: [String] = []
            var text: String?
            var name: String?
            var iban: String?
            switch Int.random(in: 0..<8, using: &random) {
            case 0: structured = [invoice.paymentReference ?? invoice.number]
            case 1: text = "Facture \(invoice.number) merci"; amount = open / 2
            case 2: text = "Rechnung " + String(invoice.number.dropLast()) + "7"; iban = payer.ibans.first
            case 3: iban = payer.ibans.first
            case 4: name = payer.legalName.uppercased()
            case 5:
                // Two invoices of the payer together, by IBAN only.
                let other = invoices.first { $0.customerId == invoice.customerId && $0.id != invoice.id && $0.currency == invoice.currency }
                amount = open + (other?.openAmount.minorUnits ?? 0)
                iban = payer.ibans.first
            case 6: text = "\(invoice.number)"; amount = open - Int64.random(in: 0...5_00, using: &random)
            default: structured = [invoice.paymentReference ?? invoice.number]; amount = open + 10_00
            }
            payments.append(Payment(id: "P\(index)", amount: Money(minorUnits: max(1, amount), currency: invoice.currency),
                                    valueDate: MatchingFixture.day("2025-04-10"),
                                    remittance: Remittance(structured: structured, unstructured: text),
                                    counterparty: name == nil && iban == nil ? nil : Counterparty(name: name, iban: iban)))
        }
        return Statement(invoices: invoices, payers: payers, payments: payments)
    }

    static let policy = MatchingPolicy(shortPaymentTolerance: [.eur: 5_00])

    /// The reference: one payment after the other, each allocation recorded before the next.
    static func sequential(_ statement: Statement) -> (decisions: [MatchDecision], index: OpenItemIndex) {
        let engine = MatchingEngine(policy: policy)
        var index = OpenItemIndex(invoices: statement.invoices, payers: statement.payers, policy: policy)
        var decisions: [MatchDecision] = []
        for payment in statement.payments {
            let decision = engine.match(payment, in: index)
            if let candidate = decision.allocated { index.apply(candidate) }
            decisions.append(decision)
        }
        return (decisions, index)
    }

    @Test(arguments: [(2, 1), (2, 7), (2, 64), (4, 600), (3, 10_000)])
    func parallelDecisionsAreTheSequentialOnes(parallelism: Int, batchSize: Int) async {
        for seed: UInt64 in [1, 2, 3] {
            let statement = MatchInOrderTests.statement(seed: seed)
            let expected = MatchInOrderTests.sequential(statement)
            var index = OpenItemIndex(invoices: statement.invoices, payers: statement.payers, policy: MatchInOrderTests.policy)
            var decisions: [MatchDecision] = []
            let decidedAgain = await MatchingEngine(policy: MatchInOrderTests.policy)
                .matchInOrder(statement.payments, in: &index, parallelism: parallelism, batchSize: batchSize) { position, decision in
                    #expect(position == decisions.count)
                    decisions.append(decision)
                }
            #expect(decisions.count == expected.decisions.count)
            // Batches of many payments meet earlier payments' allocations: some are decided again.
            #expect(batchSize < 64 || decidedAgain > 0, "seed \(seed)")
            for (position, (got, want)) in zip(decisions, expected.decisions).enumerated() where got != want {
                Issue.record("seed \(seed), parallelism \(parallelism), batches of \(batchSize): payment \(position) decided \(got), sequentially \(want)")
            }
            for invoice in statement.invoices {
                #expect(index.openInvoice(id: invoice.id) == expected.index.openInvoice(id: invoice.id), "seed \(seed): invoice \(invoice.id)")
            }
        }
    }

    /// The next batch is decided against a copy of the index taken before the in-order pass
    /// records the current batch's allocations: the copy must keep the open amounts it had,
    /// and the original must see its own changes.
    @Test func aCopyOfTheIndexKeepsItsOpenAmountsWhileTheOriginalChanges() {
        var index = OpenItemIndex(invoices: [
            MatchingFixture.invoice("I1", number: "FA-2025-0001", open: 100_00),
            MatchingFixture.invoice("I2", number: "FA-2025-0002", open: 50_00),
        ], payers: [MatchingFixture.acme])
        let snapshot = index
        index.reduceOpenAmount(ofInvoice: "I1", by: MatchingFixture.eur(100_00))
        index.reduceOpenAmount(ofInvoice: "I2", by: MatchingFixture.eur(20_00))
        let first = index.position(ofInvoice: "I1") ?? -1
        #expect(!index.isOpen(first) && snapshot.isOpen(first))
        #expect(index.openInvoice(id: "I1")?.openAmount.isZero == true)
        #expect(snapshot.openInvoice(id: "I1")?.openAmount == MatchingFixture.eur(100_00))
        #expect(index.openInvoice(id: "I2")?.openAmount == MatchingFixture.eur(30_00))
        #expect(snapshot.openInvoice(id: "I2")?.openAmount == MatchingFixture.eur(50_00))
    }

    /// Another payment's allocation matters to a decision only when it touches what the
    /// decision read: an invoice it looked at, or another invoice of its payer now open for no
    /// more than the payment (and tolerance) in its currency.
    @Test func onlyChangesToWhatWasReadAffectADecision() {
        let consulted = ConsultedItems(invoices: [3, 8], customers: [.init(id: "C1", currency: .eur, amountLimit: 50_00)])
        func affected(_ position: Int, _ customer: String, _ open: Money) -> Bool {
            var changes = ConsultedItems.Changes()
            changes.record(position: position, customer: customer, open: open)
            return consulted.isAffected(by: changes)
        }
        #expect(affected(8, "C9", MatchingFixture.eur(0)))
        #expect(affected(5, "C1", MatchingFixture.eur(50_00)))
        #expect(affected(5, "C1", MatchingFixture.eur(1)))
        #expect(!affected(5, "C1", MatchingFixture.eur(50_01)))
        #expect(!affected(5, "C1", MatchingFixture.eur(0)))
        #expect(!affected(5, "C1", Money(minorUnits: 10_00, currency: .usd)))
        #expect(!affected(5, "C2", MatchingFixture.eur(10_00)))
        #expect(!consulted.isAffected(by: ConsultedItems.Changes()))
    }

    /// The statements above would catch a parallel run that did not decide again: against the
    /// index as it was before the statement, many of their decisions differ from the sequential ones.
    @Test func theStatementsMakePaymentsCompete() {
        for seed: UInt64 in [1, 2, 3] {
            let statement = MatchInOrderTests.statement(seed: seed)
            let expected = MatchInOrderTests.sequential(statement)
            let engine = MatchingEngine(policy: MatchInOrderTests.policy)
            let before = OpenItemIndex(invoices: statement.invoices, payers: statement.payers, policy: MatchInOrderTests.policy)
            let stale = statement.payments.map { engine.match($0, in: before) }
            let differing = zip(stale, expected.decisions).filter { $0 != $1 }.count
            #expect(differing >= 30, "seed \(seed): only \(differing) decisions depend on earlier payments")
            #expect(expected.decisions.filter { $0.allocated != nil }.count >= 200, "seed \(seed)")
        }
    }

    /// What a decision consulted names every invoice whose allocation by an earlier payment
    /// can change it: the invoice a reference names, and the invoices of a payer identified.
    @Test func aDecisionConsultsTheInvoicesItsEvidenceReads() {
        let reference = MatchingFixture.rf("FA20250042")
        let engine = MatchingEngine()
        let index = OpenItemIndex(invoices: [
            MatchingFixture.invoice("I42", number: "FA-2025-0042", customer: "C2", open: 100_00, reference: reference),
            MatchingFixture.invoice("I43", number: "FA-2025-0043", customer: "C1", open: 50_00),
        ], payers: [MatchingFixture.acme, MatchingFixture.globex])
        let (byReference, referenceReads) = engine.decideConsulting(MatchingFixture.payment(100_00, structured: [reference]), in: index)
        #expect(byReference.allocated != nil)
        #expect(referenceReads.invoices.contains(index.position(ofInvoice: "I42") ?? -1))
        let (byIBAN, ibanReads) = engine.decideConsulting(MatchingFixture.payment(50_00, iban: "FR76 3000 6000 0112 3456 7890 189"), in: index)
        #expect(byIBAN.allocated != nil)
        #expect(ibanReads.customers.contains { $0.id == "C1" && $0.currency == .eur && $0.amountLimit == 50_00 })
        #expect(ibanReads.invoices.contains(index.position(ofInvoice: "I43") ?? -1))
    }
}
