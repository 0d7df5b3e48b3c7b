import CRDKafka
import Foundation
import Logging
import Synchronization

/// The only type that calls `rd_kafka_*`. It owns one `rd_kafka_t` and never lets the raw
/// handle escape; ``Producer``, ``Consumer`` and ``KafkaAdmin`` go through it.
///
/// `@unchecked Sendable` is safe because librdkafka's handle is thread-safe for the calls made
/// here (produce, poll, offsets store, metadata) and the handle lives until `deinit`, after
/// every user has gone. Mutable Swift state sits behind `Mutex`es.
final class KafkaClient: @unchecked Sendable {
    enum Kind {
        case producer, consumer
        /// Admin requests and metadata only: a producer-type handle without delivery reports.
        case admin
    }

    private let handle: OpaquePointer
    private let callbacks: Unmanaged<CallbackContext>
    private let topicHandles = Mutex<[String: OpaquePointer]>([:])
    let kind: Kind
    let logger: Logger

    /// State shared with librdkafka's C callbacks through the `rd_kafka_conf` opaque.
    final class CallbackContext: Sendable {
        let logger: Logger
        /// What the member owns; updated by the rebalance callback, read by the poll loop.
        let ledger = Mutex(AssignmentLedger())
        /// Set by the error callback on `ERR__FATAL` (an idempotent producer lost its
        /// guarantees): the instance can produce nothing more and must be replaced.
        let fatal = Atomic<Bool>(false)
        /// Called from the rebalance callback (on the poll thread): see ``RebalanceHooks``.
        let hooks = Mutex<RebalanceHooks?>(nil)

        init(logger: Logger) {
            self.logger = logger
        }
    }

    /// Creates a client of the given kind with librdkafka properties.
    /// - Throws: `KafkaError` `.configuration` for a refused property, `.clientCreation` otherwise.
    init(kind: Kind, properties: [String: String], logger: Logger) throws(KafkaError) {
        self.kind = kind
        self.logger = logger
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(.clientCreation, "rd_kafka_conf_new returned nothing (out of memory?)")
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(.configuration, "property \(key): \(text(of: errorBuffer))")
            }
        }
        let context = Unmanaged.passRetained(CallbackContext(logger: logger))
        rd_kafka_conf_set_opaque(conf, context.toOpaque())
        rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
        rd_kafka_conf_set_error_cb(conf, kafkaErrorCallback)
        switch kind {
        case .producer:
            rd_kafka_conf_set_dr_msg_cb(conf, kafkaDeliveryReportCallback)
        case .consumer:
            rd_kafka_conf_set_rebalance_cb(conf, kafkaRebalanceCallback)
        case .admin:
            break
        }
        // On success rd_kafka_new takes ownership of conf; on failure it stays ours.
        guard let handle = rd_kafka_new(kind == .consumer ? RD_KAFKA_CONSUMER : RD_KAFKA_PRODUCER, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            context.release()
            throw KafkaError(.clientCreation, text(of: errorBuffer))
        }
        self.handle = handle
        self.callbacks = context
        if kind == .consumer {
            // Serve everything (logs, errors, rebalances) from rd_kafka_consumer_poll.
            rd_kafka_poll_set_consumer(handle)
        }
    }

    deinit {
        for topic in topicHandles.withLock({ Array($0.values) }) {
            rd_kafka_topic_destroy(topic)
        }
        rd_kafka_destroy(handle)
        callbacks.release()
    }

    var assignment: Set<TopicPartition> { callbacks.takeUnretainedValue().ledger.withLock { $0.owned } }

    /// Installs the rebalance hooks (before subscribing).
    func setRebalanceHooks(_ hooks: RebalanceHooks) {
        callbacks.takeUnretainedValue().hooks.withLock { $0 = hooks }
    }

    /// How many assignment changes this member has seen (each rebalance callback counts).
    var assignmentGeneration: Int { callbacks.takeUnretainedValue().ledger.withLock { $0.generation } }

    /// Whether librdkafka reported a fatal error: nothing more can be produced on this client.
    var hasFatalError: Bool { callbacks.takeUnretainedValue().fatal.load(ordering: .acquiring) }

    /// librdkafka's description of its fatal error, if one was raised.
    func fatalErrorReason() -> String? {
        var buffer = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle, &buffer, buffer.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return "\(text(of: buffer)) (librdkafka \(code.rawValue))"
    }

    /// Raises a fatal error as librdkafka would on a broken idempotence sequence. Tests only.
    func raiseFatalErrorForTesting() {
        _ = rd_kafka_test_fatal_error(handle, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "raised by a Relance test")
    }

    /// Events (logs, errors) and requests waiting in the client's queues, delivery reports
    /// included. An admin client that is never polled sees this grow.
    var queuedEventCount: Int32 { rd_kafka_outq_len(handle) }

    /// Serves queued callbacks (logs, errors) without waiting.
    func drainEvents() {
        rd_kafka_poll(handle, 0)
    }

    // MARK: Producer

    /// Enqueues records in order until librdkafka refuses one; each delivery report later
    /// calls `tracker.complete`. The topic handle is looked up once per run of same-topic
    /// records and the argument list lives on the stack, so the per-record cost is the produce call.
    /// - Returns: how many records were enqueued, and the refusal (librdkafka's code) if any.
    func produce(_ records: ArraySlice<OutgoingRecord>, tracker: DeliveryTracker) -> (enqueued: Int, failure: (code: Int32, reason: String)?) {
        var topicName: String?
        var topic: OpaquePointer?
        var enqueued = 0
        return withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 7) { fields in
            for record in records {
                if record.topic != topicName {
                    topic = topicHandle(record.topic)
                    topicName = record.topic
                }
                var headers: OpaquePointer?
                if !record.headers.isEmpty {
                    headers = rd_kafka_headers_new(record.headers.count)
                    for header in record.headers {
                        header.value.withUnsafeBytes { bytes in
                            _ = rd_kafka_header_add(headers, header.name, -1, bytes.baseAddress, bytes.count)
                        }
                    }
                }
                let opaque = Unmanaged.passRetained(tracker).toOpaque()
                let error: OpaquePointer? = record.value.withUnsafeBytes { value in
                    withOptionalBytes(record.key) { key in
                        fields[0] = rd_kafka_vu_t()
                        fields[0].vtype = RD_KAFKA_VTYPE_RKT
                        fields[0].u.rkt = topic
                        fields[1] = rd_kafka_vu_t()
                        fields[1].vtype = RD_KAFKA_VTYPE_VALUE
                        fields[1].u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: value.baseAddress), size: value.count)
                        fields[2] = rd_kafka_vu_t()
                        fields[2].vtype = RD_KAFKA_VTYPE_KEY
                        fields[2].u.mem = .init(ptr: UnsafeMutableRawPointer(mutating: key?.baseAddress), size: key?.count ?? 0)
                        fields[3] = rd_kafka_vu_t()
                        fields[3].vtype = RD_KAFKA_VTYPE_OPAQUE
                        fields[3].u.ptr = opaque
                        fields[4] = rd_kafka_vu_t()
                        fields[4].vtype = RD_KAFKA_VTYPE_MSGFLAGS
                        fields[4].u.i = RD_KAFKA_MSG_F_COPY
                        var count = 5
                        if let headers {
                            fields[count] = rd_kafka_vu_t()
                            fields[count].vtype = RD_KAFKA_VTYPE_HEADERS
                            fields[count].u.headers = headers
                            count += 1
                        }
                        if let partition = record.partition {
                            fields[count] = rd_kafka_vu_t()
                            fields[count].vtype = RD_KAFKA_VTYPE_PARTITION
                            fields[count].u.i32 = partition
                            count += 1
                        }
                        return rd_kafka_produceva(handle, fields.baseAddress, count)
                    }
                }
                if let error {
                    // Not enqueued: headers and the tracker reference are still ours.
                    if let headers { rd_kafka_headers_destroy(headers) }
                    Unmanaged<DeliveryTracker>.fromOpaque(opaque).release()
                    defer { rd_kafka_error_destroy(error) }
                    return (enqueued, (rd_kafka_error_code(error).rawValue, String(cString: rd_kafka_error_string(error))))
                }
                enqueued += 1
            }
            return (enqueued, nil)
        }
    }

    static let queueFullCode = RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue

    /// Serves delivery reports and callbacks. Blocks up to `timeoutMilliseconds`.
    func poll(timeoutMilliseconds: Int32) {
        rd_kafka_poll(handle, timeoutMilliseconds)
    }

    /// Waits until every enqueued record got its delivery report or the timeout passed.
    /// - Returns: records still in flight.
    func flush(timeoutMilliseconds: Int32) -> Int32 {
        _ = rd_kafka_flush(handle, timeoutMilliseconds)
        return rd_kafka_outq_len(handle)
    }

    /// Fails every queued and in-flight record (their reports say "purged") and serves the
    /// reports, so nobody keeps waiting on a client that is being replaced. Blocking.
    func purgeAndFlush(timeoutMilliseconds: Int32) {
        _ = rd_kafka_purge(handle, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
        _ = rd_kafka_flush(handle, timeoutMilliseconds)
    }

    private func topicHandle(_ name: String) -> OpaquePointer? {
        topicHandles.withLock { handles in
            if let existing = handles[name] { return existing }
            let created = rd_kafka_topic_new(handle, name, nil)
            handles[name] = created
            return created
        }
    }

    // MARK: Consumer

    /// Subscribes to topics (consumer group).
    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let error = rd_kafka_subscribe(handle, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.broker, "subscribe to \(topics): \(String(cString: rd_kafka_err2str(error)))", librdkafkaCode: error.rawValue)
        }
    }

    /// Assigns partitions from their beginning, outside any group rebalance (a reader, not a
    /// group member). Blocking.
    func assignFromBeginning(_ partitions: [TopicPartition]) throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions {
            rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)?.pointee.offset = Int64(RD_KAFKA_OFFSET_BEGINNING)
        }
        let error = rd_kafka_assign(handle, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.broker, "assign \(partitions): \(String(cString: rd_kafka_err2str(error)))", librdkafkaCode: error.rawValue)
        }
    }

    /// A partition's low and high watermarks (first offset, next offset to be written), asked
    /// of the broker. Blocking.
    func watermarks(of partition: TopicPartition, timeoutMilliseconds: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let error = rd_kafka_query_watermark_offsets(handle, partition.topic, partition.partition, &low, &high, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.broker, "watermarks of \(partition): \(String(cString: rd_kafka_err2str(error)))", librdkafkaCode: error.rawValue)
        }
        return (low, high)
    }

    /// Reads up to `maxRecords`, waiting at most `timeoutMilliseconds` for the first. Blocking:
    /// call it off the cooperative pool. Rebalance callbacks run inside this call.
    ///
    /// A poll may serve a rebalance and return no message: records gathered before it whose
    /// partition was revoked meanwhile (or revoked and assigned again) are dropped here, since
    /// the partition's next owner restarts from the committed offset (see ``AssignmentLedger``).
    func pollBatch(maxRecords: Int, timeoutMilliseconds: Int32) -> [ConsumerRecord] {
        var gathered: [(record: ConsumerRecord, generation: Int)] = []
        var timeout = timeoutMilliseconds
        let context = callbacks.takeUnretainedValue()
        let startGeneration = context.ledger.withLock { $0.generation }
        while gathered.count < maxRecords, let message = rd_kafka_consumer_poll(handle, timeout) {
            timeout = 0
            defer { rd_kafka_message_destroy(message) }
            let raw = message.pointee
            guard raw.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                if raw.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    logger.warning("consumer error", metadata: [
                        "relance.kafka.error": "\(String(cString: rd_kafka_err2str(raw.err)))",
                    ])
                }
                continue
            }
            // Read after the poll: a rebalance served by this very poll precedes the message.
            let generation = context.ledger.withLock { $0.generation }
            gathered.append((Self.record(from: message), generation))
        }
        let current = context.ledger.withLock { $0 }
        guard current.generation != startGeneration else { return gathered.map(\.record) }
        let kept = gathered.filter { current.stillOwns(TopicPartition(topic: $0.record.topic, partition: $0.record.partition), readAt: $0.generation) }
        if kept.count != gathered.count {
            logger.debug("records of revoked partitions dropped from the batch", metadata: ["relance.kafka.dropped": "\(gathered.count - kept.count)"])
        }
        return kept.map(\.record)
    }

    /// Stops fetching a partition and moves its fetch position back to `offset`, so that the
    /// record there is read again after ``resume(_:)``. Used to back off one failing record
    /// while the member keeps polling (and serving its other partitions).
    func pause(_ partition: TopicPartition, rewindingTo offset: Int64) {
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)?.pointee.offset = offset
        // Pause first: it moves the fetch position to the last record handed to us and
        // purges what was prefetched; the seek then rewinds to the failed record.
        let pauseError = rd_kafka_pause_partitions(handle, list)
        if pauseError != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("pause failed", metadata: ["relance.kafka.error": "\(String(cString: rd_kafka_err2str(pauseError)))"])
        }
        if let seekError = rd_kafka_seek_partitions(handle, list, 0) {
            logger.warning("seek failed", metadata: ["relance.kafka.error": "\(String(cString: rd_kafka_error_string(seekError)))"])
            rd_kafka_error_destroy(seekError)
        }
    }

    /// Resumes fetching paused partitions.
    func resume(_ partitions: [TopicPartition]) {
        guard !partitions.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for partition in partitions {
            rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)
        }
        _ = rd_kafka_resume_partitions(handle, list)
    }

    private static func record(from message: UnsafeMutablePointer<rd_kafka_message_t>) -> ConsumerRecord {
        let raw = message.pointee
        let topic = String(cString: rd_kafka_topic_name(raw.rkt))
        let value = raw.payload.map { Data(bytes: $0, count: raw.len) } ?? Data()
        let key = raw.key.map { Data(bytes: $0, count: raw.key_len) }
        var headers: [KafkaHeader] = []
        var headerList: OpaquePointer?
        if rd_kafka_message_headers(message, &headerList) == RD_KAFKA_RESP_ERR_NO_ERROR, let headerList {
            var index = 0
            var name: UnsafePointer<CChar>?
            var headerValue: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(headerList, index, &name, &headerValue, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                if let name {
                    let bytes = headerValue.map { Data(bytes: $0, count: size) } ?? Data()
                    headers.append(KafkaHeader(name: String(cString: name), value: bytes))
                }
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let milliseconds = rd_kafka_message_timestamp(message, &timestampType)
        let timestamp = milliseconds >= 0 ? Date(timeIntervalSince1970: Double(milliseconds) / 1000) : nil
        return ConsumerRecord(
            topic: topic, partition: raw.partition, offset: raw.offset, key: key, value: value,
            headers: headers, timestamp: timestamp)
    }

    /// Stores `offset + 1` of processed records; auto-commit (and close, and revocation)
    /// commits what is stored.
    ///
    /// No rebalance runs between the poll that read the records and this call (rebalances run
    /// inside polls), so a refusal is unexpected: it is logged as a warning per partition.
    func storeProcessed(_ offsets: [TopicPartition: Int64]) {
        guard !offsets.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(offsets.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (partition, offset) in offsets {
            rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)?.pointee.offset = offset + 1
        }
        // It returns an error only when every partition was refused; each element says its own.
        _ = rd_kafka_offsets_store(handle, list)
        guard let list else { return }
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            guard element.err != RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
            logger.warning("offset not stored: the record may be processed again", metadata: [
                "relance.kafka.partition": "\(String(cString: element.topic))[\(element.partition)]",
                "relance.kafka.offset": "\(element.offset)",
                "relance.kafka.error": "\(String(cString: rd_kafka_err2str(element.err)))",
            ])
        }
    }

    /// Commits stored offsets, leaves the group and serves the queue until done. Blocking.
    func closeConsumer() {
        let error = rd_kafka_consumer_close(handle)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("consumer close failed", metadata: ["relance.kafka.error": "\(String(cString: rd_kafka_err2str(error)))"])
        }
    }

    // MARK: Admin and health

    /// Asks the broker for the metadata of `topics` only (not the whole cluster's): proves it
    /// is reachable. Blocking.
    /// - Returns: those of `topics` that exist.
    func fetchPartitionCounts(among topics: [String], timeoutMilliseconds: Int32) throws(KafkaError) -> [String: Int] {
        // With all_topics=0 and no single topic, librdkafka asks for the topics this client
        // knows locally: exactly the handles created here.
        for topic in topics {
            _ = topicHandle(topic)
        }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 0, nil, &metadata, timeoutMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(.broker, "metadata request: \(String(cString: rd_kafka_err2str(error)))", librdkafkaCode: error.rawValue)
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let wanted = Set(topics)
        var counts: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            let topic = metadata.pointee.topics[index]
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, let name = topic.topic.map({ String(cString: $0) }), wanted.contains(name) else { continue }
            counts[name] = Int(topic.partition_cnt)
        }
        return counts
    }

    /// Creates topics; topics that already exist count as created. Blocking.
    func createTopics(_ names: [String], partitions: Int, replicationFactor: Int, timeoutMilliseconds: Int32) throws(KafkaError) {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for name in names {
            guard let topic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replicationFactor), &errorBuffer, errorBuffer.count) else {
                throw KafkaError(.admin, "topic \(name): \(text(of: errorBuffer))")
            }
            newTopics.append(topic)
        }
        let queue = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMilliseconds, &errorBuffer, errorBuffer.count)
        rd_kafka_CreateTopics(handle, &newTopics, newTopics.count, options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeoutMilliseconds + 1000) else {
            throw KafkaError(.admin, "create topics: no answer within \(timeoutMilliseconds) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.admin, "create topics: \(String(cString: rd_kafka_event_error_string(event)))", librdkafkaCode: eventError.rawValue)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { return }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for index in 0..<count {
            let topicError = rd_kafka_topic_result_error(results[index])
            if topicError != RD_KAFKA_RESP_ERR_NO_ERROR && topicError != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                let name = String(cString: rd_kafka_topic_result_name(results[index]))
                let reason = rd_kafka_topic_result_error_string(results[index]).map { String(cString: $0) } ?? ""
                throw KafkaError(.admin, "create topic \(name): \(reason)", librdkafkaCode: topicError.rawValue)
            }
        }
    }
}

/// The NUL-terminated text librdkafka wrote into an error buffer.
private func text(of buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

private func withOptionalBytes<R>(_ data: Data?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let data else { return body(nil) }
    return data.withUnsafeBytes { body($0) }
}

private func context(of handle: OpaquePointer?) -> KafkaClient.CallbackContext? {
    guard let handle, let opaque = rd_kafka_opaque(handle) else { return nil }
    return Unmanaged<KafkaClient.CallbackContext>.fromOpaque(opaque).takeUnretainedValue()
}

// C callbacks: no captures; state reaches them through the opaque pointers.

private let kafkaDeliveryReportCallback: @convention(c) (
    OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?
) -> Void = { _, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let tracker = Unmanaged<DeliveryTracker>.fromOpaque(opaque).takeRetainedValue()
    let error = message.pointee.err
    if error == RD_KAFKA_RESP_ERR_NO_ERROR {
        tracker.complete(nil)
    } else {
        tracker.complete(KafkaError(.delivery, String(cString: rd_kafka_err2str(error)), librdkafkaCode: error.rawValue))
    }
}

private let kafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, message in
    guard let context = context(of: handle) else { return }
    let text = message.map { String(cString: $0) } ?? ""
    let metadata: Logger.Metadata = ["relance.kafka.facility": "\(facility.map { String(cString: $0) } ?? "")"]
    switch level {
    case ...3: context.logger.error("librdkafka: \(text)", metadata: metadata)
    case 4: context.logger.warning("librdkafka: \(text)", metadata: metadata)
    case 5, 6: context.logger.info("librdkafka: \(text)", metadata: metadata)
    default: context.logger.debug("librdkafka: \(text)", metadata: metadata)
    }
}

private let kafkaErrorCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafeMutableRawPointer?) -> Void = {
    handle, code, reason, _ in
    guard let context = context(of: handle) else { return }
    if code == RD_KAFKA_RESP_ERR__FATAL.rawValue {
        // The idempotent producer lost its guarantees (e.g. a broken sequence): librdkafka
        // refuses every further produce. The owner replaces the client (Producer's run loop).
        context.fatal.store(true, ordering: .releasing)
        context.logger.error("kafka client fatal error: the client will be replaced", metadata: [
            "relance.kafka.error": "\(reason.map { String(cString: $0) } ?? "")",
        ])
        return
    }
    // Transport errors ("all brokers down") are retried by librdkafka; report, don't act.
    context.logger.warning("kafka client error", metadata: [
        "relance.kafka.error": "\(reason.map { String(cString: $0) } ?? "")",
        "relance.kafka.code": "\(code)",
    ])
}

private let kafkaRebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, UnsafeMutableRawPointer?
) -> Void = { handle, error, partitions, _ in
    guard let handle, let context = context(of: handle) else { return }
    let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
    var changed: [TopicPartition] = []
    if let partitions {
        for index in 0..<Int(partitions.pointee.cnt) {
            let element = partitions.pointee.elems[index]
            changed.append(TopicPartition(topic: String(cString: element.topic), partition: element.partition))
        }
    }
    if error == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
        if cooperative {
            if let failure = rd_kafka_incremental_assign(handle, partitions) {
                context.logger.error("incremental assign failed", metadata: ["relance.kafka.error": "\(String(cString: rd_kafka_error_string(failure)))"])
                rd_kafka_error_destroy(failure)
            }
        } else {
            _ = rd_kafka_assign(handle, partitions)
        }
        // A partition paused by the consumer's backoff and then revoked stays paused inside
        // librdkafka (only library pauses are reset on assignment): resume what we get.
        if let partitions {
            _ = rd_kafka_resume_partitions(handle, partitions)
        }
        context.ledger.withLock { $0.assign(changed) }
        context.logger.info("partitions assigned", metadata: ["relance.kafka.partitions": "\(changed.sorted())"])
        // Inside the poll that serves the rebalance: no record of these partitions is handed
        // over before the hook returns (state restored first).
        if let hooks = context.hooks.withLock({ $0 }), !changed.isEmpty { hooks.assigned(changed) }
    } else {
        // Before giving them up: the hook finishes (or abandons) work on them, so their next
        // owner does not overlap with this one.
        if let hooks = context.hooks.withLock({ $0 }), !changed.isEmpty { hooks.revoked(changed) }
        // Revoked (or lost). No explicit commit here: with enable.auto.commit=true librdkafka
        // itself commits the stored offsets of removed partitions when the unassign is
        // served, and the rebalance waits for that commit (rdkafka_assignment.c,
        // "Commit final offsets to broker for the removed partitions").
        if cooperative {
            if let failure = rd_kafka_incremental_unassign(handle, partitions) {
                rd_kafka_error_destroy(failure)
            }
        } else {
            _ = rd_kafka_assign(handle, nil)
        }
        context.ledger.withLock { $0.revoke(changed, all: !cooperative) }
        context.logger.info("partitions revoked", metadata: ["relance.kafka.partitions": "\(changed.sorted())"])
    }
}
