import Events
import Foundation
import Money
import Testing

/// The tick's hand-written JSON (`EventJSONWritable`) against `EventJSON.encode`: the same
/// bytes, on values chosen to hit every escape, every optional field present and absent, and
/// amounts and dates at their extremes.
@Suite struct HandWrittenEventJSONTests {
    /// SplitMix64: a seeded generator, so a failure shows the same values again.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Every ASCII character (controls, quote, backslash, slash, DEL), then non-ASCII ones:
    /// accents, a combining accent, the euro sign, an emoji, the line and paragraph
    /// separators, a byte-order mark.
    static let alphabet: [String] = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        + ["é", "e\u{301}", "€", "😀", "\u{2028}", "\u{2029}", "\u{FEFF}", "ß", "Œ", "日本"]

    static func text(_ random: inout Seeded, maxLength: Int = 12) -> String {
        let length = Int.random(in: 0...maxLength, using: &random)
        return (0..<length).map { _ in alphabet.randomElement(using: &random) ?? "" }.joined()
    }

    static func optionalText(_ random: inout Seeded) -> String? {
        Bool.random(using: &random) ? text(&random) : nil
    }

    static func amount(_ random: inout Seeded) -> Money {
        let extremes: [Int64] = [0, 1, -1, Int64.max, Int64.min, 999_999_999_999, -40_00]
        let minorUnits = Bool.random(using: &random) ? extremes.randomElement(using: &random) ?? 0 : Int64.random(in: -1_000_000_00...1_000_000_00, using: &random)
        let currency = [Currency.eur, .usd, .jpy, .chf].randomElement(using: &random) ?? .eur
        return Money(minorUnits: minorUnits, currency: currency)
    }

    static func day(_ random: inout Seeded) -> CalendarDate {
        // Years 0001 to beyond 9999 (written without padding), and the dates near today.
        Bool.random(using: &random)
            ? CalendarDate(daysSinceEpoch: Int.random(in: -719_162...3_000_000, using: &random))
            : CalendarDate(daysSinceEpoch: Int.random(in: 20_000...21_000, using: &random))
    }

    static func address(_ random: inout Seeded) -> PostalAddressSnapshot? {
        guard Bool.random(using: &random) else { return nil }
        return PostalAddressSnapshot(lines: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) },
                                     postalCode: text(&random), city: text(&random), country: text(&random))
    }

    static func command(_ random: inout Seeded) -> NotificationRequested {
        let recipients = (0..<Int.random(in: 0...3, using: &random)).map { _ in
            NotificationRecipient(contactId: text(&random), name: text(&random), role: text(&random), email: optionalText(&random),
                                  phone: optionalText(&random), postalAddress: address(&random),
                                  cc: Bool.random(using: &random) ? (0..<Int.random(in: 0...2, using: &random)).map { _ in text(&random) } : nil)
        }
        let invoices = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            ClaimedInvoice(invoiceId: text(&random), invoiceNumber: text(&random), issueDate: day(&random), dueDate: day(&random),
                           total: amount(&random), balance: amount(&random), daysOverdue: Int.random(in: -100_000...100_000, using: &random),
                           paymentReference: optionalText(&random), lateInterest: amount(&random), recoveryIndemnity: amount(&random))
        }
        return NotificationRequested(
            notificationId: text(&random), customerId: text(&random),
            channel: NotificationChannel(rawValue: text(&random)),
            fallbackChannel: Bool.random(using: &random) ? NotificationChannel(rawValue: text(&random)) : nil,
            language: text(&random), templateId: NotificationTemplateId(rawValue: text(&random)), recipients: recipients,
            sender: CreditorSnapshot(legalName: text(&random), iban: text(&random), bic: optionalText(&random), replyTo: optionalText(&random),
                                     postalAddress: address(&random)),
            customer: .init(customerNumber: text(&random), legalName: text(&random)), invoices: invoices,
            totals: ClaimTotals(balance: amount(&random), lateInterest: amount(&random), recoveryIndemnity: amount(&random), totalClaimed: amount(&random)),
            payBy: day(&random),
            formalNotice: Bool.random(using: &random)
                ? .init(responseDeadline: day(&random), annualInterestRateBasisPoints: Int.random(in: Int.min...Int.max, using: &random)) : nil,
            scenario: DunningStepReference(name: text(&random), version: Int.random(in: Int.min...Int.max, using: &random), stepId: text(&random)))
    }

    static func executed(_ random: inout Seeded) -> DunningStepExecuted {
        // Instants from before 1970 to far ahead, with and without milliseconds.
        let seconds = Double(Int64.random(in: -2_000_000_000...40_000_000_000, using: &random)) / (Bool.random(using: &random) ? 1 : 1000)
        return DunningStepExecuted(
            customerId: text(&random), invoiceIds: (0..<Int.random(in: 0...5, using: &random)).map { _ in text(&random) },
            step: DunningStepReference(name: text(&random), version: Int.random(in: -5...500, using: &random), stepId: text(&random)),
            channel: DunningStepChannel(rawValue: text(&random)), notificationId: optionalText(&random), taskId: optionalText(&random),
            caseId: optionalText(&random), executedAt: Date(timeIntervalSince1970: seconds))
    }

    static func task(_ random: inout Seeded) -> DunningTaskCreated {
        DunningTaskCreated(
            customerId: text(&random), taskId: text(&random), kind: DunningTaskKind(rawValue: text(&random)),
            invoiceIds: (0..<Int.random(in: 0...5, using: &random)).map { _ in text(&random) }, dueOn: day(&random),
            step: Bool.random(using: &random) ? DunningStepReference(name: text(&random), version: 2, stepId: text(&random)) : nil,
            contactId: optionalText(&random))
    }

    static func show(_ data: Data) -> String { String(decoding: data, as: UTF8.self) }

    @Test func notificationRequestedIsWrittenAsEventJSONEncodesIt() throws {
        var random = Seeded(state: 9)
        for _ in 0..<2_000 {
            let command = Self.command(&random)
            let expected = try EventJSON.encode(command)
            let written = EventJSONWriter.encode(command)
            try #require(written == expected, "\(Self.show(written))\nis not\n\(Self.show(expected))")
        }
    }

    @Test func dunningStepExecutedIsWrittenAsEventJSONEncodesIt() throws {
        var random = Seeded(state: 18)
        for _ in 0..<2_000 {
            let executed = Self.executed(&random)
            let expected = try EventJSON.encode(executed)
            let written = EventJSONWriter.encode(executed)
            try #require(written == expected, "\(Self.show(written))\nis not\n\(Self.show(expected))")
        }
    }

    @Test func dunningTaskCreatedIsWrittenAsEventJSONEncodesIt() throws {
        var random = Seeded(state: 36)
        for _ in 0..<2_000 {
            let task = Self.task(&random)
            let expected = try EventJSON.encode(task)
            let written = EventJSONWriter.encode(task)
            try #require(written == expected, "\(Self.show(written))\nis not\n\(Self.show(expected))")
        }
    }

    @Test func everyEscapeIsWrittenAsJSONEncoderWritesIt() throws {
        // One string with every character of the alphabet, so none is left to chance.
        let all = Self.alphabet.joined()
        let reference = DunningStepReference(name: all, version: 1, stepId: "\"\\/\u{0}\u{1F}\u{7F}")
        #expect(EventJSONWriter.encode(reference) == (try EventJSON.encode(reference)))
    }

    @Test func aReusedWriterStartsAfreshAfterReset() throws {
        var random = Seeded(state: 27)
        var writer = EventJSONWriter(capacity: 16)
        for _ in 0..<50 {
            let executed = Self.executed(&random)
            writer.reset()
            executed.writeJSON(to: &writer)
            #expect(writer.data == (try EventJSON.encode(executed)))
        }
    }

    /// The stored properties of every type the hand-written JSON covers. When this fails, a
    /// field was added or renamed: write it in the type's `+JSON.swift` (or
    /// `EventJSONWriter`) and give it values in the generators above, then update this list.
    @Test func theHandWrittenTypesHaveTheFieldsTheirWritersWrite() throws {
        var random = Seeded(state: 54)
        func labels(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
        var command = Self.command(&random)
        command.formalNotice = .init(responseDeadline: Self.day(&random), annualInterestRateBasisPoints: 1)
        let recipient = NotificationRecipient(contactId: "c", name: "n", role: "r", email: nil, phone: nil, postalAddress: nil, cc: nil)
        let invoice = ClaimedInvoice(invoiceId: "i", invoiceNumber: "n", issueDate: Self.day(&random), dueDate: Self.day(&random),
                                     total: Self.amount(&random), balance: Self.amount(&random), daysOverdue: 1, paymentReference: nil,
                                     lateInterest: Self.amount(&random), recoveryIndemnity: Self.amount(&random))
        let expected: [(Any, [String])] = [
            (command, ["notificationId", "customerId", "channel", "fallbackChannel", "language", "templateId", "recipients", "sender",
                       "customer", "invoices", "totals", "payBy", "formalNotice", "scenario"]),
            (command.customer, ["customerNumber", "legalName"]),
            (try #require(command.formalNotice), ["responseDeadline", "annualInterestRateBasisPoints"]),
            (recipient, ["contactId", "name", "role", "email", "phone", "postalAddress", "cc"]),
            (command.sender, ["legalName", "iban", "bic", "replyTo", "postalAddress"]),
            (PostalAddressSnapshot(lines: [], postalCode: "", city: "", country: ""), ["lines", "postalCode", "city", "country"]),
            (invoice, ["invoiceId", "invoiceNumber", "issueDate", "dueDate", "total", "balance", "daysOverdue", "paymentReference",
                       "lateInterest", "recoveryIndemnity"]),
            (command.totals, ["balance", "lateInterest", "recoveryIndemnity", "totalClaimed"]),
            (command.scenario, ["name", "version", "stepId"]),
            (command.totals.balance, ["minorUnits", "currency"]),
            (Self.executed(&random), ["customerId", "invoiceIds", "step", "channel", "notificationId", "taskId", "caseId", "executedAt"]),
            (Self.task(&random), ["customerId", "taskId", "kind", "invoiceIds", "dueOn", "step", "contactId"]),
        ]
        for (value, fields) in expected {
            #expect(labels(value) == fields, "\(type(of: value))")
        }
    }
}
