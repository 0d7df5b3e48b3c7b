import Testing
@testable import PaymentMatching

@Suite struct CombinationSearchTests {
    @Test func findsTheCombinationOfThreeThatAddsUp() {
        let search = CombinationSearch(amounts: [1000, 2500, 4000, 700, 1300], low: 4800, high: 4800, maxSize: 4, maxResults: 5, maxSteps: 10_000)
        let (found, exhausted) = search.run()
        #expect(found == [[0, 1, 4]])
        #expect(!exhausted)
    }

    @Test func combinationsComeOldestFirst() {
        let search = CombinationSearch(amounts: [100, 200, 100, 200], low: 300, high: 300, maxSize: 2, maxResults: 5, maxSteps: 10_000)
        #expect(search.run().combinations == [[0, 1], [0, 3], [1, 2], [2, 3]])
    }

    @Test func combinationsLargerThanTheLimitAreNotTried() {
        let search = CombinationSearch(amounts: [100, 100, 100], low: 300, high: 300, maxSize: 2, maxResults: 5, maxSteps: 10_000)
        #expect(search.run().combinations.isEmpty)
    }

    @Test func theStepBudgetStopsTheSearchDeterministically() {
        let amounts = (0..<60).map { Int64(2 * ($0 + 1)) }
        let search = CombinationSearch(amounts: amounts, low: 100_001, high: 100_001, maxSize: 10, maxResults: 5, maxSteps: 5_000)
        let first = search.run(), second = search.run()
        #expect(first.exhausted)
        #expect(first.combinations.isEmpty)
        #expect(first.combinations == second.combinations)
    }
}
