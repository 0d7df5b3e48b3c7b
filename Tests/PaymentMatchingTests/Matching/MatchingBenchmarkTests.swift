import Events
import Foundation
import Money
import Testing
@testable import PaymentMatching

/// Matching speed with an index: 10,000 payments against 50,000 open invoices of 5,000 payers.
/// Only with `RELANCE_BENCH=1` (`RELANCE_BENCH=1 swift test --filter MatchingBenchmarkTests`);
/// build with `-c release` for figures worth quoting. Measured 2026-12-01 on the shared 2-core
/// machine: about 1,600-2,300 payments/s in a debug build (index built in 4.4 s); the same
/// sources compiled with `-O`: 8,500-18,000 payments/s (index 0.8-1.4 s), 8,999 of the
/// 10,000 allocated (the 1,000 unrelated credits are not).
@Suite struct MatchingBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RELANCE_BENCH"] == "1"))
    func tenThousandPaymentsAgainstFiftyThousandOpenInvoices() {
        var random = MatchingRandom(seed: 2025)
        let words = ["Acme", "Globex", "Initech", "Umbrella", "Dupont", "Martin", "Bernard", "Muller", "Schmidt", "Rossi",
                     "Nordic", "Atlas", "Orion", "Vega", "Delta", "Sigma", "Kappa", "Boreal", "Azur", "Alpine"]
        let forms = ["SARL", "SAS", "GmbH", "Ltd", "Inc", "BV", "SA"]
        let payers = (0..<5_000).map { index in
            PayerProfile(customerId: "C\(index)", customerNumber: "CUST-\(100_000 + index)",
                         legalName: "\(words[index % 20]) \(words[(index / 20) % 20]) \(index / 400) \(forms[index % 7])",
                         ibans: [String(format: "FR76300060000%014d", index)])
        }
        var invoices: [OpenInvoice] = []
        invoices.reserveCapacity(50_000)
        for index in 0..<50_000 {
            let number = String(format: "FA-2025-%06d", index)
            invoices.append(OpenInvoice(
                id: "I\(index)", number: number, paymentReference: MatchingFixture.rf(number.filter { $0 != "-" }),
                customerId: "C\(Int.random(in: 0..<5_000, using: &random))",
                openAmount: Money(minorUnits: Int64.random(in: 10_00...5_000_00, using: &random), currency: .eur),
                issueDate: MatchingFixture.day("2025-01-01").adding(days: Int.random(in: 0...90, using: &random)),
                dueDate: MatchingFixture.day("2025-02-01").adding(days: Int.random(in: 0...120, using: &random))))
        }
        let byId = Dictionary(uniqueKeysWithValues: invoices.map { ($0.id, $0) })
        let payerOf = Dictionary(uniqueKeysWithValues: payers.map { ($0.customerId, $0) })
        var payments: [Payment] = []
        for index in 0..<10_000 {
            let invoice = byId["I\(Int.random(in: 0..<50_000, using: &random))"] ?? invoices[0]
            let payer = payerOf[invoice.customerId] ?? payers[0]
            var structured: [String] = []
            var text: String?
            var name: String?
            var iban: String?
            switch index % 10 {
            case 0, 1, 2: structured = [invoice.paymentReference ?? ""]
            case 3, 4: text = "Facture \(invoice.number) merci"
            case 5: text = "Rechnung " + invoice.number.replacingOccurrences(of: "0", with: "O") + " vom 12.03.2025"
            case 6: text = "inv " + String(invoice.number.dropLast()) + "9 payment"; iban = payer.ibans.first
            case 7: iban = payer.ibans.first
            case 8: name = payer.legalName.uppercased()
            default: text = "Miete Maerz 2025 Wohnung 12"
            }
            payments.append(Payment(id: "P\(index)", amount: invoice.openAmount, valueDate: MatchingFixture.day("2025-06-01"),
                                    remittance: Remittance(structured: structured, unstructured: text),
                                    counterparty: Counterparty(name: name, iban: iban)))
        }
        let clock = ContinuousClock()
        let engine = MatchingEngine()
        let indexStart = clock.now
        let index = OpenItemIndex(invoices: invoices, payers: payers, policy: engine.policy)
        let indexTime = clock.now - indexStart
        var allocated = 0
        let start = clock.now
        for payment in payments where engine.match(payment, in: index).allocated != nil { allocated += 1 }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(payments.count) / seconds
        print("matching benchmark: index of \(index.invoiceCount) invoices / \(index.payerCount) payers built in \(indexTime); "
              + "\(payments.count) payments in \(elapsed): \(Int(rate)) payments/s, \(allocated) allocated")
        #expect(allocated > 7_000)
        #expect(rate > 1_000)
    }
}
