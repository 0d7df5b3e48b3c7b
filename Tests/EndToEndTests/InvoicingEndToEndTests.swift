import AsyncHTTPClient
import Events
import Foundation
import Logging
import Messaging
import Money
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import RelanceTestSupport
import Testing

/// Runs the real `invoicing` executable against the real broker.
@Suite(.timeLimit(.minutes(3)))
struct InvoicingEndToEndTests {
    let logger = Logger(label: "e2e")

    @Test func issuedInvoiceIsPublishedAndADoublyDeliveredAllocationPaysItOnce() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let capture = try EventCapture(test: "issuedInvoiceIsPublishedAndADoublyDeliveredAllocationPaysItOnce")
        let service = try ServiceProcess("invoicing", broker: broker, prefix: configuration.topics.prefix)
        defer { service.stop() }
        try await service.waitUntilReady()

        // Given a customer and an invoice created through the API
        let customer = try await service.post("/v1/customers", [
            "customerNumber": "E2E-1", "legalName": "Fromagerie Test", "country": "FR", "language": "fr",
            "timeZone": "Europe/Paris", "defaultCurrency": "EUR", "paymentTerms": "net:30",
            "contacts": [["name": "Compta", "email": "compta@fromagerie.test", "role": "accounting"]],
        ])
        let customerId = try #require(customer["id"] as? String)
        let invoice = try await service.post("/v1/invoices", [
            "number": "E2E-F-1", "customerNumber": "E2E-1", "issueDate": "2026-05-01", "currency": "EUR",
            "total": ["minorUnits": 250_00, "currency": "EUR"],
        ])
        let invoiceId = try #require(invoice["id"] as? String)

        // Then invoice.issued is on the invoices topic, keyed by the customer id
        let invoicesTopic = configuration.topics.name(of: .invoices)
        let issued = try await readTopic(invoicesTopic, configuration: configuration, atLeast: 1)
        try capture.write(issued)
        let issuedRecord = try #require(issued.first { $0.header(CloudEvents.typeHeader) == InvoiceIssued.eventType })
        #expect(issuedRecord.keyString == customerId)
        let issuedEvent = try CloudEvents.envelope(from: issuedRecord).decode(InvoiceIssued.self)
        #expect(issuedEvent.number == "E2E-F-1")
        #expect(issuedEvent.totalAmount == Money(minorUnits: 250_00, currency: .eur))

        // When the allocation is delivered twice on the payments topic
        let allocation = try Envelope(
            PaymentAllocated(
                customerId: customerId, paymentId: "pay-1", allocationId: "alloc-1", invoiceId: invoiceId,
                invoiceNumber: "E2E-F-1", amount: Money(minorUnits: 250_00, currency: .eur),
                valueDate: try CalendarDate(iso8601: "2026-05-20")),
            source: "/relance/payment-matching", time: Date())
        let producer = try Producer(configuration: configuration, logger: logger)
        try await withRunningServices([producer]) {
            let record = CloudEvents.record(for: allocation, topic: configuration.topics.name(of: .payments))
            try await producer.send([record, record])
        }

        // Then the invoice is paid, and invoice.paid / balance-changed were published once
        let paid = await eventually(timeout: .seconds(30)) {
            (try? await service.get("/v1/invoices/\(invoiceId)"))?["status"] as? String == "paid"
        }
        #expect(paid)
        let all = try await readTopic(invoicesTopic, configuration: configuration, atLeast: 3)
        try capture.write(all)
        try await Task.sleep(for: .seconds(1))
        let types = all.compactMap { $0.header(CloudEvents.typeHeader) }
        #expect(types.filter { $0 == InvoicePaid.eventType }.count == 1)
        #expect(types.filter { $0 == InvoiceBalanceChanged.eventType }.count == 1)

        // And the customer and payment records on the wire are captured for the contract check
        if capture.isEnabled {
            try capture.write(try await readTopic(configuration.topics.name(of: .customers), configuration: configuration, atLeast: 1))
            try capture.write(try await readTopic(configuration.topics.name(of: .payments), configuration: configuration, atLeast: 2))
        }

        // And the service stops cleanly on SIGTERM
        #expect(await service.terminate() == 0)
    }
}

/// Writes the records an end-to-end test consumed to `RELANCE_CAPTURED_EVENTS_DIR`, one JSON
/// file per record, for `Deploy/local/check-events.py` to validate against the contract
/// (`docs/events/`): its schema by `ce_type`, its headers, and the record key rule.
///
/// File format: `{"topic", "partition", "offset", "key", "headers": {name: value}, "value"}`,
/// the value as the record's exact UTF-8 text. A record read twice lands in the same file. When
/// the variable is set, a `_capture-started-<test>` marker is written first, so the check fails
/// if a test that started capturing left no event. Without the variable nothing is written.
struct EventCapture {
    let directory: URL?

    var isEnabled: Bool { directory != nil }

    init(test: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let path = environment["RELANCE_CAPTURED_EVENTS_DIR"], !path.isEmpty else {
            directory = nil
            return
        }
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("\(test)\n".utf8).write(to: directory.appendingPathComponent("_capture-started-\(test)"))
        self.directory = directory
    }

    func write(_ records: [ConsumerRecord]) throws {
        guard let directory else { return }
        for record in records {
            var headers: [String: String] = [:]
            for header in record.headers where headers[header.name] == nil {
                headers[header.name] = header.stringValue
            }
            let captured: [String: Any] = [
                "topic": record.topic, "partition": Int(record.partition), "offset": Int(record.offset),
                "key": record.keyString ?? NSNull(), "headers": headers,
                "value": String(decoding: record.value, as: UTF8.self),
            ]
            let data = try JSONSerialization.data(withJSONObject: captured, options: [.prettyPrinted, .sortedKeys])
            let name = "event-\(record.topic)-\(record.partition)-\(record.offset).json"
            try data.write(to: directory.appendingPathComponent(name), options: .atomic)
        }
    }
}
