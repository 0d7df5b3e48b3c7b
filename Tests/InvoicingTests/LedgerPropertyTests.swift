import Events
import Foundation
import GRDB
import Invoicing
import Money
import PropertyBased
import Testing

/// Random sequences of balance operations keep every invoice's books straight.
///
/// Each case registers a customer (applying credit automatically or not), then runs up to 30
/// steps drawn at random: issue an invoice, allocate a payment (exactly the balance, part of
/// it, or more than it; or redeliver the last one; or part of it with a `writeOff` of bank
/// fees equal to, below or above the rest), reverse an allocation, issue a credit note
/// (part, all, or beyond the open balance: the rest becomes credit), issue a standalone credit
/// note, apply credit to an invoice (as much as possible or part), receive a payment on account
/// or reverse one, write off as a loss or
/// within a tolerance, write off part of the balance within a tolerance, cancel, open or resolve a dispute. Business refusals
/// (`InvoicingError`) are allowed and must change nothing; anything else fails the case. After
/// every step, for every invoice, the test checks against the database's own tables:
///
/// - total = paid + credited + written off + voided + open, no amount negative;
/// - paid = the applied amounts of its allocations not reversed + the credit from payments
///   applied to it and not re-opened; credited = what its credit notes gave it + the credit
///   from credit notes applied to it;
/// - every credit item: amount = open + applied (net of re-opened applications) + withdrawn;
///   an overpayment's item is the excess of its allocation, and once that allocation is
///   reversed nothing of it is open or applied any more; the same for a payment on account
///   (its item is its amount) and its reversal; the customer's credit (the API's
///   `Customer.credit`) = the sum of the items' open amounts, never negative;
/// - the status follows the amounts, `paidOn` is set exactly when paid;
/// - the open balance reached zero ⇔ one new `invoice.settled` (with the status), left zero ⇔
///   one new `invoice.reopened` (with the balance), nothing else published either;
/// - `invoice.paid` published once exactly when the invoice has ever been `paid`.
///
/// 100 cases per run (about 6 s alone on a 2-core machine), each run with a new seed; a failure prints the
/// shrunk sequence and the seed to replay it with `.fixedSeed(...)`.
@Suite struct LedgerPropertyTests {
    /// One random operation; the numbers are interpreted against the state when it runs.
    struct Step: Sendable, CustomStringConvertible {
        var operation: Int
        var amount: Int64
        var pick: Int

        var description: String { "\(Self.names[operation % Self.names.count])(amount: \(amount), pick: \(pick))" }

        static let names = [
            "issue", "payExactly", "payPart", "overpay", "redeliver", "reverse", "creditPart", "creditAll",
            "creditTooMuch", "writeOff", "writeOffRemainder", "writeOffPart", "cancel", "dispute", "resolveDispute",
            "applyCredit", "applyCreditPart", "standaloneCredit", "payOnAccount", "reverseOnAccount", "payShortWithWriteOff",
        ]
    }

    static let steps = zip(Gen.int(in: 0...(Step.names.count - 1)), Gen.int64(in: 1...200_00), Gen.int(in: 0...1_000))
        .map { Step(operation: $0, amount: $1, pick: $2) }
        .array(of: 1...30)

    /// What the test remembers of one invoice between steps.
    struct Tracked {
        var id: String
        var open: Int64
        var everPaid = false
    }

    @Test("after every step of a random sequence, amounts, statuses and events agree")
    func booksStayStraight() async throws {
        // The body records a thrown error itself: swift-property-based 2.x (Swift 6.2 and
        // later) drops an error the body throws (`try?` in its `countIssues`), so a failing
        // store operation would otherwise pass unseen.
        await propertyCheck(count: 100, input: zip(Gen.int64(in: 1...150_00), Gen.bool), Self.steps) { first, steps in
            do {
                try await run(firstTotal: first.0, autoApply: first.1, steps: steps)
            } catch {
                Issue.record("the sequence threw: \(error)")
            }
        }
    }

    /// Found by CI: the reversed payment on account had been applied to F-1 twice (once on
    /// receipt, once when the first payment's reversal re-opened it), and each re-opened
    /// application published its own `invoice.reopened`, the first with half the balance.
    @Test("reversing credit applied twice to one invoice re-opens it once, with the whole balance")
    func reversedCreditAppliedTwiceReopensOnce() async throws {
        func step(_ name: String, _ amount: Int64) throws -> Step {
            let operation = try #require(Step.names.firstIndex(of: name))
            return Step(operation: operation, amount: amount, pick: 0)
        }
        try await run(firstTotal: 2, autoApply: true, steps: [
            step("payPart", 1), step("payOnAccount", 2), step("reverse", 1), step("issue", 1), step("reverseOnAccount", 1),
        ])
    }

    private func run(firstTotal: Int64, autoApply: Bool, steps: [Step]) async throws {
        let fixture = try InvoicingFixture()
        try fixture.setToday("2026-05-28")
        var draft = try InvoicingFixture.customer()
        draft.autoApplyCredit = autoApply
        let customer = try await fixture.database.registerCustomer(draft)
        var invoices: [Tracked] = []
        var allocations: [(invoice: String, id: String)] = []
        var lastAllocation: Envelope?
        var onAccount: [PaymentReceivedOnAccount] = []
        var reversedOnAccount: Set<String> = []
        var numbers = 0
        var lastSequence: Int64 = 0
        func issue(_ cents: Int64) async throws {
            numbers += 1
            let invoice = try await fixture.database.issueInvoice(try InvoicingFixture.invoice("F-\(numbers)", cents: cents))
            invoices.append(Tracked(id: invoice.id, open: cents))
        }
        try await issue(firstTotal)

        for (index, step) in steps.enumerated() {
            let target = invoices[step.pick % invoices.count]
            let invoice = try #require(try await fixture.database.invoice(id: target.id))
            let eventsBefore = try fixture.outboxTypes().count
            let balance = invoice.balance.minorUnits
            func money(_ cents: Int64) -> Money { Money(minorUnits: cents, currency: .eur) }
            func allocate(_ cents: Int64, writeOff: Int64? = nil) async throws {
                let id = "alloc-\(index)"
                let envelope = try InvoicingFixture.allocation(
                    invoice, cents: cents, id: id, on: "2026-05-\(10 + index % 19)", writeOff: writeOff.map(money))
                _ = try await fixture.database.applyPaymentEvent(envelope)
                allocations.append((invoice.id, id))
                lastAllocation = envelope
            }
            do {
                switch Step.names[step.operation] {
                case "issue": try await issue(step.amount)
                case "payExactly": try await allocate(max(balance, 1))
                case "payPart": try await allocate(balance > 1 ? 1 + step.amount % (balance - 1) : step.amount)
                case "overpay": try await allocate(balance + step.amount)
                case "redeliver":
                    if let lastAllocation {
                        #expect(try await fixture.database.applyPaymentEvent(lastAllocation) == .duplicate)
                    }
                case "reverse":
                    if !allocations.isEmpty {
                        let (_, allocationId) = allocations[step.pick % allocations.count]
                        _ = try await fixture.database.applyPaymentEvent(try fixture.reversal(ofAllocation: allocationId, at: Date()))
                    }
                case "payShortWithWriteOff":
                    // Part of the balance paid, bank fees for the rest: exactly it, less, or more
                    // than is open (invoicing writes off at most the open balance).
                    let fees = 1 + step.amount % 8_00
                    let paid = balance > fees ? balance - fees : max(balance, 1)
                    let claimed = switch step.pick % 3 {
                    case 0: fees
                    case 1: max(1, fees / 2)
                    default: fees + 1 + step.amount % 3_00
                    }
                    try await allocate(paid, writeOff: claimed)
                case "payOnAccount":
                    let received = PaymentReceivedOnAccount(
                        customerId: customer.id, paymentId: "acct-\(index)", amount: money(step.amount),
                        valueDate: try CalendarDate(iso8601: "2026-05-\(10 + index % 19)"))
                    _ = try await fixture.database.applyPaymentEvent(
                        try Envelope(received, source: "/relance/payment-matching", time: Date()))
                    onAccount.append(received)
                case "reverseOnAccount":
                    if !onAccount.isEmpty {
                        let received = onAccount[step.pick % onAccount.count]
                        _ = try await fixture.database.applyPaymentEvent(try Envelope(
                            PaymentReversed(customerId: customer.id, paymentId: received.paymentId, allocationId: nil, invoiceId: nil,
                                            amount: received.amount, reason: "returned"),
                            source: "/relance/payment-matching", time: Date()))
                        reversedOnAccount.insert(received.paymentId)
                    }
                case "creditPart", "creditAll", "creditTooMuch":
                    let cents = switch Step.names[step.operation] {
                    case "creditPart": balance > 1 ? 1 + step.amount % (balance - 1) : step.amount
                    case "creditAll": max(balance, 1)
                    default: balance + step.amount
                    }
                    _ = try await fixture.database.issueCreditNote(
                        invoiceId: invoice.id, CreditNoteDraft(number: "AV-\(index)", amount: money(cents), reason: "random"))
                case "writeOff": _ = try await fixture.database.writeOff(invoiceId: invoice.id, reason: "random")
                case "writeOffRemainder":
                    _ = try await fixture.database.writeOffRemainder(invoiceId: invoice.id, tolerance: money(step.amount % 10_00), reason: "fees")
                case "writeOffPart":
                    // Up to 8.00 against a 5.00 tolerance: within it, above it, or the whole rest.
                    let cents = step.pick % 3 == 0 ? max(balance, 1) : 1 + step.amount % 8_00
                    _ = try await fixture.database.writeOffPart(
                        invoiceId: invoice.id, amount: money(cents), tolerance: money(5_00), category: .bankFees, reason: "fees")
                case "cancel": _ = try await fixture.database.cancelInvoice(id: invoice.id, reason: nil)
                case "applyCredit": _ = try await fixture.database.applyCredit(invoiceId: invoice.id)
                case "applyCreditPart": _ = try await fixture.database.applyCredit(invoiceId: invoice.id, amount: money(step.amount))
                case "standaloneCredit":
                    _ = try await fixture.database.issueStandaloneCreditNote(StandaloneCreditNoteDraft(
                        customerId: customer.id, note: CreditNoteDraft(number: "AVS-\(index)", amount: money(step.amount), reason: "random")))
                case "dispute": _ = try await fixture.database.openDispute(invoiceId: invoice.id, reason: "random")
                default: _ = try await fixture.database.resolveDispute(invoiceId: invoice.id, resolution: "random")
                }
            } catch let refusal as InvoicingError {
                // A business refusal: it must have changed nothing.
                #expect(try fixture.outboxTypes().count == eventsBefore, "step \(index) \(step) refused (\(refusal)) but published events")
                #expect(try await fixture.database.invoice(id: invoice.id) == invoice, "step \(index) \(step) refused but changed the invoice")
            }
            try check(fixture, customerId: customer.id, &invoices, lastSequence: &lastSequence, after: "step \(index) \(step)")
            // A payment on account is one item of its amount; once reversed, nothing of it is open or applied.
            let onAccountProblems = try fixture.queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT reference, amount_minor, withdrawn_minor FROM credit_item WHERE customer_id = ? AND source = 'paymentOnAccount'
                    """, arguments: [customer.id])
            }.filter { row in
                let paymentId: String = row["reference"]
                let expected = onAccount.first { $0.paymentId == paymentId }?.amount.minorUnits
                return expected != row["amount_minor"] as Int64
                    || (reversedOnAccount.contains(paymentId) && row["withdrawn_minor"] as Int64 != row["amount_minor"] as Int64)
            }
            #expect(onAccountProblems.isEmpty, "after step \(index) \(step): payments on account \(onAccountProblems)")
            let shown = try #require(try await fixture.database.customer(id: customer.id)).credit
            let open = try await fixture.queue.read { db in
                try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(open_minor), 0) FROM credit_item WHERE customer_id = ?", arguments: [customer.id]) ?? 0
            }
            #expect(shown.reduce(0) { $0 + $1.minorUnits } == open && shown.allSatisfy(\.isPositive),
                    "after step \(index) \(step): Customer.credit \(shown) ≠ open items \(open)")
        }
    }

    /// Checks every invoice and the events the last step published (outbox rows after
    /// `lastSequence`), then moves `lastSequence` past them. Problems are gathered and recorded
    /// as one issue per step: thousands of `#expect`s per case would cost more than the store.
    private func check(
        _ fixture: InvoicingFixture, customerId: String, _ invoices: inout [Tracked], lastSequence: inout Int64, after step: String
    ) throws {
        let (events, rows, creditProblems) = try fixture.queue.read { db in
            let events = try Row.fetchAll(db, sql: """
                SELECT sequence, type, subject, data FROM relance_outbox WHERE sequence > ? ORDER BY sequence
                """, arguments: [lastSequence])
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.id, i.number, i.status, i.paid_on, i.total_minor, i.paid_minor, i.credited_minor, i.written_off_minor,
                    i.voided_minor, i.open_minor,
                    (SELECT COALESCE(SUM(applied_minor), 0) FROM allocation WHERE invoice_id = i.id AND reversed = 0)
                        + (SELECT COALESCE(SUM(a.amount_minor - a.reversed_minor), 0) FROM credit_application a
                           JOIN credit_item c ON c.id = a.credit_item_id WHERE a.invoice_id = i.id AND c.source <> 'creditNote') AS allocated,
                    (SELECT COALESCE(SUM(invoice_minor), 0) FROM credit_note WHERE invoice_id = i.id)
                        + (SELECT COALESCE(SUM(a.amount_minor - a.reversed_minor), 0) FROM credit_application a
                           JOIN credit_item c ON c.id = a.credit_item_id WHERE a.invoice_id = i.id AND c.source = 'creditNote') AS noted,
                    (SELECT COUNT(*) FROM relance_outbox WHERE type = ? AND subject = i.id) AS paid_events
                FROM invoice i
                """, arguments: [InvoicePaid.eventType])
            // Every item's amount is accounted for; an overpayment's item is its allocation's
            // excess, and nothing of it stays open or applied once that allocation is reversed.
            let creditProblems = try String.fetchAll(db, sql: """
                SELECT 'item ' || c.id || ' (' || c.source || '): amount ' || c.amount_minor || ', open ' || c.open_minor
                    || ', withdrawn ' || c.withdrawn_minor || ', applied ' || COALESCE(ap.net, 0)
                    || ', allocation excess ' || COALESCE(al.excess_minor, 'none') || ', reversed ' || COALESCE(al.reversed, 'none')
                FROM credit_item c
                LEFT JOIN (SELECT credit_item_id, SUM(amount_minor - reversed_minor) AS net FROM credit_application GROUP BY credit_item_id) ap
                    ON ap.credit_item_id = c.id
                LEFT JOIN allocation al ON al.allocation_id = c.allocation_id
                WHERE c.customer_id = ?1 AND (
                    c.open_minor < 0 OR c.amount_minor <> c.open_minor + c.withdrawn_minor + COALESCE(ap.net, 0)
                    OR (c.source = 'overpayment' AND (al.excess_minor IS NULL OR al.excess_minor <> c.amount_minor))
                    OR (al.reversed = 1 AND (c.open_minor <> 0 OR COALESCE(ap.net, 0) <> 0)))
                """, arguments: [customerId])
                + String.fetchAll(db, sql: """
                    SELECT 'allocation ' || allocation_id || ' has an excess of ' || excess_minor || ' but no credit item'
                    FROM allocation WHERE customer_id = ?1 AND excess_minor > 0
                        AND allocation_id NOT IN (SELECT allocation_id FROM credit_item WHERE allocation_id IS NOT NULL)
                    """, arguments: [customerId])
            return (events, Dictionary(uniqueKeysWithValues: rows.map { ($0["id"] as String, $0) }), creditProblems)
        }
        func newEvents<Event: DomainEvent>(_: Event.Type, for invoiceId: String) throws -> [Event] {
            try events.filter { $0["type"] == Event.eventType && $0["subject"] == invoiceId }
                .map { try EventJSON.decoder.decode(Event.self, from: $0["data"]) }
        }
        var problems: [String] = []
        for index in invoices.indices {
            let tracked = invoices[index]
            guard let row = rows[tracked.id] else {
                problems.append("invoice \(tracked.id) is gone")
                continue
            }
            let (total, paid, credited, writtenOff, voided, open) = (
                row["total_minor"] as Int64, row["paid_minor"] as Int64, row["credited_minor"] as Int64,
                row["written_off_minor"] as Int64, row["voided_minor"] as Int64, row["open_minor"] as Int64)
            guard let status = InvoiceStatus(rawValue: row["status"]) else {
                problems.append("unknown status in \(row)")
                continue
            }
            var wrong: [String] = []
            if ![paid, credited, writtenOff, voided, open].allSatisfy({ $0 >= 0 }) { wrong.append("a negative amount") }
            if total != paid + credited + writtenOff + voided + open { wrong.append("total ≠ paid + credited + written off + voided + open") }
            if paid != row["allocated"] as Int64 { wrong.append("paid ≠ allocations not reversed + payment credit applied") }
            if credited != row["noted"] as Int64 { wrong.append("credited ≠ credit notes + credit-note credit applied") }
            let statusFits = switch status {
            case .open: open > 0 && paid == 0
            case .partiallyPaid: open > 0 && paid > 0
            case .paid: open == 0 && paid > 0
            case .writtenOff: open == 0 && writtenOff > 0
            case .cancelled: open == 0 && paid == 0 && writtenOff == 0
            }
            if !statusFits { wrong.append("the status does not fit the amounts") }
            if (row["paid_on"] as String? != nil) != (status == .paid) { wrong.append("paid_on is set exactly when paid") }

            let settled = try newEvents(InvoiceSettled.self, for: tracked.id)
            let reopened = try newEvents(InvoiceReopened.self, for: tracked.id)
            if tracked.open > 0 && open == 0 {
                if settled.count != 1 || !reopened.isEmpty { wrong.append("settling published \(settled.count) settled, \(reopened.count) reopened") }
                if let event = settled.first {
                    if event.status != status { wrong.append("invoice.settled says \(event.status)") }
                    let parts = [event.paidAmount, event.creditedAmount, event.writtenOffAmount, event.voidedAmount].map(\.minorUnits)
                    if parts.reduce(0, +) != total || event.paidAmount.minorUnits != paid { wrong.append("invoice.settled amounts \(parts)") }
                }
            } else if tracked.open == 0 && open > 0 {
                if reopened.count != 1 || !settled.isEmpty { wrong.append("re-opening published \(reopened.count) reopened, \(settled.count) settled") }
                if let event = reopened.first, event.balance.minorUnits != open || event.status != status {
                    wrong.append("invoice.reopened says \(event.balance) \(event.status)")
                }
            } else if !settled.isEmpty || !reopened.isEmpty {
                wrong.append("no move to or from zero, yet \(settled.count) settled, \(reopened.count) reopened")
            }
            invoices[index].open = open
            invoices[index].everPaid = tracked.everPaid || status == .paid
            let paidEvents: Int = row["paid_events"]
            if paidEvents != (invoices[index].everPaid ? 1 : 0) { wrong.append("\(paidEvents) invoice.paid") }
            if !wrong.isEmpty { problems.append("invoice \(row["number"] as String) (\(row)): \(wrong.joined(separator: "; "))") }
        }
        problems += creditProblems
        if !problems.isEmpty {
            let report = problems.joined(separator: "\n")
            Issue.record("after \(step):\n\(report)")
        }
        lastSequence = events.last?["sequence"] ?? lastSequence
    }
}
