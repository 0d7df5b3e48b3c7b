import Events
import Foundation
import GRDB
import Money
import Testing
@testable import ScenarioScheduler

@Suite("Batched apply")
struct BatchApplyTests {
    @Test("a batch applies like the same events one by one, and a redelivered event once")
    func batchAppliesLikeOneByOne() async throws {
        // Given the same events for two stores
        let single = try SchedulerFixture()
        let batched = try SchedulerFixture()
        let registered = try await single.register("c-1")
        let first = try await single.issue("inv-1", customerId: "c-1", due: "2026-06-15")
        let second = try await single.issue("inv-2", customerId: "c-1", due: "2026-06-20")
        // When the second store gets them in one batch, the first one twice
        let results = try await batched.database.apply([registered, first, second, first])
        // Then each is applied once and both stores plan the same
        #expect(results.map { try? $0.get() } == [.applied, .applied, .applied, .duplicate])
        #expect(try batched.nextAction("inv-1") == single.nextAction("inv-1"))
        #expect(try batched.nextAction("inv-2") == single.nextAction("inv-2"))
        #expect(try batched.nextAction("inv-1") != nil)
    }
}
