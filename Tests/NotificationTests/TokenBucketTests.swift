import Events
import Foundation
import GRDB
import Logging
@testable import Notification
import Synchronization
import Testing

/// A clock moved by hand: `sleep` moves it forward at once and records the wait.
final class ManualRateClock: Sendable {
    let time = Mutex(Duration.zero)
    let sleeps = Mutex<[Duration]>([])

    var clock: RateClock {
        RateClock(now: { self.time.withLock { $0 } }, sleep: { wait in
            self.sleeps.withLock { $0.append(wait) }
            self.time.withLock { $0 += wait }
        })
    }

    func advance(_ duration: Duration) { time.withLock { $0 += duration } }
    var slept: Duration { sleeps.withLock { $0.reduce(.zero, +) } }
}

@Suite struct TokenBucketTests {
    @Test func aFullBucketServesItsCapacityAtOnceThenOneTokenPerInterval() {
        let manual = ManualRateClock()
        let bucket = TokenBucket(rate: 10, clock: manual.clock)
        #expect(bucket.capacity == 10)
        #expect(bucket.reserve(10) == .zero, "a full bucket: one second's worth at once")
        #expect(bucket.reserve(1) == .milliseconds(100))
        #expect(bucket.reserve(1) == .milliseconds(200), "reservations queue up")
        manual.advance(.seconds(1))
        // -2 + 10 tokens refilled: 8 saved, 1 taken.
        #expect(bucket.reserve(1) == .zero)
        manual.advance(.seconds(60))
        #expect(bucket.reserve(10) == .zero)
        #expect(bucket.reserve(1) == .milliseconds(100), "no more than the capacity saved up, however long idle")
    }

    @Test func aSlowRateWaitsWholeSecondsAndAReservationAboveTheCapacityWaitsForItsDeficit() {
        let manual = ManualRateClock()
        let bucket = TokenBucket(rate: 0.5, clock: manual.clock)
        #expect(bucket.capacity == 1)
        #expect(bucket.reserve(1) == .zero)
        #expect(bucket.reserve(3) == .seconds(6))
    }

    @Test func aRateLimitedChannelIsPacedAcrossARunAndAnotherChannelIsNot() async throws {
        let manual = ManualRateClock()
        let email = RecordingTransport()
        let letter = RecordingTransport()
        let ledger = try NotificationLedger(try DatabaseQueue())
        let dispatcher = NotificationDispatcher(
            ledger: ledger, templates: try NotificationDispatcherTests.templates.get(),
            transports: ["email": email, "letter": letter], changelog: nil,
            rateLimits: RateLimits(rates: ["email": 2], clock: manual.clock), logger: Logger(label: "test"))
        let commands = (0..<6).map { NotificationDispatcherTests.command(customer: "cus-\($0)") }
        let result = await dispatcher.handle(commands, partition: 0)
        #expect(result.outcomes == Array(repeating: .sent, count: 6))
        // Capacity 2 at once, then 4 more at 2 a second.
        #expect(manual.slept == .seconds(2))
        #expect(email.count == 6)

        let letters = (0..<6).map { NotificationDispatcherTests.command(customer: "cus-l\($0)", channel: .letter) }
        #expect(await dispatcher.handle(letters, partition: 0).outcomes == Array(repeating: .sent, count: 6))
        #expect(manual.slept == .seconds(2), "letters are not limited")
    }
}
