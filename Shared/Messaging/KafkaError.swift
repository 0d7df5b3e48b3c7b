/// A Kafka operation that failed, with librdkafka's code and reason.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// A property was refused by librdkafka: fix the configuration.
        case configuration
        /// The client could not be created.
        case clientCreation
        /// The record was not delivered (timeout, broker refused, queue full too long).
        case delivery
        /// The broker could not be reached or answered an error.
        case broker
        /// An admin request (create topics) failed.
        case admin
        /// The client was already shut down.
        case closed
        /// The caller's task was cancelled before the operation completed.
        case cancelled
    }

    public let code: Code
    /// What happened, in librdkafka's words when it has some.
    public let reason: String
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`), when there is one.
    public let librdkafkaCode: Int32?
    /// For a batch send refused at enqueue: the index of the refused record. Every record
    /// before it was delivered; none after it was sent.
    public let refusedRecordIndex: Int?

    public init(_ code: Code, _ reason: String, librdkafkaCode: Int32? = nil, refusedRecordIndex: Int? = nil) {
        self.code = code
        self.reason = reason
        self.librdkafkaCode = librdkafkaCode
        self.refusedRecordIndex = refusedRecordIndex
    }

    /// Whether retrying the same record can never succeed (the broker or librdkafka refuses
    /// its content or size), as opposed to a transient failure (timeout, broker down, purged).
    ///
    /// An outbox relay parks such a record instead of retrying it forever.
    public var isPermanent: Bool {
        guard let librdkafkaCode else { return false }
        return KafkaError.permanentLibrdkafkaCodes.contains(librdkafkaCode)
    }

    /// `MSG_SIZE_TOO_LARGE` (10, local or broker), `INVALID_MSG` (2), `RECORD_LIST_TOO_LARGE`
    /// (18), `INVALID_REQUIRED_ACKS` (21), `INVALID_RECORD` (87), `INVALID_MSG_SIZE` (4),
    /// `__INVALID_ARG` (-186, e.g. a key or header librdkafka cannot take):
    /// values from `rdkafka.h`.
    static let permanentLibrdkafkaCodes: Set<Int32> = [10, 2, 18, 21, 87, 4, -186]

    public var description: String {
        "kafka \(code.rawValue) error: \(reason)" + (librdkafkaCode.map { " (librdkafka \($0))" } ?? "")
    }
}
