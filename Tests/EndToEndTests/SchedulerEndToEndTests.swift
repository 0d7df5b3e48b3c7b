import AsyncHTTPClient
import Events
import Foundation
import Messaging
import Money
import NIOHTTP1
import RelanceTestSupport
import ScenarioScheduler
import Testing

/// Runs the real `invoicing`, `payment-matching` and `scenario-scheduler` executables against
/// the real broker, the scheduler on its development clock: two invoices fall due, time
/// passes, one consolidated command appears on `notification-requests`; a bank statement pays
/// one, and the next step reminds only the other; restarted on the same store with a new
/// consumer group (every topic replayed from the start), the scheduler publishes nothing new.
@Suite(.timeLimit(.minutes(4)))
struct SchedulerEndToEndTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    @Test func remindersGoOnceStopWhenPaidAndAreNotRepeatedOnReplay() async throws {
        let broker = try await TestBroker.shared()
        let configuration = broker.configuration()
        let prefix = configuration.topics.prefix
        let capture = try EventCapture(test: "remindersGoOnceStopWhenPaidAndAreNotRepeatedOnReplay")
        let schedulerSettings = [
            "RELANCE_MODE": "development", "RELANCE_DEV_CLOCK": "true", "RELANCE_FRESHNESS_BUSINESS_DAYS": "0",
            "RELANCE_TICK_INTERVAL": "500ms",
        ]
        let invoicing = try ServiceProcess("invoicing", broker: broker, prefix: prefix)
        defer { invoicing.stop() }
        let matching = try ServiceProcess("payment-matching", broker: broker, prefix: prefix)
        defer { matching.stop() }
        let scheduler = try ServiceProcess("scenario-scheduler", broker: broker, prefix: prefix, environment: schedulerSettings)
        defer { scheduler.stop() }
        try await invoicing.waitUntilReady()
        try await matching.waitUntilReady()
        try await scheduler.waitUntilReady()

        // Given a customer with two invoices due in 10 days: the courtesy reminder (due - 5) is
        // still ahead, so no tick can remind one invoice before the scheduler knows the other
        // (with "due in 5 days", a run inside the sending window reminded the first one alone).
        let today = CalendarDate(date: Date(), in: Self.paris)
        let customer = try await invoicing.post("/v1/customers", [
            "customerNumber": "SC-1", "legalName": "Menuiserie Roux", "country": "FR", "language": "fr", "timeZone": "Europe/Paris",
            "defaultCurrency": "EUR", "paymentTerms": "net:30",
            "billingAddress": ["lines": ["3 rue du Port"], "postalCode": "13002", "city": "Marseille", "country": "FR"],
            "contacts": [["name": "Compta", "email": "compta@menuiserie-roux.test", "role": "accounting"]],
        ])
        let customerId = try #require(customer["id"] as? String)
        var invoices: [(id: String, reference: String)] = []
        for (number, cents) in [("SC-F-1", 150_00), ("SC-F-2", 300_00)] {
            let invoice = try await invoicing.post("/v1/invoices", [
                "number": number, "customerNumber": "SC-1", "issueDate": today.adding(days: -20).description, "currency": "EUR",
                "total": ["minorUnits": cents, "currency": "EUR"],
            ])
            invoices.append((try #require(invoice["id"] as? String), try #require(invoice["paymentReference"] as? String)))
        }
        let due = today.adding(days: 10)
        let known = await eventually(timeout: .seconds(30)) {
            var seen = 0
            for invoice in invoices where (try? await scheduler.request("/v1/invoices/\(invoice.id)/dunning", method: .GET, body: nil).status) == 200 {
                seen += 1
            }
            return seen == 2
        }
        #expect(known, "the scheduler saw both invoices on the invoices topic")

        // When its clock moves 16 days past the due date (catch-up: courtesy, reminder-1 and -2 passed)
        let clock = DunningClock.standard
        let firstStop = clock.firstSendInstant(onOrAfter: due.adding(days: 16), in: Self.paris).addingTimeInterval(3_600)
        try await Self.advance(scheduler, to: firstStop)
        let requests = configuration.topics.name(of: .notificationRequests)
        let first = try await readTopic(requests, configuration: configuration, atLeast: 1)
        // Then one consolidated command lists both invoices
        #expect(first.count == 1)
        let command = try EventJSON.decoder.decode(NotificationRequested.self, from: Data(try #require(first.first).value))
        #expect(Set(command.invoices.map(\.invoiceId)) == Set(invoices.map(\.id)))
        #expect(command.customerId == customerId)
        #expect(first.first?.keyString == customerId)
        #expect(command.recipients.map(\.email) == ["compta@menuiserie-roux.test"])

        // When a bank statement pays the first invoice
        let statement = PaymentMatchingEndToEndTests.camt053([
            PaymentMatchingEndToEndTests.entry("150.00", reference: "SC-B1",
                                               remittance: "<Strd><CdtrRefInf><Ref>\(invoices[0].reference)</Ref></CdtrRefInf></Strd>"),
        ])
        let upload = try await matching.request("/v1/statements?fileName=sc.xml", method: .POST, body: Data(statement.utf8), contentType: "application/xml")
        #expect(upload.status == 201)
        let stopped = await eventually(timeout: .seconds(30)) {
            let state = (try? await scheduler.get("/v1/invoices/\(invoices[0].id)/dunning"))?["state"] as? [String: Any]
            return state?["suspendedBecause"] as? String == "settled"
        }
        #expect(stopped, "the paid invoice left the schedule")

        // And the clock reaches the formal notice (due + 30)
        let secondStop = clock.firstSendInstant(onOrAfter: due.adding(days: 31), in: Self.paris).addingTimeInterval(3_600)
        try await Self.advance(scheduler, to: secondStop)
        let both = try await readTopic(requests, configuration: configuration, atLeast: 2)
        #expect(both.count == 2)
        let notice = try EventJSON.decoder.decode(NotificationRequested.self, from: Data(try #require(both.last).value))
        #expect(notice.invoices.map(\.invoiceId) == [invoices[1].id], "only the unpaid invoice is reminded")
        #expect(notice.templateId == .formalNotice)
        #expect(notice.invoices.first?.recoveryIndemnity.minorUnits == 40_00)

        // When the scheduler restarts on its store with a new consumer group: every topic replays
        #expect(await scheduler.terminate() == 0)
        let replaying = try ServiceProcess("scenario-scheduler", broker: broker, prefix: prefix, environment: schedulerSettings,
                                           directory: scheduler.directory)
        defer { replaying.stop() }
        try await replaying.waitUntilReady()
        try await Self.advance(replaying, to: secondStop.addingTimeInterval(60))
        // Give the replay time to go through the topics, then tick again.
        try await Task.sleep(for: .seconds(5))
        _ = try await replaying.request("/v1/tick", method: .POST, body: Data("{}".utf8))
        try await Task.sleep(for: .seconds(2))
        // Then nothing new is requested
        let after = try await readTopic(requests, configuration: configuration, atLeast: 3, timeout: .seconds(5))
        #expect(after.count == 2, "a replay requests nothing again")
        let dunning = configuration.topics.name(of: .dunning)
        try capture.write(after + (try await readTopic(dunning, configuration: configuration, atLeast: 1)))
        #expect(await replaying.terminate() == 0)
        #expect(await matching.terminate() == 0)
        #expect(await invoicing.terminate() == 0)
    }

    static func advance(_ scheduler: ServiceProcess, to instant: Date) async throws {
        let body = try JSONSerialization.data(withJSONObject: ["to": EventJSON.formatInstant(instant)])
        let response = try await scheduler.request("/v1/clock/advance", method: .POST, body: body)
        guard response.status == 200 else {
            throw TestSupportError("clock/advance answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
    }
}
