/// Bounded subset sum: combinations of 2...`maxSize` amounts whose sum falls in `low...high`.
///
/// Depth-first over the amounts in the order given (the caller gives them oldest first), so
/// combinations come out in lexicographic order of their positions: the combination with the
/// oldest invoices first. Amounts must be positive, so a branch stops as soon as its sum passes
/// `high`. The search stops after `maxSteps` visited nodes or `maxResults` combinations,
/// whichever comes first: bounded work, and the same result for the same input.
struct CombinationSearch: Sendable {
    let amounts: [Int64]
    let low: Int64
    let high: Int64
    let maxSize: Int
    let maxResults: Int
    let maxSteps: Int

    /// The combinations found (positions in `amounts`, ascending) and whether the step budget
    /// ran out before the search was complete.
    func run() -> (combinations: [[Int]], exhausted: Bool) {
        var results: [[Int]] = []
        var steps = 0
        var exhausted = false
        var chosen: [Int] = []
        func visit(from start: Int, sum: Int64) {
            guard start < amounts.count, chosen.count < maxSize else { return }
            for position in start..<amounts.count {
                if results.count >= maxResults || exhausted { return }
                steps += 1
                if steps > maxSteps {
                    exhausted = true
                    return
                }
                let (next, overflow) = sum.addingReportingOverflow(amounts[position])
                if overflow || next > high { continue }
                chosen.append(position)
                if chosen.count >= 2 && next >= low {
                    results.append(chosen)
                } else {
                    visit(from: position + 1, sum: next)
                }
                chosen.removeLast()
            }
        }
        if maxSize >= 2 && low <= high { visit(from: 0, sum: 0) }
        return (results, exhausted)
    }
}
