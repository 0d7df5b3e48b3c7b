import Money
import PaymentMatching

/// Counts of one noise kind (or all): what was allocated automatically, and whether rightly.
struct AccuracyCounts {
    var payments = 0
    /// Payments that pay invoices (all but unrelated credits).
    var shouldAllocate = 0
    /// Automatic allocations, of any payment.
    var automatic = 0
    /// Automatic allocations to exactly the right invoices with exactly the right cash, no credit.
    var correct = 0
    /// Automatic allocations of payments that should be allocated.
    var automaticOfShould = 0

    mutating func add(_ other: AccuracyCounts) {
        payments += other.payments
        shouldAllocate += other.shouldAllocate
        automatic += other.automatic
        correct += other.correct
        automaticOfShould += other.automaticOfShould
    }
}

/// Matches a labelled statement the way the service does (one index per import, each
/// allocation recorded in it before the next payment) and compares with the truth.
struct AccuracyBenchmark {
    let engine: MatchingEngine
    /// Examples of wrong automatic allocations, for `--show-errors`.
    var errors: [String] = []
    /// Examples of payments to allocate that were left to a person, per kind, for `--show-misses`.
    var misses: [NoiseKind: [String]] = [:]

    init(engine: MatchingEngine) { self.engine = engine }

    mutating func run(_ payments: [LabelledPayment], index: inout OpenItemIndex, keepErrors: Int, keepMisses: Int = 0) -> [NoiseKind: AccuracyCounts] {
        var counts: [NoiseKind: AccuracyCounts] = [:]
        for labelled in payments {
            var entry = counts[labelled.kind] ?? AccuracyCounts()
            entry.payments += 1
            let should = !labelled.truth.isEmpty
            if should { entry.shouldAllocate += 1 }
            let decision = engine.match(labelled.payment, in: index)
            if let allocated = decision.allocated {
                entry.automatic += 1
                if should { entry.automaticOfShould += 1 }
                let cash = Dictionary(allocated.allocations.map { ($0.invoiceId, $0.amount.minorUnits) }, uniquingKeysWith: +)
                if should && cash == labelled.truth && allocated.credit.isZero {
                    entry.correct += 1
                } else if errors.count < keepErrors {
                    errors.append("\(labelled.kind.rawValue) \(labelled.payment.id) \(labelled.payment.amount) "
                        + "text=\(labelled.payment.remittance.unstructured ?? "-") structured=\(labelled.payment.remittance.structured) "
                        + "payer=\(labelled.payment.counterparty?.name ?? "-")\n    truth \(labelled.truth)\n    got \(cash) credit \(allocated.credit) "
                        + "score \(allocated.score): \(allocated.explanation)")
                }
                index.apply(allocated)
            } else if should && (misses[labelled.kind]?.count ?? 0) < keepMisses {
                let best = decision.suggestions.first.map { "best \($0.score) \($0.allocations.map(\.invoiceId)): \($0.explanation)" } ?? "no suggestion"
                misses[labelled.kind, default: []].append(
                    "\(labelled.kind.rawValue) \(labelled.payment.id) \(labelled.payment.amount) text=\(labelled.payment.remittance.unstructured ?? "-") "
                    + "structured=\(labelled.payment.remittance.structured) payer=\(labelled.payment.counterparty?.name ?? "-") truth \(labelled.truth)\n"
                    + "      \(decision.suggestions.count) suggestions; \(best); notes \(decision.notes)")
            }
            counts[labelled.kind] = entry
        }
        return counts
    }
}
