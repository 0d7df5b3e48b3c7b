import Events
import Foundation

/// A contact's consent to be reached on one channel (opt-in or opt-out), and since when.
///
/// JSON: `{"channel": "sms", "optedIn": true, "recordedOn": "2026-03-01"}`. Channels are an
/// open set (`email`, `sms`, and whatever later channels are called): a lower-case name of
/// letters, digits and `-`, at most 32 characters.
public struct ChannelConsent: Hashable, Sendable, Codable {
    /// The channel the consent is about, e.g. `email` or `sms`.
    public var channel: String
    /// Whether the contact agreed (`true`) or refused / withdrew (`false`).
    public var optedIn: Bool
    /// When the consent was given or withdrawn.
    public var recordedOn: CalendarDate

    /// Creates a consent; the channel is checked by ``validated()``.
    public init(channel: String, optedIn: Bool, recordedOn: CalendarDate) {
        self.channel = channel
        self.optedIn = optedIn
        self.recordedOn = recordedOn
    }

    /// The consent, checked.
    /// - Throws: `InvoicingError` `.invalidField` (`channel`) for a name that is not 1...32
    ///   lower-case letters, digits or `-`, starting with a letter.
    public func validated() throws(InvoicingError) -> ChannelConsent {
        let scalars = Array(channel.unicodeScalars)
        guard (1...32).contains(scalars.count), let first = scalars.first, ("a"..."z").contains(first),
              scalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
            throw InvoicingError(.invalidField, "'\(channel)' is not a channel name; write it like email or sms", field: "channel")
        }
        return self
    }

    /// As published in customer events.
    var snapshot: ConsentSnapshot {
        ConsentSnapshot(channel: channel, optedIn: optedIn, recordedOn: recordedOn)
    }
}
