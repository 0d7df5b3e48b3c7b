import Events
import Foundation
import GRDB
import Money

/// Imports a bank file's entries as the reader reports them, inside the import's one write
/// transaction: each credit becomes a payment (unless already imported), matched at once
/// against the index, which learns each allocation so the next payments see what is left.
///
/// The visitor's methods may only throw `StatementError`; a database failure is kept in
/// ``failure`` and the read stopped with an `.io` error, which the caller replaces by it.
struct StatementImportVisitor: StatementVisitor {
    let database: PaymentMatchingDatabase
    let db: Database
    let importId: String
    var index: OpenItemIndex
    let time: String

    private(set) var statements: [StatementImported.Statement] = []
    private(set) var summary = StatementImported.Summary(
        entriesRead: 0, paymentsCreated: 0, matched: 0, partlyMatched: 0, unmatched: 0, duplicatesSkipped: 0, reversals: 0, debitsIgnored: 0)
    private(set) var warnings: [ImportWarning] = []
    /// The error that stopped the import, when it was not the file's fault.
    private(set) var failure: (any Error)?

    private var current: BankStatement?
    private var account = ""
    private var balanceCheck = StatementBalanceCheck(opening: nil)
    private var lastBookingDate: CalendarDate?
    /// Identical entries seen so far in this file, by content digest.
    private var occurrences: [String: Int] = [:]

    init(database: PaymentMatchingDatabase, db: Database, importId: String, index: OpenItemIndex, time: String) {
        self.database = database
        self.db = db
        self.importId = importId
        self.index = index
        self.time = time
    }

    mutating func beginStatement(_ statement: BankStatement) throws(StatementError) {
        current = statement
        account = statement.account.iban ?? statement.account.other ?? "unknown"
        balanceCheck = StatementBalanceCheck(opening: statement.openingBalance)
        lastBookingDate = nil
    }

    mutating func visit(_ entry: StatementEntry) throws(StatementError) {
        summary.entriesRead += 1
        balanceCheck.add(entry)
        if let booked = entry.bookingDate ?? entry.valueDate, lastBookingDate.map({ $0 < booked }) ?? true { lastBookingDate = booked }
        do {
            switch (entry.creditDebit, entry.reversal) {
            case (.debit, false):
                summary.debitsIgnored += 1
            case (.debit, true):
                try reverse(entry)
            case (.credit, true):
                // Money coming back from an outgoing payment the bank reversed: not a customer's.
                warnings.append(ImportWarning(
                    code: "debitReversal", message: "a reversal of an outgoing payment (\(entry.amount)) is not a customer payment; not imported",
                    location: entry.location))
            case (.credit, false):
                try receive(entry)
            }
        } catch {
            failure = error
            throw StatementError(.io, "the import stopped: \(error)", location: entry.location)
        }
    }

    mutating func endStatement(closingBalance: Money?) throws(StatementError) {
        guard let statement = current else { throw StatementError(.malformed, "a statement end without its start", location: nil) }
        let closing = closingBalance ?? statement.closingBalance
        let mismatch = balanceCheck.mismatch(closing: closing)
        if let mismatch {
            warnings.append(ImportWarning(
                code: "balanceMismatch",
                message: "statement \(statement.id ?? "") of \(account): opening balance + entries differs from the closing balance by \(mismatch); imported, flagged",
                location: nil))
        }
        statements.append(StatementImported.Statement(
            statementId: statement.id, account: account, lastBookingDate: lastBookingDate,
            openingBalance: statement.openingBalance, closingBalance: closing, balanceMismatch: mismatch != nil))
        current = nil
    }

    // MARK: Credits

    private mutating func receive(_ entry: StatementEntry) throws {
        let identity = PaymentIdentity.of(account: account, entry: entry, amount: entry.amount) { digest in
            occurrences[digest, default: 0] += 1
            return occurrences[digest, default: 1]
        }
        let transactions = entry.details.filter { $0.creditDebit != .debit }
        if transactions.count > 1, transactions.allSatisfy({ $0.amount != nil }) {
            // A batch booking whose transactions the file lists: one payment each.
            for (position, detail) in transactions.enumerated() {
                guard let amount = detail.amount, amount.isPositive else { continue }
                var part = entry
                part.amount = amount
                part.bankReference = detail.bankReference ?? entry.bankReference
                part.endToEndId = detail.endToEndId
                part.remittance = detail.remittance
                part.counterparty = detail.counterparty ?? entry.counterparty
                part.details = []
                try createPayment(part, identity: identity.transaction(position, endToEndId: detail.endToEndId))
            }
            return
        }
        var single = entry
        if let detail = transactions.first, transactions.count == 1 {
            // One transaction: its details complete the entry's.
            single.endToEndId = single.endToEndId ?? detail.endToEndId
            if single.remittance.structured.isEmpty && single.remittance.unstructured == nil { single.remittance = detail.remittance }
            single.counterparty = single.counterparty ?? detail.counterparty
        }
        try createPayment(single, identity: identity)
    }

    private mutating func createPayment(_ entry: StatementEntry, identity: PaymentIdentity) throws {
        guard try !Bool(exists: "SELECT 1 FROM payment WHERE identity = ?", [identity.value], db) else {
            summary.duplicatesSkipped += 1
            return
        }
        guard entry.amount.isPositive else { return }
        let paymentId = TimeOrderedID.make()
        let valueDate = entry.valueDate ?? entry.bookingDate ?? CalendarDate(date: database.now(), in: .gmt)
        let bookingDate = entry.bookingDate ?? valueDate
        let remittance = Self.remittanceText(entry.remittance)
        let payerIBAN = entry.counterparty?.iban.map(OpenItemIndex.normalisedIBAN)
        try db.execute(sql: """
            INSERT INTO payment (id, identity, import_id, account, currency, amount_minor, value_date, booking_date, bank_reference,
                end_to_end_id, payer_name, payer_iban, remittance, status, location, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'unmatched', ?, ?)
            """, arguments: [
                paymentId, identity.value, importId, account, entry.amount.currency.code, entry.amount.minorUnits, valueDate.description,
                bookingDate.description, entry.bankReference, entry.endToEndId, entry.counterparty?.name, payerIBAN, remittance,
                entry.location, time,
            ])
        summary.paymentsCreated += 1
        let payment = Payment(
            id: paymentId, amount: entry.amount, valueDate: valueDate, remittance: entry.remittance, counterparty: entry.counterparty,
            bankReference: entry.bankReference)
        let stored = PaymentMatchingDatabase.StoredPayment(
            id: paymentId, account: account, amount: entry.amount, valueDate: valueDate, status: .unmatched, allocated: 0, onAccount: 0,
            onAccountCustomerId: nil, payerName: entry.counterparty?.name, payerIBAN: payerIBAN, bankReference: entry.bankReference,
            remittance: remittance)
        let decision = database.engine.match(payment, in: index)
        switch decision {
        case .allocate(let candidate):
            let customers = Set(candidate.allocations.map(\.customerId) + [candidate.creditCustomerId].compactMap { $0 })
            try database.enqueue(received(stored, bookingDate: bookingDate, entry: entry, customerId: customers.count == 1 ? customers.first : nil), db)
            var leavesOpen = false
            for allocation in candidate.allocations {
                try database.recordAllocation(.init(
                    invoiceId: allocation.invoiceId, invoiceNumber: allocation.invoiceNumber, customerId: allocation.customerId,
                    amount: allocation.amount, writeOff: allocation.writeOff, rule: candidate.rule.rawValue, score: candidate.score),
                    of: stored, decidedBy: "engine", db)
                index.reduceOpenAmount(ofInvoice: allocation.invoiceId, by: try allocation.amount.adding(allocation.writeOff))
                if let open = index.openInvoice(id: allocation.invoiceId), open.openAmount.isPositive { leavesOpen = true }
            }
            if candidate.credit.isPositive, let customerId = candidate.creditCustomerId {
                try database.recordOnAccount(candidate.credit, customerId: customerId, of: stored, db)
            }
            try PaymentMatchingDatabase.refreshStatus(paymentId: paymentId, db)
            try database.recordDecision(
                paymentId: paymentId, kind: "allocatedAutomatically", actor: "engine",
                detail: "\(candidate.rule.rawValue), score \(candidate.score): \(candidate.explanation)", db)
            if candidate.rule != .payerAndAmount, candidate.rule != .payerAndCombination, customers.count == 1, let customerId = customers.first {
                // A reference proved who pays: remember the account and name for payments without one.
                if let payerIBAN { try PaymentMatchingDatabase.learnAlias(customerId: customerId, kind: "iban", value: payerIBAN, source: "learned", at: time, db) }
                if let name = entry.counterparty?.name { try PaymentMatchingDatabase.learnAlias(customerId: customerId, kind: "name", value: name, source: "learned", at: time, db) }
            }
            if leavesOpen { summary.partlyMatched += 1 } else { summary.matched += 1 }
        case .unmatched(let suggestions, let notes):
            let shown = suggestions.map(PaymentSuggestion.init)
            try db.execute(sql: "UPDATE payment SET suggestions = ?, notes = ? WHERE id = ?",
                           arguments: [try JSONEncoder().encode(shown), try JSONEncoder().encode(notes), paymentId])
            let customers = Set(suggestions.flatMap { $0.allocations.map(\.customerId) })
            let customerId = customers.count == 1 ? customers.first : nil
            try database.enqueue(received(stored, bookingDate: bookingDate, entry: entry, customerId: customerId), db)
            try database.enqueue(PaymentUnmatched(
                paymentId: paymentId, customerId: customerId, amount: entry.amount, valueDate: valueDate, account: account,
                payerName: entry.counterparty?.name, payerIBAN: payerIBAN, remittance: remittance,
                suggestions: shown.map { suggestion in
                    PaymentUnmatched.Suggestion(
                        invoiceIds: suggestion.lines.map(\.invoiceId), invoiceNumbers: suggestion.lines.map(\.invoiceNumber),
                        customerId: suggestion.lines.first?.customerId ?? suggestion.creditCustomerId ?? "",
                        score: suggestion.score, rule: suggestion.rule, explanation: suggestion.explanation)
                },
                notes: notes), db)
            try database.recordDecision(
                paymentId: paymentId, kind: "queued", actor: "engine",
                detail: suggestions.isEmpty ? "no candidate" : "best suggestion \(suggestions[0].rule.rawValue), score \(suggestions[0].score): not sure enough", db)
            summary.unmatched += 1
        }
    }

    private func received(_ payment: PaymentMatchingDatabase.StoredPayment, bookingDate: CalendarDate, entry: StatementEntry, customerId: String?) -> PaymentReceived {
        PaymentReceived(
            paymentId: payment.id, customerId: customerId, amount: payment.amount, valueDate: payment.valueDate, bookingDate: bookingDate,
            account: payment.account, bankReference: entry.bankReference, endToEndId: entry.endToEndId, payerName: payment.payerName,
            payerIBAN: payment.payerIBAN, remittance: payment.remittance, importId: importId)
    }

    // MARK: Reversals

    /// A debit reversing an earlier credit: finds the payment (same account, currency and
    /// amount; same end-to-end id, else same bank reference, else same payer IBAN; the latest)
    /// and undoes everything decided about it.
    private mutating func reverse(_ entry: StatementEntry) throws {
        let identity = PaymentIdentity.of(account: account, entry: entry, amount: entry.amount) { digest in
            occurrences["reversal|" + digest, default: 0] += 1
            return occurrences["reversal|" + digest, default: 1]
        }
        guard try !Bool(exists: "SELECT 1 FROM bank_reversal WHERE identity = ?", [identity.value], db) else {
            summary.duplicatesSkipped += 1
            return
        }
        let payerIBAN = entry.counterparty?.iban.map(OpenItemIndex.normalisedIBAN)
        let arguments: StatementArguments = [
            "account": account, "currency": entry.amount.currency.code, "amount": entry.amount.minorUnits,
            "e2e": PaymentIdentity.usableReference(entry.endToEndId), "ref": PaymentIdentity.usableReference(entry.bankReference),
            "iban": payerIBAN,
        ]
        let paymentId = try String.fetchOne(db, sql: """
            SELECT id FROM payment
            WHERE account = :account AND currency = :currency AND amount_minor = :amount AND status <> 'reversed'
              AND ((:e2e IS NOT NULL AND end_to_end_id = :e2e) OR (:ref IS NOT NULL AND bank_reference = :ref)
                   OR (:iban IS NOT NULL AND payer_iban = :iban))
            ORDER BY (end_to_end_id IS :e2e) DESC, value_date DESC, id DESC LIMIT 1
            """, arguments: arguments)
        try db.execute(sql: "INSERT INTO bank_reversal (identity, payment_id, import_id, created_at) VALUES (?, ?, ?, ?)",
                       arguments: [identity.value, paymentId, importId, time])
        guard let paymentId, let payment = try PaymentMatchingDatabase.storedPayment(id: paymentId, db) else {
            warnings.append(ImportWarning(
                code: "unknownReversal",
                message: "a reversal of \(entry.amount) matches no payment imported before (same account, amount, and end-to-end id, bank reference or payer IBAN); nothing reversed",
                location: entry.location))
            return
        }
        let reason = "reversed by the bank" + (PaymentIdentity.usableReference(entry.bankReference).map { " (entry \($0))" } ?? "")
        _ = try database.undoAllocations(of: payment, allocationIds: nil, includingOnAccount: true, actor: "bank", reason: reason, db)
        try db.execute(sql: "UPDATE payment SET status = 'reversed', suggestions = NULL WHERE id = ?", arguments: [paymentId])
        try database.recordDecision(paymentId: paymentId, kind: "reversedByBank", actor: "bank", detail: reason, db)
        summary.reversals += 1
    }

    /// Structured references then the free text, joined by " / "; nil when there is neither.
    static func remittanceText(_ remittance: Remittance) -> String? {
        let parts = remittance.structured + [remittance.unstructured].compactMap { $0 }
        let text = parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: " / ")
        return text.isEmpty ? nil : text
    }
}

extension Bool {
    /// Whether the query returns a row.
    init(exists sql: String, _ arguments: StatementArguments, _ db: Database) throws {
        self = try Bool.fetchOne(db, sql: "SELECT EXISTS (\(sql))", arguments: arguments) ?? false
    }
}
