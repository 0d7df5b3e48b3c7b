/// What ``PayerName/mayReach(_:with:)`` reads of the payers' names (the length and the
/// characters counted by class), packed flat in one table: the fuzzy look-up tries hundreds of
/// names a payment, and reading each from its own arrays (the payer's names, then the name's
/// scalars) was two cache misses a name, the most of its time.
struct NameSketches: Sendable {
    /// `names[starts[p]..<starts[p + 1]]` are payer `p`'s names, in the order of ``OpenItemIndex/payerNames``.
    private let starts: [Int32]
    /// Scalars of each name's normalised form; -1 when a class count did not fit a byte (then
    /// the name is compared through ``PayerName/mayReach(_:with:)``).
    private let lengths: [Int32]
    /// ``PayerName/classCount`` counts a name, ``PayerName/characterClass(_:)`` by class.
    private let counts: [UInt8]

    init(_ payerNames: [[PayerName]]) {
        var starts: [Int32] = [0], lengths: [Int32] = [], counts: [UInt8] = []
        let total = payerNames.reduce(0) { $0 + $1.count }
        starts.reserveCapacity(payerNames.count + 1)
        lengths.reserveCapacity(total)
        counts.reserveCapacity(total * PayerName.classCount)
        for names in payerNames {
            for name in names {
                let classes = PayerName.classCounts(name.normalisedScalars)
                let fits = name.normalisedScalars.count < Int(Int32.max) && classes.allSatisfy { $0 <= Int(UInt8.max) }
                lengths.append(fits ? Int32(name.normalisedScalars.count) : -1)
                counts += classes.map { UInt8(clamping: $0) }
            }
            starts.append(Int32(truncatingIfNeeded: lengths.count))
        }
        self.starts = starts
        self.lengths = lengths
        self.counts = counts
    }

    /// A name looked for, counted once for all the names it is compared with.
    struct Query {
        let name: PayerName
        let length: Int
        let counts: [Int]

        init(_ name: PayerName) {
            self.name = name
            self.length = name.normalisedScalars.count
            self.counts = PayerName.classCounts(name.normalisedScalars)
        }
    }

    /// Calls `body` with the positions (in the payer's ``OpenItemIndex/payerNames``) of the
    /// names of `payer` that may reach `threshold` with `query`, in order: those
    /// ``PayerName/mayReach(_:with:)`` keeps (but a name equal to the query's when `threshold`
    /// is above 1, which no similarity reaches anyway). `checked` false: the name was not
    /// packed, the caller tests it with ``PayerName/mayReach(_:with:)``.
    func forEachName(of payer: Int, mayReaching threshold: Double, with query: Query, _ body: (_ position: Int, _ checked: Bool) -> Void) {
        let start = Int(starts[payer]), end = Int(starts[payer + 1])
        lengths.withUnsafeBufferPointer { lengths in
            counts.withUnsafeBufferPointer { counts in
                query.counts.withUnsafeBufferPointer { wanted in
                    for entry in start..<end {
                        let length = Int(lengths[entry])
                        // Not packed, a query too long for the bound's counters, or an empty one (equal
                        // to an empty name, which the lengths alone would skip): the name's own test.
                        guard length >= 0 && query.length > 0 && query.length < Int(UInt16.max) else {
                            body(entry - start, false)
                            continue
                        }
                        // Equal names pass the bound below too (same lengths, all characters common).
                        guard PayerName.lengthsMayReach(threshold, length, query.length) else { continue }
                        var common = 0
                        let base = entry * PayerName.classCount
                        for slot in 0..<PayerName.classCount { common += min(Int(counts[base + slot]), wanted[slot]) }
                        if PayerName.mayReach(threshold, lengths: (length, query.length), common: common) { body(entry - start, true) }
                    }
                }
            }
        }
    }
}
