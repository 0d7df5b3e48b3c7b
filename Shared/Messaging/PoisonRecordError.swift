import Events

/// An error meaning "this record will never be processed, however often it is retried":
/// the consumer sends the record to the topic's dead-letter queue and moves on.
///
/// Any other error a handler throws is treated as transient (database busy, broker down) and
/// retried with capped exponential backoff, without committing.
public protocol PoisonRecordError: Error {}

/// A record whose content is invalid for the handler (fails validation).
public struct InvalidRecord: PoisonRecordError, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

extension EventDecodingError: PoisonRecordError {}
