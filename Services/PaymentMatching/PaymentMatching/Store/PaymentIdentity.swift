import Events
import Foundation
import Money

/// What makes two bank entries the same payment, so that importing a statement again, or an
/// overlapping one, adds nothing twice.
///
/// - With a bank reference (the entry reference `AcctSvcrRef` / `NtryRef`, else the bank
///   reference of the `:61:` line or the CFONB record), the identity is the account, the
///   reference, the amount and the booking date: banks that reuse references across days or
///   amounts do not merge different payments.
/// - Without one (or `NONREF`), it is a digest of everything the entry says (account, dates,
///   amount, payer, remittance, end-to-end id) plus the entry's rank among identical entries
///   of the same file: two identical transfers on one day stay two payments, and the same file
///   imported again yields the same ranks.
/// - A transaction of a batch entry adds its end-to-end id, else its position in the batch.
struct PaymentIdentity: Hashable {
    let value: String

    static func of(account: String, entry: StatementEntry, amount: Money, occurrence: (String) -> Int) -> PaymentIdentity {
        let base = "\(account)|\(amount.currency.code)|\(amount.minorUnits)|\(entry.bookingDate?.description ?? "-")"
        if let reference = usableReference(entry.entryReference) ?? usableReference(entry.bankReference) {
            return PaymentIdentity(value: "ref|\(base)|\(reference)")
        }
        var content = base
        content += "|" + (entry.valueDate?.description ?? "-")
        content += "|" + (entry.endToEndId ?? "")
        content += "|" + (entry.counterparty?.iban ?? "") + "|" + (entry.counterparty?.name ?? "")
        content += "|" + entry.remittance.structured.joined(separator: ";") + "|" + (entry.remittance.unstructured ?? "")
        let digest = digestHex(content)
        return PaymentIdentity(value: "content|\(base)|\(digest)#\(occurrence(digest))")
    }

    /// The identity of the `index`-th transaction of a batch entry.
    func transaction(_ index: Int, endToEndId: String?) -> PaymentIdentity {
        if let endToEndId = PaymentIdentity.usableReference(endToEndId) {
            return PaymentIdentity(value: "\(value)|e2e:\(endToEndId)")
        }
        return PaymentIdentity(value: "\(value)|tx:\(index)")
    }

    static func usableReference(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else { return nil }
        let upper = trimmed.uppercased()
        return upper == "NONREF" || upper == "NOTPROVIDED" ? nil : trimmed
    }

    /// FNV-1a 64 twice (two seeds) as 32 hex digits: a stable digest, not a security measure.
    static func digestHex(_ text: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
