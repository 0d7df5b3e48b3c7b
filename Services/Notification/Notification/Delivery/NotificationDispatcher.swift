import Events
import Foundation
import Logging
import Messaging
import Metrics
import Money
import NotificationTemplates

/// Handles `notification.requested` commands: at most one send per notification id, on any
/// number of instances.
///
/// 1. The ledger says the id is done (sent, failed, unconfirmed): nothing (a redelivery or a
///    replay).
/// 2. The ledger says `sending`: a previous owner called the provider and stopped before
///    recording the outcome. It may have been delivered: the id becomes `unconfirmed`, for a
///    person to check; it is not sent again.
/// 3. Otherwise: rendered per recipient; `sending` (attempt n) is recorded in the ledger and
///    acknowledged on the changelog; then each recipient not yet delivered to is sent to;
///    then `sent` (with `notification.sent`) or, when every recipient failed permanently
///    (after the fallback channel, if any), `failed` (with `notification.failed`); a
///    transient failure goes back to `received` and is retried by the consumer's backoff,
///    at most `maxAttempts` attempts, then `failed`.
///
/// A partition's records of one poll are handled as runs of at most `maxRun` commands
/// (`delivery.run`) holding at most one command per customer (so a customer's reminders keep
/// their order): per run one ledger read, one
/// transaction and one changelog wait for all the `sending` entries, the deliveries
/// concurrently, then one transaction and one changelog wait for the outcomes. The
/// guarantees are the one-command ones: each `sending` is durable in the ledger and
/// acknowledged on the changelog before its provider call.
public struct NotificationDispatcher: Sendable {
    let ledger: NotificationLedger
    let templates: TemplateLibrary
    /// Transports by channel (`email`, `sms`, `letter`, `registeredLetter`).
    let transports: [String: any NotificationTransport]
    let changelog: ChangelogWriter?
    /// Checks, before each provider call, that no other instance took the partition over.
    let fence: LedgerFence?
    let maxAttempts: Int
    /// Most commands in one run: all of a run's sends are in flight together, so this bounds
    /// how many ids a crash can leave `unconfirmed` per partition.
    let maxRun: Int
    /// Per-channel send rates of this instance.
    let rateLimits: RateLimits
    /// The daily spending cap of paid channels; none when nil.
    let spendingCap: SpendingCap?
    let logger: Logger
    let now: @Sendable () -> Date
    /// The consumer and the parked releaser take turns on a partition.
    let locks = PartitionLocks()
    let metrics = DispatcherMetrics()

    public init(ledger: NotificationLedger, templates: TemplateLibrary, transports: [String: any NotificationTransport],
                changelog: ChangelogWriter?, fence: LedgerFence? = nil, maxAttempts: Int = 5, maxRun: Int = 16,
                rateLimits: RateLimits = .none, spendingCap: SpendingCap? = nil, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxRun = max(1, maxRun)
        self.rateLimits = rateLimits
        self.spendingCap = spendingCap
        self.ledger = ledger
        self.fence = fence
        self.templates = templates
        self.transports = transports
        self.changelog = changelog
        self.maxAttempts = maxAttempts
        self.logger = logger
        self.now = now
    }

    /// A transient failure: the consumer retries the record after a backoff.
    public struct RetryLater: Error, CustomStringConvertible {
        public var description: String
    }

    /// What handling a command did.
    public enum Outcome: String, Sendable {
        case sent, failed, duplicate, unconfirmed, retry
        /// Held back by the daily spending cap (neither sent nor failed).
        case parked
    }

    /// Handles a consumed record of `notification-requests`.
    /// - Throws: `InvalidRecord` (dead-lettered) for a record that is not a valid command,
    ///   ``RetryLater`` for a transient failure.
    @discardableResult
    public func handle(_ record: ConsumerRecord) async throws -> Outcome {
        let (outcomes, failure) = await handleRecords([record])
        if let outcome = outcomes.first { return outcome }
        throw failure ?? RetryLater(description: "the record was not handled")
    }

    /// Handles a run of one partition's records, in order (the consumer's batch handler).
    /// - Returns: how many leading records are done with, and the error of the next one:
    ///   `InvalidRecord` (dead-lettered) or ``RetryLater`` (backoff).
    public func handle(_ records: [ConsumerRecord]) async -> Consumer.BatchResult {
        let (outcomes, failure) = await handleRecords(records)
        return Consumer.BatchResult(processed: outcomes.count, failure: failure)
    }

    func handleRecords(_ records: [ConsumerRecord]) async -> (outcomes: [Outcome], failure: (any Error)?) {
        var commands: [NotificationRequested?] = []
        var invalid: (any Error)?
        for record in records {
            do {
                commands.append(try Self.command(from: record))
            } catch {
                invalid = error
                break
            }
        }
        let (outcomes, failure) = await handle(commands, partition: records.first?.partition ?? 0)
        return (outcomes, failure ?? invalid)
    }

    /// The command a record carries; nil for another event type (ignored).
    /// - Throws: `InvalidRecord` for a record that is not a valid command.
    static func command(from record: ConsumerRecord) throws -> NotificationRequested? {
        let envelope = try CloudEvents.envelope(from: record)
        guard envelope.type == NotificationRequested.eventType else { return nil }
        let command: NotificationRequested
        do {
            command = try envelope.decode(NotificationRequested.self)
        } catch {
            throw InvalidRecord("not a notification.requested command: \(error)")
        }
        guard command.notificationId == command.derivedNotificationId else {
            throw InvalidRecord("notification id \(command.notificationId) is not the one its customer, step and invoices give (\(command.derivedNotificationId))")
        }
        return command
    }

    /// Handles a command of a partition.
    /// - Throws: ``RetryLater`` for a transient failure; store errors.
    public func handle(_ command: NotificationRequested, partition: Int32) async throws -> Outcome {
        let (outcomes, failure) = await handle([command], partition: partition)
        if let outcome = outcomes.first { return outcome }
        throw failure ?? RetryLater(description: "the command was not handled")
    }

    /// Handles commands of one partition in order (nil: a record to skip), as runs of at most
    /// ``maxRun`` commands with at most one command per customer.
    /// - Returns: the outcomes of the leading commands done with, and the error of the next
    ///   one when not all are (``RetryLater`` or a store error).
    public func handle(_ commands: [NotificationRequested?], partition: Int32) async -> (outcomes: [Outcome], failure: (any Error)?) {
        await locks.withLock(partition) { await handleUnlocked(commands, partition: partition) }
    }

    private func handleUnlocked(_ commands: [NotificationRequested?], partition: Int32) async -> (outcomes: [Outcome], failure: (any Error)?) {
        var outcomes: [Outcome] = []
        var start = 0
        while start < commands.count {
            var customers: Set<String> = []
            var end = start
            while end < commands.count && end - start < maxRun {
                if let command = commands[end], !customers.insert(command.customerId).inserted { break }
                end += 1
            }
            do {
                let (done, failure) = try await handleRun(Array(commands[start..<end]), partition: partition)
                outcomes += done
                if let failure { return (outcomes, failure) }
            } catch {
                return (outcomes, error)
            }
            start = end
        }
        return (outcomes, nil)
    }

    /// One command's progress through a run.
    struct Work {
        var index: Int
        var command: NotificationRequested
        var channel: NotificationChannel
        var entry: LedgerEntry
        var result: AttemptResult?
    }

    /// A run: no two commands of one customer.
    func handleRun(_ commands: [NotificationRequested?], partition: Int32) async throws -> (outcomes: [Outcome], failure: RetryLater?) {
        let known = try await ledger.entries(commands.compactMap { $0?.notificationId })
        var outcomes = [Outcome?](repeating: nil, count: commands.count)
        var unconfirmed: [LedgerEntry] = []
        var work: [Work] = []
        for (index, command) in commands.enumerated() {
            guard let command else {
                outcomes[index] = .duplicate
                continue
            }
            if let existing = known[command.notificationId] {
                if existing.state.isFinal {
                    outcomes[index] = .duplicate
                    continue
                }
                if existing.state == .sending {
                    var entry = existing
                    entry.state = .unconfirmed
                    entry.lastError = "found 'sending' after attempt \(existing.attempts): the previous sender stopped between the provider call and recording its outcome; it may have been delivered. Not sent again: check with the provider, then resend by hand if it was not."
                    entry.updatedAt = now()
                    unconfirmed.append(entry)
                    outcomes[index] = .unconfirmed
                    metrics.increment("relance_notifications_total", channel: command.channel.rawValue, outcome: "unconfirmed")
                    logger.warning("notification unconfirmed: not sent again", metadata: [
                        "relance.notification.id": "\(command.notificationId)", "relance.channel": "\(command.channel.rawValue)",
                    ])
                    continue
                }
                // A parked command that had fallen back goes on on its fallback channel.
                let channel = existing.fallbackUsed.map { NotificationChannel(rawValue: $0) } ?? command.channel
                work.append(Work(index: index, command: command, channel: channel, entry: existing))
            } else {
                work.append(Work(index: index, command: command, channel: command.channel, entry: LedgerEntry(
                    notificationId: command.notificationId, customerId: command.customerId, partition: partition,
                    channel: command.channel.rawValue, state: .received, updatedAt: now())))
            }
        }
        if !unconfirmed.isEmpty {
            try await ledger.save(unconfirmed.map { (entry: $0, event: nil) })
            try? await changelog?.publish(unconfirmed)
        }
        guard !work.isEmpty else { return (outcomes.compactMap { $0 }, nil) }

        try await attempt(&work)
        let fallbacks = work.indices.filter { index in
            guard case .permanent = work[index].result else { return false }
            return work[index].command.fallbackChannel != nil && work[index].entry.delivered.isEmpty
        }
        if !fallbacks.isEmpty {
            var second = fallbacks.map { index in
                var item = work[index]
                if let fallback = item.command.fallbackChannel {
                    item.channel = fallback
                    item.entry.fallbackUsed = fallback.rawValue
                }
                item.result = nil
                logger.info("falling back to another channel", metadata: [
                    "relance.notification.id": "\(item.command.notificationId)", "relance.fallback": "\(item.channel.rawValue)",
                ])
                return item
            }
            try await attempt(&second)
            for (position, index) in fallbacks.enumerated() { work[index] = second[position] }
        }

        var changes: [(entry: LedgerEntry, event: (any DomainEvent)?)] = []
        var retries: [(index: Int, error: RetryLater)] = []
        for item in work {
            var entry = item.entry
            let command = item.command
            let channel = item.channel
            entry.updatedAt = now()
            switch item.result ?? .transient("not attempted") {
            case .delivered:
                entry.state = .sent
                entry.command = nil
                changes.append((entry, NotificationSent(notificationId: command.notificationId, customerId: command.customerId, channel: channel,
                                                        providerMessageId: entry.providerMessageIds.joined(separator: ","), sentAt: entry.updatedAt)))
                outcomes[item.index] = .sent
                metrics.increment("relance_notifications_total", channel: channel.rawValue, outcome: "sent")
            case .permanent(let reason, let detail):
                entry.state = .failed
                entry.command = nil
                entry.lastError = detail
                changes.append((entry, NotificationFailed(notificationId: command.notificationId, customerId: command.customerId,
                                                          channel: channel, reason: reason, detail: detail)))
                outcomes[item.index] = .failed
                metrics.increment("relance_notifications_total", channel: channel.rawValue, outcome: "failed")
                logger.warning("notification failed", metadata: [
                    "relance.notification.id": "\(command.notificationId)", "relance.channel": "\(channel.rawValue)", "relance.reason": "\(reason.rawValue)",
                ])
            case .transient(let detail):
                entry.lastError = detail
                if entry.attempts >= maxAttempts {
                    entry.state = .failed
                    changes.append((entry, NotificationFailed(
                        notificationId: command.notificationId, customerId: command.customerId, channel: channel, reason: .other,
                        detail: "gave up after \(entry.attempts) attempts: \(detail)")))
                    outcomes[item.index] = .failed
                    metrics.increment("relance_notifications_total", channel: channel.rawValue, outcome: "failed")
                } else {
                    entry.state = .received
                    changes.append((entry, nil))
                    retries.append((item.index, RetryLater(description: "attempt \(entry.attempts) of \(maxAttempts) failed: \(detail)")))
                    metrics.increment("relance_notifications_retried_total", channel: channel.rawValue)
                }
            case .fenced(let detail):
                // Already written back as 'received' by attempt(_:).
                retries.append((item.index, RetryLater(description: detail)))
            case .parked(let detail):
                outcomes[item.index] = .parked
                // Parked again by the releaser: nothing changed, nothing to write.
                if entry.state == .parked { continue }
                entry.state = .parked
                entry.command = command
                entry.lastError = detail
                changes.append((entry, nil))
                metrics.increment("relance_notifications_total", channel: channel.rawValue, outcome: "parked")
                logger.info("notification parked: daily spending cap reached", metadata: [
                    "relance.notification.id": "\(command.notificationId)", "relance.channel": "\(channel.rawValue)",
                ])
            }
        }
        let encoded = try await ledger.save(changes)
        await publishFinal(changes.map(\.entry), encoded: encoded)
        guard let first = retries.min(by: { $0.index < $1.index }) else { return (outcomes.compactMap { $0 }, nil) }
        // The records after the first retried one are handed again: those done are duplicates then.
        return (outcomes[..<first.index].compactMap { $0 }, first.error)
    }

    /// What `POST /v1/notifications/{id}/release` finds.
    public enum ReleaseResult: Sendable {
        /// Marked released (sent at the releaser's next pass, above the cap): the entry now.
        case released(LedgerEntry)
        /// Not parked (e.g. already sent): the entry as it is.
        case notParked(LedgerEntry)
        case unknown
    }

    /// An operator releases a parked notification: it will be sent even above the daily cap
    /// (recorded in the ledger and on the changelog, so a next owner of the partition knows).
    /// - Throws: store or broker errors.
    public func release(_ id: String) async throws -> ReleaseResult {
        guard let found = try await ledger.entry(id) else { return .unknown }
        return try await locks.withLock(found.partition) {
            guard var entry = try await ledger.entry(id) else { return .unknown }
            guard entry.state == .parked else { return .notParked(entry) }
            entry.releasedByOperator = true
            entry.updatedAt = now()
            try await ledger.save(entry)
            try await changelog?.publish(entry)
            logger.info("parked notification released by an operator", metadata: ["relance.notification.id": "\(id)"])
            return .released(entry)
        }
    }

    enum AttemptResult {
        case delivered
        case permanent(NotificationFailureReason, String)
        case transient(String)
        /// Another instance claimed the partition before this attempt's `sending`.
        case fenced(String)
        /// Above the partition's share of the daily spending cap: not sent.
        case parked(String)
    }

    /// One attempt of each command of a run on its channel: render, record `sending` for all,
    /// then deliver to each recipient left; sets each item's result (fenced items are written
    /// back as `received`).
    func attempt(_ work: inout [Work]) async throws {
        let today = CalendarDate(date: now(), in: TimeZone(identifier: "Europe/Paris") ?? .current)
        var messages: [Int: (any NotificationTransport, [OutgoingMessage])] = [:]
        for position in work.indices {
            let channel = work[position].channel
            guard let transport = transports[channel.rawValue] else {
                work[position].result = .permanent(.rejected, "no transport for channel \(channel.rawValue)")
                continue
            }
            var request = work[position].command
            request.channel = channel
            var list: [OutgoingMessage] = []
            var failure: AttemptResult?
            let renderStart = ContinuousClock.now
            for (index, recipient) in request.recipients.enumerated() where !work[position].entry.delivered.contains(Self.key(recipient, channel)) {
                do {
                    let rendered = try templates.render(request, for: recipient, date: today)
                    list.append(OutgoingMessage(notificationId: request.notificationId, customerId: request.customerId, recipientIndex: index,
                                                recipient: recipient, sender: request.sender, rendered: rendered))
                } catch {
                    let reason: NotificationFailureReason = error.variable?.hasPrefix("recipient") == true ? .invalidAddress : .rejected
                    failure = .permanent(reason, "cannot render \(request.templateId.rawValue) for \(channel.rawValue): \(error.reason)")
                    break
                }
            }
            metrics.record(ContinuousClock.now - renderStart, in: "relance_notification_render_seconds", channel: channel.rawValue)
            if let failure {
                work[position].result = failure
            } else if list.isEmpty {
                work[position].result = work[position].entry.delivered.isEmpty ? .permanent(.invalidAddress, "no recipient") : .delivered
            } else {
                messages[position] = (transport, list)
            }
        }
        var pending = work.indices.filter { messages[$0] != nil }
        guard !pending.isEmpty else { return }
        let spendingDay = spendingCap.map { $0.day(of: now()) }
        if let cap = spendingCap, let spendingDay {
            pending = try await admit(pending, messages: messages, cap: cap, today: spendingDay, work: &work)
        }
        // Chunks of at most a bucket's capacity per rate-limited channel, each waiting for its
        // tokens before its 'sending' is recorded (no wait between 'sending' and the provider).
        var chunks: [[Int]] = []
        var counts: [NotificationChannel: Int] = [:]
        for position in pending {
            let channel = work[position].channel
            let count = messages[position]?.1.count ?? 0
            if let burst = rateLimits.burst(channel), let last = chunks.last, !last.isEmpty, counts[channel, default: 0] + count > burst {
                chunks.append([])
                counts = [:]
            }
            if chunks.isEmpty { chunks.append([]) }
            chunks[chunks.count - 1].append(position)
            counts[channel, default: 0] += count
        }
        for chunk in chunks {
            var tokens: [NotificationChannel: Int] = [:]
            for position in chunk { tokens[work[position].channel, default: 0] += messages[position]?.1.count ?? 0 }
            await rateLimits.acquire(tokens)
            for position in chunk {
                guard let cap = spendingCap, let spendingDay, let cost = cap.cost(of: work[position].channel, count: messages[position]?.1.count ?? 0) else { continue }
                work[position].entry.cost = (work[position].entry.cost ?? 0) + cost
                work[position].entry.spentOn = spendingDay
            }
            try await send(chunk, messages: messages, work: &work)
        }
    }

    /// Parks the items of paid channels above the partition's share of today's cap (in the
    /// run's order; an operator's release goes above it). - Returns: the items to send.
    func admit(_ pending: [Int], messages: [Int: (any NotificationTransport, [OutgoingMessage])], cap: SpendingCap, today: String,
               work: inout [Work]) async throws -> [Int] {
        guard let partition = pending.first.map({ work[$0].entry.partition }),
              pending.contains(where: { cap.cost(of: work[$0].channel, count: 1) != nil }) else { return pending }
        var remaining = cap.perPartition - (try await ledger.spent(partition: partition, on: today))
        var admitted: [Int] = []
        for position in pending {
            guard let cost = cap.cost(of: work[position].channel, count: messages[position]?.1.count ?? 0) else {
                admitted.append(position)
                continue
            }
            if cost <= remaining || work[position].entry.releasedByOperator == true {
                remaining -= cost
                admitted.append(position)
            } else {
                work[position].result = .parked(
                    "daily spending cap reached: partition \(partition) may spend \(cap.perPartition) minor units of \(cap.daily.currency.code) on \(today) (spending.cap / \(cap.partitions) partitions), \(max(0, remaining)) left, this costs \(cost)")
            }
        }
        return admitted
    }

    /// Records `sending` for a chunk's items, checks the fence, then delivers.
    func send(_ pending: [Int], messages: [Int: (any NotificationTransport, [OutgoingMessage])], work: inout [Work]) async throws {
        for position in pending {
            work[position].entry.state = .sending
            work[position].entry.attempts += 1
            work[position].entry.updatedAt = now()
        }
        let encoded = try await ledger.save(pending.map { (entry: work[$0].entry, event: nil) })
        var owned = pending
        if let changelog {
            for position in pending { fence?.expect(work[position].entry) }
            do {
                try await changelog.publish(pending.map { work[$0].entry }, encoded: encoded)
            } catch {
                // Not recorded on the broker: sending now could not be known by a next owner.
                for position in pending {
                    work[position].entry.state = .received
                    work[position].result = .transient("the changelog did not acknowledge 'sending': \(error)")
                }
                try await ledger.save(pending.map { (entry: work[$0].entry, event: nil) })
                return
            }
            if let fence {
                let owns = await fence.owns(pending.map { work[$0].entry }, timeout: .seconds(15))
                let verdicts = Dictionary(uniqueKeysWithValues: zip(pending, owns))
                let fenced = pending.filter { verdicts[$0] != true }
                if !fenced.isEmpty {
                    // Another instance claimed the partition before these 'sending': it may send.
                    // Say 'received' again on the changelog (a later restore must not take them
                    // for sends that happened), and let the partition go.
                    for position in fenced {
                        work[position].entry.state = .received
                        work[position].entry.lastError = "fenced: another instance took the partition over before this attempt"
                        work[position].result = .fenced("fenced: partition \(work[position].entry.partition) was given to another instance")
                        metrics.increment("relance_notifications_fenced_total", channel: work[position].channel.rawValue)
                    }
                    try await ledger.save(fenced.map { (entry: work[$0].entry, event: nil) })
                    try? await changelog.publish(fenced.map { work[$0].entry })
                    logger.warning("fenced: not sending, the partition belongs to another instance", metadata: [
                        "relance.partition": "\(work[fenced[0]].entry.partition)", "relance.notifications": "\(fenced.count)",
                    ])
                    owned = pending.filter { verdicts[$0] == true }
                }
            }
        }

        struct Delivery: Sendable {
            var position: Int
            var message: Int
            var outcome: Result<String, DeliveryError>
        }
        let jobs = owned.flatMap { position in
            (messages[position]?.1 ?? []).enumerated().map { (position, $0.offset, messages[position]?.0, $0.element, work[position].channel) }
        }
        let metrics = self.metrics
        var deliveries = await withTaskGroup(of: Delivery.self) { group in
            for (position, index, transport, message, channel) in jobs {
                guard let transport else { continue }
                group.addTask {
                    let start = ContinuousClock.now
                    let outcome: Result<String, DeliveryError>
                    do throws(DeliveryError) {
                        outcome = .success(try await transport.deliver(message))
                    } catch {
                        outcome = .failure(error)
                    }
                    metrics.record(ContinuousClock.now - start, in: "relance_notification_send_seconds", channel: channel.rawValue)
                    return Delivery(position: position, message: index, outcome: outcome)
                }
            }
            var all: [Delivery] = []
            for await delivery in group { all.append(delivery) }
            return all
        }
        deliveries.sort { ($0.position, $0.message) < ($1.position, $1.message) }
        var transient: [Int: String] = [:]
        var permanent: [Int: (NotificationFailureReason, String)] = [:]
        for delivery in deliveries {
            let position = delivery.position
            switch delivery.outcome {
            case .success(let id):
                if let message = messages[position]?.1[delivery.message] {
                    work[position].entry.delivered.append(Self.key(message.recipient, work[position].channel))
                }
                work[position].entry.providerMessageIds.append(id)
            case .failure(let error):
                switch error.kind {
                case .transient: transient[position] = error.reason
                case .permanent(let reason): permanent[position] = (reason, error.reason)
                }
            }
        }
        for position in owned {
            if let detail = transient[position] {
                work[position].result = .transient(detail)
            } else if !work[position].entry.delivered.isEmpty {
                work[position].result = .delivered
            } else if let (reason, detail) = permanent[position] {
                work[position].result = .permanent(reason, detail)
            } else {
                work[position].result = .delivered
            }
        }
    }

    func publishFinal(_ entries: [LedgerEntry], encoded: [Data]) async {
        guard !entries.isEmpty else { return }
        do {
            try await changelog?.publish(entries, encoded: encoded)
        } catch {
            // The ledger here says it; a next owner would find 'sending' and not resend.
            logger.warning("the changelog did not acknowledge the outcomes", metadata: [
                "relance.notifications": "\(entries.count)", "relance.error": "\(error)",
            ])
        }
    }

    static func key(_ recipient: NotificationRecipient, _ channel: NotificationChannel) -> String {
        switch channel {
        case .email: "email:" + (recipient.email ?? recipient.contactId)
        case .sms: "sms:" + (recipient.phone ?? recipient.contactId)
        default: channel.rawValue + ":" + recipient.contactId
        }
    }
}
