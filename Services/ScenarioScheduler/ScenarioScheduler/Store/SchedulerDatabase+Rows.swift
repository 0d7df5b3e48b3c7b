import Events
import Foundation
import GRDB
import Money

/// Reading and writing the customer and invoice rows as the planner's types.
extension SchedulerDatabase {
    static let invoiceColumns = """
        id, customer_id, number, payment_reference, currency, total_minor, balance_minor, disputed_minor, issue_date, due_date,
        status, factor_collects, dunning_starts_on, promise_until, case_id, scenario, scenario_version, steps_done, not_before,
        payments, contractual_rate_bp, payee, held, customer_time_zone
        """

    static func invoice(from row: Row) throws -> DunningInvoice {
        let currency = try Currency(code: row["currency"])
        func date(_ column: String) throws -> CalendarDate? {
            guard let text: String = row[column] else { return nil }
            return try CalendarDate(iso8601: text)
        }
        let payments: [LatePaymentCharges.Payment] = try (row["payments"] as Data?).map {
            try JSONDecoder().decode([LatePaymentCharges.Payment].self, from: $0)
        } ?? []
        let payee: PayeeSnapshot? = try (row["payee"] as Data?).map { try JSONDecoder().decode(PayeeSnapshot.self, from: $0) }
        return DunningInvoice(
            invoiceId: row["id"], customerId: row["customer_id"], number: row["number"], paymentReference: row["payment_reference"],
            issueDate: try CalendarDate(iso8601: row["issue_date"]), dueDate: try CalendarDate(iso8601: row["due_date"]),
            total: Money(minorUnits: row["total_minor"], currency: currency),
            balance: Money(minorUnits: row["balance_minor"], currency: currency),
            disputed: Money(minorUnits: row["disputed_minor"], currency: currency),
            status: InvoiceStatus(rawValue: row["status"]) ?? .open, factorCollects: row["factor_collects"],
            dunningStartsOn: try date("dunning_starts_on"), promiseUntil: try date("promise_until"), caseId: row["case_id"],
            scenario: ScenarioReference(name: row["scenario"], version: row["scenario_version"]), stepsDone: row["steps_done"],
            notBefore: try date("not_before"), payments: payments, contractualRateBasisPoints: row["contractual_rate_bp"],
            payee: payee, held: row["held"])
    }

    static func loadInvoice(_ id: String, _ db: Database) throws -> DunningInvoice? {
        try Row.fetchOne(db, sql: "SELECT \(invoiceColumns) FROM invoice WHERE id = ?", arguments: [id]).map(invoice(from:))
    }

    static func customer(from row: Row) throws -> DunningCustomer {
        let snapshot = try JSONDecoder().decode(CustomerSnapshot.self, from: row["snapshot"] as Data)
        return DunningCustomer(
            customerId: snapshot.customerId, customerNumber: snapshot.customerNumber, legalName: snapshot.legalName,
            language: snapshot.language, timeZone: DunningCustomer.timeZone(named: snapshot.timeZone), segment: snapshot.segment,
            risk: RiskCategory(eventValue: snapshot.riskCategory), strategic: snapshot.strategic, contacts: snapshot.contacts,
            billingAddress: snapshot.billingAddress, registrationId: snapshot.registrationId, vatId: snapshot.vatId,
            legalStatus: LegalProceedings(rawValue: row["legal_status"]) ?? .none,
            claimFilingDeadline: (row["claim_filing_deadline"] as String?).flatMap { try? CalendarDate(iso8601: $0) },
            lateInterestRateBasisPoints: snapshot.lateInterestRateBasisPoints)
    }

    static func loadCustomer(_ id: String, _ db: Database) throws -> DunningCustomer? {
        try Row.fetchOne(db, sql: "SELECT snapshot, legal_status, claim_filing_deadline FROM customer WHERE id = ?", arguments: [id]).map(customer(from:))
    }

    /// The customer of an invoice, or a stand-in from the invoice's own snapshot when the
    /// customers topic has not told us yet (the topics are not ordered with each other).
    static func customerOrStandIn(for invoice: DunningInvoice, timeZone: String, _ db: Database) throws -> (DunningCustomer, known: Bool) {
        if let customer = try loadCustomer(invoice.customerId, db) { return (customer, true) }
        return (DunningCustomer(customerId: invoice.customerId, customerNumber: "", legalName: "",
                                timeZone: DunningCustomer.timeZone(named: timeZone)), false)
    }

    /// Recomputes when the tick looks at an invoice next, after a ledger event changed it.
    func reschedule(_ id: String, _ db: Database) throws {
        guard let invoice = try Self.loadInvoice(id, db) else { return }
        let zone = try String.fetchOne(db, sql: "SELECT customer_time_zone FROM invoice WHERE id = ?", arguments: [id]) ?? "Europe/Paris"
        let (customer, _) = try Self.customerOrStandIn(for: invoice, timeZone: zone, db)
        let today = CalendarDate(date: clock.now(), in: customer.timeZone)
        let next = planner.nextActionInstant(of: invoice, customer: customer, today: today)
        try db.execute(sql: "UPDATE invoice SET next_action_at = ?, held = 0 WHERE id = ?",
                       arguments: [next.map { Int64($0.timeIntervalSince1970.rounded(.up)) }, id])
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}
