import Money
import PaymentMatching

/// A digest of a run's decisions (FNV-1a over what each allocates or suggests), to show that
/// runs with other parallelism or batch sizes decided alike. Deterministic across processes,
/// unlike `Hasher`; cheap enough to run inside the timed loop.
struct DecisionDigest {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    private mutating func mix(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            state = (state ^ ((value >> UInt64(shift)) & 0xff)) &* 0x0000_0100_0000_01b3
        }
    }

    private mutating func mix(_ text: String) {
        for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        mix(UInt64(text.utf8.count))
    }

    private mutating func mix(_ candidate: MatchCandidate) {
        mix(UInt64(candidate.allocations.count))
        for allocation in candidate.allocations {
            mix(allocation.invoiceId)
            mix(UInt64(bitPattern: allocation.amount.minorUnits))
            mix(UInt64(bitPattern: allocation.writeOff.minorUnits))
        }
        mix(UInt64(bitPattern: candidate.credit.minorUnits))
        mix(UInt64(candidate.score))
    }

    mutating func add(_ decision: MatchDecision) {
        if let candidate = decision.allocated {
            mix(1)
            mix(candidate)
        } else {
            mix(2)
            mix(UInt64(decision.suggestions.count))
            for suggestion in decision.suggestions { mix(suggestion) }
        }
    }

    var hex: String { String(state, radix: 16) }
}
