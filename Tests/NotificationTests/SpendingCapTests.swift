import Events
import Foundation
import GRDB
import Logging
import Money
import ServiceKit
@testable import Notification
import Synchronization
import Testing

@Suite struct SpendingCapTests {
    static let paris = TimeZone(identifier: "Europe/Paris") ?? .current
    /// 2026-03-02 10:00 in Paris.
    static let morning = Date(timeIntervalSince1970: 1_772_442_000)

    /// The wall clock the dispatcher reads, set by the test.
    final class WallClock: Sendable {
        let date = Mutex(SpendingCapTests.morning)
        func set(_ date: Date) { self.date.withLock { $0 = date } }
    }

    struct Fixture {
        let dispatcher: NotificationDispatcher
        let ledger: NotificationLedger
        let queue: DatabaseQueue
        let letters: RecordingTransport
        let clock: WallClock
        let releaser: ParkedReleaser
    }

    /// Letters cost 150, SMS 8; the fleet may spend `cap` a day over `partitions` partitions.
    static func fixture(cap: Int64 = 300, partitions: Int = 1, queue: DatabaseQueue? = nil) throws -> Fixture {
        let queue = try queue ?? DatabaseQueue()
        let clock = WallClock()
        let now: @Sendable () -> Date = { clock.date.withLock { $0 } }
        let ledger = try NotificationLedger(queue, now: now)
        let letters = RecordingTransport()
        let eur = try Currency(code: "EUR")
        let cap = SpendingCap(costs: ["letter": Money(minorUnits: 150, currency: eur), "sms": Money(minorUnits: 8, currency: eur)],
                              daily: Money(minorUnits: cap, currency: eur), timeZone: paris, partitions: partitions)
        let dispatcher = NotificationDispatcher(
            ledger: ledger, templates: try NotificationDispatcherTests.templates.get(),
            transports: ["email": RecordingTransport(), "letter": letters], changelog: nil, spendingCap: cap, logger: Logger(label: "test"),
            now: now)
        return Fixture(dispatcher: dispatcher, ledger: ledger, queue: queue, letters: letters, clock: clock,
                       releaser: ParkedReleaser(dispatcher: dispatcher, logger: Logger(label: "test")))
    }

    static func letters(_ count: Int, prefix: String = "cus") -> [NotificationRequested] {
        (0..<count).map { NotificationDispatcherTests.command(customer: "\(prefix)-\($0)", channel: .letter) }
    }

    func sentEvents(_ queue: DatabaseQueue) throws -> Int {
        try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM relance_outbox WHERE type = ?", arguments: [NotificationSent.eventType]) ?? 0 }
    }

    @Test func aboveTheCapALetterIsParkedNeitherSentNorFailed() async throws {
        let given = try Self.fixture()
        let commands = Self.letters(3)
        let result = await given.dispatcher.handle(commands, partition: 0)
        #expect(result.outcomes == [.sent, .sent, .parked])
        #expect(result.failure == nil, "a parked command is done with: the consumer moves on")
        #expect(given.letters.count == 2)
        #expect(try sentEvents(given.queue) == 2)
        let parked = try #require(try await given.ledger.entry(commands[2].notificationId))
        #expect(parked.state == .parked)
        #expect(parked.command == commands[2], "kept, so it can be sent without the record")
        #expect(try await given.ledger.spent(partition: 0, on: "2026-03-02") == 300)
        #expect(await given.dispatcher.handle(commands, partition: 0).outcomes == [.duplicate, .duplicate, .parked],
                "a redelivery the same day leaves it parked")
        #expect(given.letters.count == 2)
    }

    @Test func emailsAreFreeAndNeverParked() async throws {
        let given = try Self.fixture(cap: 0)
        let emails = (0..<3).map { NotificationDispatcherTests.command(customer: "cus-\($0)") }
        #expect(await given.dispatcher.handle(emails, partition: 0).outcomes == [.sent, .sent, .sent])
    }

    @Test func theReleaserSendsParkedLettersTheNextDayInTheSpendingTimeZone() async throws {
        let given = try Self.fixture(cap: 150)
        let commands = Self.letters(2)
        #expect(await given.dispatcher.handle(commands, partition: 0).outcomes == [.sent, .parked])
        // 23:30 in Paris the same day (22:30 UTC): still that day.
        given.clock.set(Self.morning.addingTimeInterval(13.5 * 3600))
        #expect(try await given.releaser.releaseDue() == 0)
        #expect(try await given.ledger.entry(commands[1].notificationId)?.state == .parked)
        // 00:30 in Paris the next day.
        given.clock.set(Self.morning.addingTimeInterval(14.5 * 3600))
        #expect(try await given.releaser.releaseDue() == 1)
        let sent = try #require(try await given.ledger.entry(commands[1].notificationId))
        #expect(sent.state == .sent)
        #expect(sent.spentOn == "2026-03-03")
        #expect(sent.command == nil)
        #expect(given.letters.count == 2)
    }

    @Test func anOperatorReleaseSendsAParkedLetterAboveTheCapAndOnlyAParkedOne() async throws {
        let given = try Self.fixture(cap: 150)
        let commands = Self.letters(2)
        _ = await given.dispatcher.handle(commands, partition: 0)
        guard case .notParked = try await given.dispatcher.release(commands[0].notificationId) else {
            Issue.record("a sent notification cannot be released")
            return
        }
        guard case .unknown = try await given.dispatcher.release("no-such-id") else {
            Issue.record("an unknown id")
            return
        }
        guard case .released(let entry) = try await given.dispatcher.release(commands[1].notificationId) else {
            Issue.record("a parked notification is released")
            return
        }
        #expect(entry.releasedByOperator == true)
        #expect(try await given.releaser.releaseDue() == 1)
        #expect(try await given.ledger.entry(commands[1].notificationId)?.state == .sent)
        #expect(try await given.ledger.spent(partition: 0, on: "2026-03-02") == 300, "above the cap, counted all the same")
    }

    @Test func theReleaserLeavesThePartitionsThisInstanceDoesNotOwn() async throws {
        let given = try Self.fixture(cap: 150)
        let commands = Self.letters(2)
        _ = await given.dispatcher.handle(commands, partition: 0)
        given.clock.set(Self.morning.addingTimeInterval(86_400))
        let elsewhere = ParkedReleaser(dispatcher: given.dispatcher, owned: { [1] }, logger: Logger(label: "test"))
        #expect(try await elsewhere.releaseDue() == 0)
        #expect(try await given.ledger.entry(commands[1].notificationId)?.state == .parked)
        let owner = ParkedReleaser(dispatcher: given.dispatcher, owned: { [0] }, logger: Logger(label: "test"))
        #expect(try await owner.releaseDue() == 1)
    }

    @Test func eachPartitionMaySpendItsShareOfTheFleetCap() async throws {
        let given = try Self.fixture(cap: 300, partitions: 2)
        #expect(await given.dispatcher.handle(Self.letters(2, prefix: "a"), partition: 0).outcomes == [.sent, .parked])
        #expect(await given.dispatcher.handle(Self.letters(2, prefix: "b"), partition: 1).outcomes == [.sent, .parked])
    }

    @Test func aPartitionsSpendingFollowsItToItsNextOwnerThroughTheChangelogEntries() async throws {
        let first = try Self.fixture(cap: 300)
        _ = await first.dispatcher.handle(Self.letters(2, prefix: "a"), partition: 0)
        // The next owner restores the partition's entries (what the changelog carries).
        let next = try Self.fixture(cap: 300)
        try next.ledger.restore(partitions: [0], entries: try await first.ledger.entries(in: nil))
        #expect(await next.dispatcher.handle(Self.letters(2, prefix: "b"), partition: 0).outcomes == [.parked, .parked])
        #expect(next.letters.count == 0)
    }

    @Test func ledgerPagesGoByIdWithACursorToTheEnd() async throws {
        let given = try Self.fixture(cap: 10_000)
        _ = await given.dispatcher.handle(Self.letters(5), partition: 0)
        var seen: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try await given.ledger.page(in: .sent, page: PageRequest(cursor: cursor, limit: 2))
            seen += page.items.map(\.notificationId)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(seen == seen.sorted())
        #expect(Set(seen) == Set(Self.letters(5).map(\.notificationId)))
        #expect(try await given.ledger.page(in: .parked, page: PageRequest(limit: 2)).items.isEmpty)
    }
}
