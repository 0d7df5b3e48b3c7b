import Events
import Foundation
import Money
import Testing
@testable import PaymentMatching

/// Invariants over generated ledgers and payments (fixed seeds): whatever the engine decides
/// or suggests never pays an invoice more than it has open, never crosses currencies, and the
/// money adds up; and the decision does not depend on the order the items come in.
@Suite struct MatchingPropertyTests {
    struct Case {
        var invoices: [OpenInvoice]
        var payers: [PayerProfile]
        var payment: Payment
        var policy: MatchingPolicy
    }

    static func generate(seed: UInt64) -> Case {
        var random = MatchingRandom(seed: seed)
        let currencies: [Currency] = [.eur, .usd, .jpy]
        let payerCount = Int.random(in: 1...4, using: &random)
        let names = ["Acme", "Dupont", "Globex", "Initech", "Dupond", "Umbrella"]
        let payers = (0..<payerCount).map { index in
            PayerProfile(customerId: "C\(index)", customerNumber: "CUST-\(1000 + index)",
                         legalName: "\(names[Int.random(in: 0..<names.count, using: &random)]) SARL",
                         ibans: ["FR76300060000112345678\(String(format: "%05d", index))"])
        }
        var invoices: [OpenInvoice] = []
        for index in 0..<Int.random(in: 0...14, using: &random) {
            let number = "FA-2025-\(String(format: "%04d", Int.random(in: 1...40, using: &random)))"
            let amount = Int64.random(in: 1...5, using: &random) * [1, 100, 10_000][Int.random(in: 0...2, using: &random)]
            invoices.append(OpenInvoice(
                id: "I\(index)", number: number, paymentReference: MatchingFixture.rf(number.filter { $0 != "-" } + "X\(index)"),
                customerId: "C\(Int.random(in: 0..<payerCount, using: &random))",
                openAmount: Money(minorUnits: amount, currency: currencies[Int.random(in: 0...2, using: &random)]),
                issueDate: MatchingFixture.day("2025-01-01").adding(days: Int.random(in: 0...60, using: &random)),
                dueDate: MatchingFixture.day("2025-02-01").adding(days: Int.random(in: 0...90, using: &random))))
        }
        var structured: [String] = []
        var text = ""
        let referenced = invoices.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random))
        for invoice in referenced {
            switch Int.random(in: 0...3, using: &random) {
            case 0: structured.append(invoice.paymentReference ?? "")
            case 1: text += " \(invoice.number)"
            case 2: text += " " + invoice.number.replacingOccurrences(of: "0", with: "O")
            default: text += " " + String(invoice.number.dropLast()) + "9"
            }
        }
        let targets = referenced.isEmpty ? Array(invoices.prefix(2)) : Array(referenced)
        var amount = targets.reduce(Int64(0)) { $0 + $1.openAmount.minorUnits }
        amount = max(1, amount + Int64.random(in: -150...150, using: &random))
        let currency = targets.first?.currency ?? currencies[Int.random(in: 0...2, using: &random)]
        let payer = payers[Int.random(in: 0..<payerCount, using: &random)]
        let payment = Payment(
            id: "P\(seed)", amount: Money(minorUnits: amount, currency: currency), valueDate: MatchingFixture.day("2025-04-01"),
            remittance: Remittance(structured: structured, unstructured: text.isEmpty ? nil : text),
            counterparty: Counterparty(name: Bool.random(using: &random) ? payer.legalName : nil,
                                       iban: Bool.random(using: &random) ? payer.ibans.first : nil))
        let policy = MatchingPolicy(shortPaymentTolerance: [.eur: Int64.random(in: 0...200, using: &random)],
                                    defaultShortPaymentTolerance: Int64.random(in: 0...100, using: &random),
                                    minimumTypoNumberLength: 8)
        return Case(invoices: invoices, payers: payers, payment: payment, policy: policy)
    }

    func check(_ candidate: MatchCandidate, _ testCase: Case, seed: UInt64) {
        let open = Dictionary(uniqueKeysWithValues: testCase.invoices.map { ($0.id, $0) })
        let payment = testCase.payment.amount
        let tolerance = testCase.policy.tolerance(for: payment.currency)
        #expect(Set(candidate.allocations.map(\.invoiceId)).count == candidate.allocations.count, "seed \(seed): an invoice twice")
        for allocation in candidate.allocations {
            guard let invoice = open[allocation.invoiceId] else {
                Issue.record("seed \(seed): allocation to unknown invoice \(allocation.invoiceId)")
                continue
            }
            #expect(invoice.currency == payment.currency, "seed \(seed): across currencies")
            #expect(allocation.amount.currency == payment.currency && allocation.writeOff.currency == payment.currency, "seed \(seed)")
            #expect(allocation.amount.isPositive, "seed \(seed): empty allocation")
            #expect(!allocation.writeOff.isNegative, "seed \(seed): negative write-off")
            #expect(allocation.amount.minorUnits + allocation.writeOff.minorUnits <= invoice.openAmount.minorUnits, "seed \(seed): more than open")
        }
        #expect(!candidate.credit.isNegative, "seed \(seed): negative credit")
        #expect(candidate.credit.currency == payment.currency, "seed \(seed)")
        #expect(candidate.writeOff.minorUnits <= tolerance, "seed \(seed): write-off beyond tolerance")
        #expect(candidate.credit.isZero || candidate.writeOff.isZero, "seed \(seed): both credit and write-off")
        let cash = candidate.allocations.reduce(Int64(0)) { $0 + $1.amount.minorUnits } + candidate.credit.minorUnits
        #expect(cash == payment.minorUnits, "seed \(seed): allocations + credit != payment")
        #expect((0...100).contains(candidate.score) && !candidate.evidence.isEmpty, "seed \(seed)")
    }

    @Test func allocationsNeverExceedOpenNeverCrossCurrenciesAndAddUpToThePayment() {
        var allocatedCount = 0, suggestedCount = 0
        for seed in UInt64(1)...600 {
            let testCase = Self.generate(seed: seed)
            let engine = MatchingEngine(policy: testCase.policy)
            let decision = engine.match(testCase.payment, openInvoices: testCase.invoices, payers: testCase.payers)
            if let allocated = decision.allocated {
                allocatedCount += 1
                check(allocated, testCase, seed: seed)
                #expect(allocated.score >= testCase.policy.autoAllocationThreshold, "seed \(seed)")
            }
            for suggestion in decision.suggestions {
                suggestedCount += 1
                check(suggestion, testCase, seed: seed)
            }
            let scores = decision.suggestions.map(\.score)
            #expect(scores == scores.sorted(by: >), "seed \(seed): suggestions not ranked")
        }
        // The generator must exercise both outcomes, or the test proves little.
        #expect(allocatedCount > 50)
        #expect(suggestedCount > 50)
    }

    @Test func theDecisionDoesNotDependOnTheOrderOfTheItems() {
        for seed in UInt64(1)...200 {
            let testCase = Self.generate(seed: seed)
            let engine = MatchingEngine(policy: testCase.policy)
            var random = MatchingRandom(seed: seed ^ 0xABCD)
            let first = engine.match(testCase.payment, openInvoices: testCase.invoices, payers: testCase.payers)
            let second = engine.match(testCase.payment, openInvoices: testCase.invoices.shuffled(using: &random),
                                      payers: testCase.payers.shuffled(using: &random))
            #expect(first == second, "seed \(seed)")
        }
    }
}
