import Foundation
import GRDB
@testable import Invoicing
import Testing

/// The claim protocol under ``IdempotencyMiddleware``, which the in-process client cannot
/// race: one of two concurrent requests runs, a dead claim is taken over, server errors are
/// forgotten.
@Suite("HTTP: idempotency claims")
struct IdempotencyClaimTests {
    private func database(at clock: Clock) throws -> InvoicingDatabase {
        try InvoicingDatabase(try DatabaseQueue(), now: { clock.now })
    }

    /// A settable clock.
    final class Clock: @unchecked Sendable {
        // Only mutated between awaited calls of one test.
        var now = APIHarness.now
    }

    private let response = InvoicingDatabase.StoredResponse(requestHash: "h1", status: 201, contentType: "application/json", body: Data("{}".utf8))

    @Test("a second claim while the first runs is in progress; once completed it gets the stored response")
    func concurrentClaims() async throws {
        let database = try database(at: Clock())
        #expect(try await database.claimIdempotencyKey("k", scope: "POST /v1/invoices", requestHash: "h1", abandonedAfter: .seconds(60)) == .claimed)
        #expect(try await database.claimIdempotencyKey("k", scope: "POST /v1/invoices", requestHash: "h1", abandonedAfter: .seconds(60)) == .inProgress(requestHash: "h1"))
        try await database.completeIdempotencyKey("k", scope: "POST /v1/invoices", with: response)
        #expect(try await database.claimIdempotencyKey("k", scope: "POST /v1/invoices", requestHash: "h1", abandonedAfter: .seconds(60)) == .completed(response))
        #expect(try await database.claimIdempotencyKey("k", scope: "POST /v1/customers", requestHash: "h1", abandonedAfter: .seconds(60)) == .claimed)
    }

    @Test("a claim never completed is taken over once abandoned")
    func abandonedClaim() async throws {
        let clock = Clock()
        let database = try database(at: clock)
        #expect(try await database.claimIdempotencyKey("k", scope: "s", requestHash: "h1", abandonedAfter: .seconds(60)) == .claimed)
        clock.now = APIHarness.now.addingTimeInterval(30)
        #expect(try await database.claimIdempotencyKey("k", scope: "s", requestHash: "h1", abandonedAfter: .seconds(60)) == .inProgress(requestHash: "h1"))
        clock.now = APIHarness.now.addingTimeInterval(61)
        #expect(try await database.claimIdempotencyKey("k", scope: "s", requestHash: "h2", abandonedAfter: .seconds(60)) == .claimed)
    }

    @Test("a released claim lets the retry run again, and a completed one is never released")
    func release() async throws {
        let database = try database(at: Clock())
        _ = try await database.claimIdempotencyKey("k", scope: "s", requestHash: "h1", abandonedAfter: .seconds(60))
        try await database.releaseIdempotencyKey("k", scope: "s")
        #expect(try await database.claimIdempotencyKey("k", scope: "s", requestHash: "h1", abandonedAfter: .seconds(60)) == .claimed)
        try await database.completeIdempotencyKey("k", scope: "s", with: response)
        try await database.releaseIdempotencyKey("k", scope: "s")
        #expect(try await database.claimIdempotencyKey("k", scope: "s", requestHash: "h1", abandonedAfter: .seconds(60)) == .completed(response))
    }

    @Test("the request hash is stable FNV-1a 64")
    func hash() {
        #expect(FNV1a.hex(of: []) == "cbf29ce484222325")
        #expect(FNV1a.hex(of: [Array("a".utf8)]) == "af63dc4c8601ec8c")
        #expect(FNV1a.hex(of: [Array("foobar".utf8)]) == "85944171f73967e8")
        #expect(FNV1a.hex(of: [Array("foo".utf8), Array("bar".utf8)]) == FNV1a.hex(of: [Array("foobar".utf8)]))
    }
}
