import Events
import Foundation
import Logging
import Messaging
import Metrics
import NotificationTemplates

/// Handles one `notification.requested` command: at most one send per notification id, on
/// any number of instances.
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
public struct NotificationDispatcher: Sendable {
    let ledger: NotificationLedger
    let templates: TemplateLibrary
    /// Transports by channel (`email`, `sms`, `letter`, `registeredLetter`).
    let transports: [String: any NotificationTransport]
    let changelog: ChangelogWriter?
    /// Checks, before each provider call, that no other instance took the partition over.
    let fence: LedgerFence?
    let maxAttempts: Int
    let logger: Logger
    let now: @Sendable () -> Date

    public init(ledger: NotificationLedger, templates: TemplateLibrary, transports: [String: any NotificationTransport],
                changelog: ChangelogWriter?, fence: LedgerFence? = nil, maxAttempts: Int = 5, logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() }) {
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
    }

    /// Handles a consumed record of `notification-requests`.
    /// - Throws: `InvalidRecord` (dead-lettered) for a record that is not a valid command,
    ///   ``RetryLater`` for a transient failure.
    @discardableResult
    public func handle(_ record: ConsumerRecord) async throws -> Outcome {
        let envelope = try CloudEvents.envelope(from: record)
        guard envelope.type == NotificationRequested.eventType else { return .duplicate }
        let command: NotificationRequested
        do {
            command = try envelope.decode(NotificationRequested.self)
        } catch {
            throw InvalidRecord("not a notification.requested command: \(error)")
        }
        guard command.notificationId == command.derivedNotificationId else {
            throw InvalidRecord("notification id \(command.notificationId) is not the one its customer, step and invoices give (\(command.derivedNotificationId))")
        }
        return try await handle(command, partition: record.partition)
    }

    /// Handles a command of a partition.
    public func handle(_ command: NotificationRequested, partition: Int32) async throws -> Outcome {
        var metadata: Logger.Metadata = ["relance.notification.id": "\(command.notificationId)", "relance.channel": "\(command.channel.rawValue)"]
        var entry: LedgerEntry
        if let existing = try await ledger.entry(command.notificationId) {
            if existing.state.isFinal { return .duplicate }
            if existing.state == .sending {
                entry = existing
                entry.state = .unconfirmed
                entry.lastError = "found 'sending' after attempt \(existing.attempts): the previous sender stopped between the provider call and recording its outcome; it may have been delivered. Not sent again: check with the provider, then resend by hand if it was not."
                entry.updatedAt = now()
                try await ledger.save(entry)
                try? await changelog?.publish(entry)
                Counter(label: "relance_notifications_total", dimensions: [("channel", command.channel.rawValue), ("outcome", "unconfirmed")]).increment()
                logger.warning("notification unconfirmed: not sent again", metadata: metadata)
                return .unconfirmed
            }
            entry = existing
        } else {
            entry = LedgerEntry(notificationId: command.notificationId, customerId: command.customerId, partition: partition,
                                channel: command.channel.rawValue, state: .received, updatedAt: now())
        }

        var channel = command.channel
        var result = try await attempt(command, channel: channel, entry: &entry)
        if case .permanent = result, let fallback = command.fallbackChannel, entry.delivered.isEmpty {
            metadata["relance.fallback"] = "\(fallback.rawValue)"
            logger.info("falling back to another channel", metadata: metadata)
            channel = fallback
            entry.fallbackUsed = fallback.rawValue
            result = try await attempt(command, channel: fallback, entry: &entry)
        }
        entry.updatedAt = now()
        switch result {
        case .delivered:
            entry.state = .sent
            let event = NotificationSent(notificationId: command.notificationId, customerId: command.customerId, channel: channel,
                                         providerMessageId: entry.providerMessageIds.joined(separator: ","), sentAt: entry.updatedAt)
            try await ledger.save(entry, event: event)
            await publishFinal(entry)
            Counter(label: "relance_notifications_total", dimensions: [("channel", channel.rawValue), ("outcome", "sent")]).increment()
            return .sent
        case .permanent(let reason, let detail):
            entry.state = .failed
            entry.lastError = detail
            try await ledger.save(entry, event: NotificationFailed(notificationId: command.notificationId, customerId: command.customerId,
                                                                   channel: channel, reason: reason, detail: detail))
            await publishFinal(entry)
            Counter(label: "relance_notifications_total", dimensions: [("channel", channel.rawValue), ("outcome", "failed")]).increment()
            logger.warning("notification failed", metadata: metadata.merging(["relance.reason": "\(reason.rawValue)"]) { $1 })
            return .failed
        case .transient(let detail):
            entry.lastError = detail
            if entry.attempts >= maxAttempts {
                entry.state = .failed
                try await ledger.save(entry, event: NotificationFailed(
                    notificationId: command.notificationId, customerId: command.customerId, channel: channel, reason: .other,
                    detail: "gave up after \(entry.attempts) attempts: \(detail)"))
                await publishFinal(entry)
                Counter(label: "relance_notifications_total", dimensions: [("channel", channel.rawValue), ("outcome", "failed")]).increment()
                return .failed
            }
            entry.state = .received
            try await ledger.save(entry)
            try? await changelog?.publish(entry)
            Counter(label: "relance_notifications_retried_total", dimensions: [("channel", channel.rawValue)]).increment()
            throw RetryLater(description: "attempt \(entry.attempts) of \(maxAttempts) failed: \(detail)")
        }
    }

    enum AttemptResult {
        case delivered
        case permanent(NotificationFailureReason, String)
        case transient(String)
    }

    /// One attempt on one channel: render, record `sending`, deliver to each recipient left.
    func attempt(_ command: NotificationRequested, channel: NotificationChannel, entry: inout LedgerEntry) async throws -> AttemptResult {
        guard let transport = transports[channel.rawValue] else {
            return .permanent(.rejected, "no transport for channel \(channel.rawValue)")
        }
        var request = command
        request.channel = channel
        let today = CalendarDate(date: now(), in: TimeZone(identifier: "Europe/Paris") ?? .current)
        var messages: [OutgoingMessage] = []
        let renderStart = ContinuousClock.now
        for (index, recipient) in request.recipients.enumerated() where !entry.delivered.contains(Self.key(recipient, channel)) {
            do {
                let rendered = try templates.render(request, for: recipient, date: today)
                messages.append(OutgoingMessage(notificationId: command.notificationId, customerId: command.customerId, recipientIndex: index,
                                                recipient: recipient, sender: command.sender, rendered: rendered))
            } catch {
                let reason: NotificationFailureReason = error.variable?.hasPrefix("recipient") == true ? .invalidAddress : .rejected
                return .permanent(reason, "cannot render \(command.templateId.rawValue) for \(channel.rawValue): \(error.reason)")
            }
        }
        let rendering = ContinuousClock.now - renderStart
        Timer(label: "relance_notification_render_seconds", dimensions: [("channel", channel.rawValue)])
            .recordNanoseconds(rendering.components.seconds * 1_000_000_000 + rendering.components.attoseconds / 1_000_000_000)
        guard !messages.isEmpty else { return entry.delivered.isEmpty ? .permanent(.invalidAddress, "no recipient") : .delivered }

        entry.state = .sending
        entry.attempts += 1
        entry.updatedAt = now()
        try await ledger.save(entry)
        if let changelog {
            fence?.expect(entry)
            do {
                try await changelog.publish(entry)
            } catch {
                // Not recorded on the broker: sending now could not be known by a next owner.
                entry.state = .received
                try await ledger.save(entry)
                return .transient("the changelog did not acknowledge 'sending': \(error)")
            }
            if let fence, !(await fence.owns(entry, timeout: .seconds(15))) {
                // Another instance claimed the partition before this 'sending': it may send.
                // Say 'received' again on the changelog (a later restore must not take this
                // 'sending' for a send that happened), and let the partition go.
                entry.state = .received
                entry.lastError = "fenced: another instance took the partition over before this attempt"
                try await ledger.save(entry)
                try? await changelog.publish(entry)
                Counter(label: "relance_notifications_fenced_total", dimensions: [("channel", channel.rawValue)]).increment()
                logger.warning("fenced: not sending, the partition belongs to another instance", metadata: [
                    "relance.notification.id": "\(command.notificationId)", "relance.partition": "\(entry.partition)",
                ])
                throw RetryLater(description: "fenced: partition \(entry.partition) was given to another instance")
            }
        }
        var transient: String?
        var permanent: (NotificationFailureReason, String)?
        for message in messages {
            let sendStart = ContinuousClock.now
            do {
                let id = try await transport.deliver(message)
                entry.delivered.append(Self.key(message.recipient, channel))
                entry.providerMessageIds.append(id)
            } catch {
                switch error.kind {
                case .transient: transient = error.reason
                case .permanent(let reason): permanent = (reason, error.reason)
                }
            }
            let elapsed = ContinuousClock.now - sendStart
            Timer(label: "relance_notification_send_seconds", dimensions: [("channel", channel.rawValue)])
                .recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        }
        if let transient { return .transient(transient) }
        if !entry.delivered.isEmpty { return .delivered }
        if let permanent { return .permanent(permanent.0, permanent.1) }
        return .delivered
    }

    func publishFinal(_ entry: LedgerEntry) async {
        do {
            try await changelog?.publish(entry)
        } catch {
            // The ledger here says it; a next owner would find 'sending' and not resend.
            logger.warning("the changelog did not acknowledge the outcome", metadata: [
                "relance.notification.id": "\(entry.notificationId)", "relance.error": "\(error)",
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
