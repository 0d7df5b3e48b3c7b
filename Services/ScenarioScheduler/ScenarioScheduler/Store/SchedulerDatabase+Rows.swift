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

    /// Reads a row whose first columns are ``invoiceColumns``, in that order. By position: a
    /// lookup by name lowercases and searches the column names on every access, a tenth of
    /// the tick's time (relance-scheduler-bench).
    static func invoice(from row: Row) throws -> DunningInvoice {
        let currency = try Currency(code: row[4])
        func date(_ index: Int) throws -> CalendarDate? {
            guard let text: String = row[index] else { return nil }
            return try CalendarDate(iso8601: text)
        }
        let payments: [LatePaymentCharges.Payment] = try (row[19] as Data?).map {
            try JSONDecoder().decode([LatePaymentCharges.Payment].self, from: $0)
        } ?? []
        let payee: PayeeSnapshot? = try (row[21] as Data?).map { try JSONDecoder().decode(PayeeSnapshot.self, from: $0) }
        return DunningInvoice(
            invoiceId: row[0], customerId: row[1], number: row[2], paymentReference: row[3],
            issueDate: try CalendarDate(iso8601: row[8]), dueDate: try CalendarDate(iso8601: row[9]),
            total: Money(minorUnits: row[5], currency: currency),
            balance: Money(minorUnits: row[6], currency: currency),
            disputed: Money(minorUnits: row[7], currency: currency),
            status: InvoiceStatus(rawValue: row[10]) ?? .open, factorCollects: row[11],
            dunningStartsOn: try date(12), promiseUntil: try date(13), caseId: row[14],
            scenario: ScenarioReference(name: row[15], version: row[16]), stepsDone: row[17],
            notBefore: try date(18), payments: payments, contractualRateBasisPoints: row[20],
            payee: payee, held: row[22])
    }

    /// How many columns ``invoiceColumns`` lists (a column selected after them is at this position).
    static let invoiceColumnCount = 24

    /// Position of `customer_time_zone` in ``invoiceColumns``.
    static let invoiceTimeZoneColumn = 23

    static func loadInvoice(_ id: String, _ db: Database) throws -> DunningInvoice? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(invoiceColumns) FROM invoice WHERE id = ?"), arguments: [id]).map(invoice(from:))
    }

    /// A customer row as stored, not yet decoded: read on the writer, decoded by the planner.
    struct StoredCustomer: Sendable {
        /// `CustomerSnapshot` as JSON.
        var snapshot: Data
        var legalStatus: String
        var claimFilingDeadline: String?

        init(snapshot: Data, legalStatus: String, claimFilingDeadline: String?) {
            self.snapshot = snapshot
            self.legalStatus = legalStatus
            self.claimFilingDeadline = claimFilingDeadline
        }

        /// From a row with `snapshot`, `legal_status` and `claim_filing_deadline`.
        init(row: Row) {
            self.init(snapshot: row["snapshot"], legalStatus: row["legal_status"], claimFilingDeadline: row["claim_filing_deadline"])
        }
    }

    static func customer(from row: Row) throws -> DunningCustomer {
        try customer(from: StoredCustomer(row: row))
    }

    static func customer(from stored: StoredCustomer) throws -> DunningCustomer {
        let snapshot = try JSONDecoder().decode(CustomerSnapshot.self, from: stored.snapshot)
        return DunningCustomer(
            customerId: snapshot.customerId, customerNumber: snapshot.customerNumber, legalName: snapshot.legalName,
            language: snapshot.language, timeZone: DunningCustomer.timeZone(named: snapshot.timeZone), segment: snapshot.segment,
            risk: RiskCategory(eventValue: snapshot.riskCategory), strategic: snapshot.strategic, contacts: snapshot.contacts,
            billingAddress: snapshot.billingAddress, registrationId: snapshot.registrationId, vatId: snapshot.vatId,
            legalStatus: LegalProceedings(rawValue: stored.legalStatus) ?? .none,
            claimFilingDeadline: stored.claimFilingDeadline.flatMap { try? CalendarDate(iso8601: $0) },
            lateInterestRateBasisPoints: snapshot.lateInterestRateBasisPoints)
    }

    static func loadStoredCustomer(_ id: String, _ db: Database) throws -> StoredCustomer? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT snapshot, legal_status, claim_filing_deadline FROM customer WHERE id = ?"),
                         arguments: [id]).map(StoredCustomer.init(row:))
    }

    static func loadCustomer(_ id: String, _ db: Database) throws -> DunningCustomer? {
        try loadStoredCustomer(id, db).map(customer(from:))
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
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.invoiceColumns) FROM invoice WHERE id = ?"), arguments: [id])
        else { return }
        let invoice = try Self.invoice(from: row)
        let customer = try Self.schedulingCustomer(for: invoice, timeZone: row[Self.invoiceTimeZoneColumn], db)
        let today = CalendarDate(date: clock.now(), in: customer.timeZone)
        let next = planner.nextActionInstant(of: invoice, customer: customer, today: today)
        try db.cachedStatement(sql: "UPDATE invoice SET next_action_at = ?, held = 0 WHERE id = ?")
            .execute(arguments: [next.map { Int64($0.timeIntervalSince1970.rounded(.up)) }, id])
    }

    /// The customer as ``DunningPlanner/nextActionInstant(of:customer:today:)`` reads it: its
    /// time zone and legal status, the rest left empty; the invoice's stand-in when the
    /// customers topic has not told us yet (as ``customerOrStandIn(for:timeZone:_:)``).
    /// Decoding the whole snapshot for these two fields was a third of the time of ingesting
    /// an invoice (relance-scheduler-bench).
    static func schedulingCustomer(for invoice: DunningInvoice, timeZone: String, _ db: Database) throws -> DunningCustomer {
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT json_extract(snapshot, '$.timeZone'), legal_status FROM customer WHERE id = ?
            """), arguments: [invoice.customerId])
        if let row, let zone: String = row[0] {
            return DunningCustomer(customerId: invoice.customerId, customerNumber: "", legalName: "",
                                   timeZone: DunningCustomer.timeZone(named: zone), legalStatus: LegalProceedings(rawValue: row[1]) ?? .none)
        }
        // No customer, or a snapshot without a time zone: the full path (which throws for the latter).
        return try customerOrStandIn(for: invoice, timeZone: timeZone, db).0
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        try jsonEncoder.encode(value)
    }

    // Made once: creating an encoder cost more than encoding a list of invoice ids with it
    // (the catch-up stores one list per task). Thread-safe to use; its options never change.
    private static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
