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
    }

    public let code: Code
    /// What happened, in librdkafka's words when it has some.
    public let reason: String
    /// librdkafka's numeric error code (`rd_kafka_resp_err_t`), when there is one.
    public let librdkafkaCode: Int32?

    public init(_ code: Code, _ reason: String, librdkafkaCode: Int32? = nil) {
        self.code = code
        self.reason = reason
        self.librdkafkaCode = librdkafkaCode
    }

    public var description: String {
        "kafka \(code.rawValue) error: \(reason)" + (librdkafkaCode.map { " (librdkafka \($0))" } ?? "")
    }
}
