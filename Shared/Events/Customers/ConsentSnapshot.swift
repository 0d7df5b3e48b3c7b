/// A contact's consent to be reached on a channel, as published in customer events.
public struct ConsentSnapshot: Codable, Sendable, Hashable {
    /// An open set: `email`, `sms`, and later channels; ignore consents for channels you do
    /// not use.
    public var channel: String
    public var optedIn: Bool
    public var recordedOn: CalendarDate

    public init(channel: String, optedIn: Bool, recordedOn: CalendarDate) {
        self.channel = channel
        self.optedIn = optedIn
        self.recordedOn = recordedOn
    }
}
