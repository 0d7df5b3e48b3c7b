/// The topics of the Relance contract, without prefix.
public enum Topic: String, Sendable, CaseIterable, Codable {
    case customers
    case invoices
    case payments
    case dunning
    case notificationRequests = "notification-requests"
    case notifications
    case collectionCases = "collection-cases"
    case collectionUpdates = "collection-updates"
    /// The notification service's ledger changelog (internal state, not events: key = the
    /// notification id, partition = the command's partition). Create it compacted in production.
    case notificationLedger = "notification-ledger"
}

/// Topic names as they are on the broker: a configurable prefix, then the topic.
///
/// Every topic has a dead-letter companion `<name>.dlq` for records that cannot be processed.
public struct TopicCatalog: Sendable, Hashable {
    /// Prepended to every topic name. Default: `relance.`.
    public let prefix: String

    public init(prefix: String = "relance.") {
        self.prefix = prefix
    }

    /// The broker name of a topic, e.g. `relance.invoices`.
    public func name(of topic: Topic) -> String { prefix + topic.rawValue }

    /// The dead-letter topic of a broker topic name, e.g. `relance.invoices.dlq`.
    public static func deadLetterName(of topicName: String) -> String { topicName + ".dlq" }

    /// Every topic name with its dead-letter topic, for the admin to create at start.
    public var allNames: [String] {
        Topic.allCases.flatMap { [name(of: $0), TopicCatalog.deadLetterName(of: name(of: $0))] }
    }
}
