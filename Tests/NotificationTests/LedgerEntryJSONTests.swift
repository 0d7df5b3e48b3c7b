import Events
import Foundation
import NotificationTemplates
import Testing
@testable import Notification

/// The hand-written encoding of ledger entries must be `JSONEncoder`'s bytes (sorted keys,
/// ISO 8601 dates): rows and changelog records written before and after it are alike, and
/// the decoder reads them back unchanged.
@Suite struct LedgerEntryJSONTests {
    /// Texts that exercise every escape: quotes, backslashes, slashes, each control
    /// character, DEL, non-ASCII, line separators, emoji.
    static let texts: [String] = [
        "", "plain", "say \"hi\"", #"back\slash"#, "a/b</script>", "tab\there", "cr\r\nlf\n", "\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}",
        "Créancier Exemple SAS", "l\u{2028}s\u{2029}p", "emoji 🧾 and e\u{301}", "{{7*7}} <b>&amp;</b>",
        String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) }),
    ]

    static func entries() -> [LedgerEntry] {
        var generator = SystemRandomNumberGenerator()
        var entries: [LedgerEntry] = []
        let states: [NotificationState] = [.received, .sending, .sent, .failed, .unconfirmed, .parked]
        for index in 0..<200 {
            func text() -> String { texts[Int.random(in: 0..<texts.count, using: &generator)] }
            var entry = LedgerEntry(
                notificationId: "id-\(index)-" + text(), customerId: text(), partition: Int32.random(in: 0...Int32.max, using: &generator),
                channel: text(), state: states[index % states.count], attempts: Int.random(in: 0...Int.max, using: &generator),
                delivered: (0..<(index % 3)).map { _ in text() }, providerMessageIds: (0..<(index % 4)).map { _ in text() },
                lastError: index % 2 == 0 ? text() : nil, fallbackUsed: index % 5 == 0 ? text() : nil,
                // Whole seconds, and fractions the ISO 8601 strategy drops.
                updatedAt: Date(timeIntervalSince1970: Double(Int.random(in: 0...4_102_444_800, using: &generator))
                    + (index % 2 == 0 ? 0 : Double.random(in: 0..<1, using: &generator))))
            if index % 3 == 0 { entry.cost = Int64.random(in: Int64.min...Int64.max, using: &generator) }
            if index % 4 == 0 { entry.spentOn = "2027-01-0\(index % 9 + 1)" }
            if index % 6 == 0 { entry.releasedByOperator = index % 12 == 0 }
            entries.append(entry)
        }
        return entries
    }

    @Test func entriesAreEncodedToTheBytesJSONEncoderWrites() throws {
        for entry in Self.entries() {
            let expected = try NotificationLedger.encoder.encode(entry)
            let written = try NotificationLedger.encode(entry)
            #expect(written == expected, "\(String(decoding: written, as: UTF8.self)) vs \(String(decoding: expected, as: UTF8.self))")
        }
    }

    @Test func anEncodedEntryDecodesToItselfToTheSecond() throws {
        for entry in Self.entries() {
            var decoded = try NotificationLedger.decoder.decode(LedgerEntry.self, from: NotificationLedger.encode(entry))
            #expect(decoded.updatedAt == Date(timeIntervalSince1970: entry.updatedAt.timeIntervalSince1970.rounded(.down)))
            decoded.updatedAt = entry.updatedAt
            #expect(decoded == entry)
        }
    }

    @Test func anEntryHoldingAParkedCommandIsEncodedByJSONEncoder() throws {
        var entry = LedgerEntry(notificationId: "n-parked", customerId: "c", partition: 1, channel: "sms", state: .parked,
                                updatedAt: Date(timeIntervalSince1970: 1_800_000_000))
        entry.command = .templateSample
        #expect(try NotificationLedger.encode(entry) == NotificationLedger.encoder.encode(entry))
        #expect(try NotificationLedger.decoder.decode(LedgerEntry.self, from: NotificationLedger.encode(entry)) == entry)
    }
}
