import Events
import GRDB
import Messaging

extension Outbox {
    /// An outbox row's values, made before the write transaction needs them: a writer that
    /// enqueues many events (the scenario scheduler's tick) builds them on other threads and
    /// only binds and inserts them (``Inserter``).
    public struct PreparedRow: Sendable {
        /// The nine values of ``Outbox/insertSQL``, in its order.
        let arguments: StatementArguments

        /// - Parameters:
        ///   - envelope: The event, its envelope fields and its JSON.
        ///   - topic: The topic the relay publishes it to.
        public init(_ envelope: Envelope, on topic: Topic) {
            arguments = [
                envelope.id, topic.rawValue, envelope.key, envelope.type, envelope.source,
                EventJSON.formatInstant(envelope.time), envelope.subject, envelope.contentType, envelope.data,
            ]
        }
    }
}
