import Events
import Foundation
import GRDB
import Money
import Storage

/// Typed, dated reasons to stop or slow dunning: disputes, factoring, credit insurance and
/// collective proceedings. Each change publishes an event in the same transaction.
extension InvoicingDatabase {
    // MARK: Disputes

    /// Opens a dispute on an open invoice, for its whole total or a part of it; the invoice is
    /// not reminded while any dispute is open. Publishes `invoice.disputed` with the dispute's
    /// id, amount, category and date.
    /// - Returns: The dispute and the invoice as it is afterwards.
    /// - Throws: `InvoicingError` `.missingField` (blank reason), `.limitExceeded`,
    ///   `.invalidField` (category; amount not above zero, or open disputes above the total;
    ///   opened before the invoice was issued), `.currencyMismatch`, `.notFound`, or
    ///   `.invalidState` when the invoice is not open.
    public func openDispute(invoiceId: String, _ draft: DisputeDraft) async throws -> DisputeChange {
        try await openDispute(invoiceId: invoiceId, draft, onlyIfUndisputed: false)
    }

    private func openDispute(invoiceId: String, _ draft: DisputeDraft, onlyIfUndisputed: Bool) async throws -> DisputeChange {
        let reason = try Self.requiredReason(draft.reason, field: "reason", "say why the customer disputes the invoice")
        let category = try draft.validatedCategory()
        let today = try await today(forInvoice: invoiceId)
        let id = TimeOrderedID.make()
        return try await write { db in
            let invoice = try Self.requireInvoice(id: invoiceId, db)
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices can be disputed")
            }
            if onlyIfUndisputed, invoice.disputed {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is already disputed")
            }
            let amount = draft.amount ?? invoice.totalAmount
            guard amount.currency == invoice.currency else {
                throw InvoicingError(.currencyMismatch, "the invoice is in \(invoice.currency.code), the disputed amount in \(amount.currency.code)", field: "amount.currency")
            }
            guard amount.isPositive else {
                throw InvoicingError(.invalidField, "the disputed amount must be above zero", field: "amount")
            }
            let alreadyDisputed = invoice.disputedAmount?.minorUnits ?? 0
            guard amount.minorUnits <= invoice.totalAmount.minorUnits - alreadyDisputed else {
                throw InvoicingError(.invalidField, """
                    the disputed amount (\(amount)) is above what is not yet disputed on invoice \(invoice.number) \
                    (total \(invoice.totalAmount), open disputes \(Money(minorUnits: alreadyDisputed, currency: invoice.currency)))
                    """, field: "amount")
            }
            let openedOn = draft.openedOn ?? today
            guard openedOn >= invoice.issueDate else {
                throw InvoicingError(.invalidField, "the dispute is opened on \(openedOn), before the invoice was issued (\(invoice.issueDate))", field: "openedOn")
            }
            try db.execute(
                sql: "INSERT INTO dispute (id, invoice_id, amount_minor, category, reason, opened_on) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [id, invoiceId, amount.minorUnits, category, reason, openedOn.description])
            try Self.summariseDisputes(invoiceId: invoiceId, db)
            try enqueue(InvoiceDisputed(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, reason: reason,
                disputeId: id, amount: amount, category: category, openedOn: openedOn), db)
            return DisputeChange(dispute: try Self.requireDispute(id: id, invoiceId: invoiceId, db), invoice: try Self.requireInvoice(id: invoiceId, db))
        }
    }

    /// Opens a dispute of the whole invoice, category `other`, dated today, when none is open:
    /// what disputing meant before disputes had amounts (the deprecated
    /// `POST /v1/invoices/{id}/dispute` and the CSV sync use it).
    /// - Throws: As ``openDispute(invoiceId:_:)``, and `.invalidState` when a dispute is open already.
    public func openDispute(invoiceId: String, reason: String) async throws -> Invoice {
        try await openDispute(invoiceId: invoiceId, DisputeDraft(reason: reason), onlyIfUndisputed: true).invoice
    }

    /// Resolves one dispute; reminders resume once no dispute of the invoice is open.
    /// Publishes `invoice.dispute-resolved` with the dispute's id and dates. Works whatever the
    /// invoice's status (a credit note may be how the dispute ended).
    /// - Throws: `InvoicingError` `.missingField` (blank resolution), `.limitExceeded`,
    ///   `.notFound` (invoice, or no such dispute on it), `.invalidField` (resolved before it
    ///   was opened), `.invalidState` (already resolved).
    public func resolveDispute(invoiceId: String, disputeId: String, _ resolution: DisputeResolution) async throws -> DisputeChange {
        let text = try Self.requiredReason(resolution.resolution, field: "resolution", "say how the dispute was resolved")
        let today = try await today(forInvoice: invoiceId)
        return try await write { db in
            let invoice = try Self.requireInvoice(id: invoiceId, db)
            let dispute = try Self.requireDispute(id: disputeId, invoiceId: invoiceId, db)
            guard dispute.isOpen else {
                throw InvoicingError(.invalidState, "dispute \(disputeId) of invoice \(invoice.number) was resolved on \(dispute.resolvedOn?.description ?? "")")
            }
            try self.resolve(dispute, of: invoice, resolution: text, on: resolution.resolvedOn ?? today, db)
            try Self.summariseDisputes(invoiceId: invoiceId, db)
            return DisputeChange(dispute: try Self.requireDispute(id: disputeId, invoiceId: invoiceId, db), invoice: try Self.requireInvoice(id: invoiceId, db))
        }
    }

    /// Resolves every open dispute of the invoice today, one `invoice.dispute-resolved` each:
    /// what resolving meant before disputes had ids (the deprecated
    /// `POST /v1/invoices/{id}/dispute/resolve` and the CSV sync use it).
    /// - Throws: `InvoicingError` `.missingField`, `.notFound`, `.invalidState` when no
    ///   dispute is open.
    public func resolveDispute(invoiceId: String, resolution: String) async throws -> Invoice {
        let text = try Self.requiredReason(resolution, field: "resolution", "say how the dispute was resolved")
        let today = try await today(forInvoice: invoiceId)
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard !invoice.openDisputes.isEmpty else { throw InvoicingError(.invalidState, "invoice \(invoice.number) is not disputed") }
            for dispute in invoice.openDisputes {
                // A dispute opened with a later date than today (entered ahead) ends the day it opened.
                try self.resolve(dispute, of: invoice, resolution: text, on: max(today, dispute.openedOn), db)
            }
            try Self.summariseDisputes(invoiceId: invoiceId, db)
        }
    }

    /// Every dispute of the invoice, open and resolved, oldest first.
    /// - Throws: `InvoicingError` `.notFound` for an unknown invoice.
    public func disputes(invoiceId: String) async throws -> [Dispute] {
        try await writer.read { db in
            let invoice = try Self.requireInvoice(id: invoiceId, db)
            return try Self.fetchDisputes(sql: "invoice_id = ?", arguments: [invoiceId], currency: invoice.currency, db)
        }
    }

    private func resolve(_ dispute: Dispute, of invoice: Invoice, resolution: String, on day: CalendarDate, _ db: Database) throws {
        guard day >= dispute.openedOn else {
            throw InvoicingError(.invalidField, "the dispute cannot be resolved on \(day), before it was opened (\(dispute.openedOn))", field: "resolvedOn")
        }
        try db.execute(sql: "UPDATE dispute SET resolved_on = ?, resolution = ? WHERE id = ?", arguments: [day.description, resolution, dispute.id])
        try enqueue(InvoiceDisputeResolved(
            customerId: invoice.customerId, invoiceId: invoice.id, number: invoice.number, resolution: resolution,
            disputeId: dispute.id, amount: dispute.amount, category: dispute.category, openedOn: dispute.openedOn, resolvedOn: day), db)
    }

    /// Keeps the invoice row's `disputed` / `dispute_reason` summary in step with its disputes.
    static func summariseDisputes(invoiceId: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE invoice SET
                disputed = EXISTS (SELECT 1 FROM dispute WHERE invoice_id = ?1 AND resolved_on IS NULL),
                dispute_reason = (SELECT reason FROM dispute WHERE invoice_id = ?1 AND resolved_on IS NULL ORDER BY opened_on DESC, id DESC LIMIT 1)
            WHERE id = ?1
            """, arguments: [invoiceId])
    }

    /// The invoices with their open disputes and disputed amount filled in (one query).
    static func withOpenDisputes(_ invoices: [Invoice], _ db: Database) throws -> [Invoice] {
        let currencies = Dictionary(invoices.filter(\.disputed).map { ($0.id, $0.currency) }, uniquingKeysWith: { first, _ in first })
        guard !currencies.isEmpty else { return invoices }
        let placeholders = Array(repeating: "?", count: currencies.count).joined(separator: ", ")
        var open: [String: [Dispute]] = [:]
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM dispute WHERE invoice_id IN (\(placeholders)) AND resolved_on IS NULL ORDER BY opened_on, id",
            arguments: StatementArguments(Array(currencies.keys)))
        for row in rows {
            let invoiceId: String = row["invoice_id"]
            guard let currency = currencies[invoiceId] else { continue }
            open[invoiceId, default: []].append(try dispute(from: row, currency: currency))
        }
        return invoices.map { invoice in
            guard let disputes = open[invoice.id], !disputes.isEmpty else { return invoice }
            var invoice = invoice
            invoice.openDisputes = disputes
            invoice.disputedAmount = Money(minorUnits: disputes.reduce(0) { $0 + $1.amount.minorUnits }, currency: invoice.currency)
            return invoice
        }
    }

    static func dispute(from row: Row, currency: Currency) throws -> Dispute {
        Dispute(
            id: row["id"], invoiceId: row["invoice_id"], amount: Money(minorUnits: row["amount_minor"], currency: currency),
            category: row["category"], reason: row["reason"], openedOn: try CalendarDate(iso8601: row["opened_on"]),
            resolvedOn: try optionalDate(row["resolved_on"]), resolution: row["resolution"])
    }

    static func fetchDisputes(sql condition: String, arguments: StatementArguments, currency: Currency, _ db: Database) throws -> [Dispute] {
        try Row.fetchAll(db, sql: "SELECT * FROM dispute WHERE \(condition) ORDER BY opened_on, id", arguments: arguments)
            .map { try dispute(from: $0, currency: currency) }
    }

    static func requireDispute(id: String, invoiceId: String, _ db: Database) throws -> Dispute {
        let invoice = try requireInvoice(id: invoiceId, db)
        guard let dispute = try fetchDisputes(sql: "id = ? AND invoice_id = ?", arguments: [id, invoiceId], currency: invoice.currency, db).first else {
            throw InvoicingError(.notFound, "invoice \(invoice.number) has no dispute with id \(id); list them with GET /v1/invoices/\(invoiceId)/disputes")
        }
        return dispute
    }

    static func requiredReason(_ text: String, field: String, _ what: String) throws(InvoicingError) -> String {
        guard !TextNormalisation.isBlank(text) else { throw InvoicingError(.missingField, what, field: field) }
        return text
    }

    static func optionalDate(_ text: String?) throws -> CalendarDate? {
        try text.map { try CalendarDate(iso8601: $0) }
    }

    // MARK: Factoring

    /// Records that an open invoice was sold to a factor, `notified` (the factor collects;
    /// Relance must not remind it) or `confidential` (the seller keeps collecting in its own
    /// name). Publishes `invoice.assigned-to-factor` with the mode and date.
    /// - Throws: `InvoicingError` `.missingField` (blank name), `.notFound`, `.invalidField`
    ///   (assigned before the invoice was issued), `.invalidState` (not open, or assigned already).
    public func assignToFactor(invoiceId: String, factorName: String, mode: FactoringMode = .notified, assignedOn: CalendarDate? = nil) async throws -> Invoice {
        let name = try Self.requiredReason(factorName, field: "factorName", "name the factor")
        let today = try await today(forInvoice: invoiceId)
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard invoice.status.isOpen else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is \(invoice.status.rawValue); only open invoices can be assigned")
            }
            guard invoice.factorName == nil else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is already assigned to \(invoice.factorName ?? ""); release it first")
            }
            let day = assignedOn ?? today
            guard day >= invoice.issueDate else {
                throw InvoicingError(.invalidField, "the assignment (\(day)) is before the invoice was issued (\(invoice.issueDate))", field: "assignedOn")
            }
            try db.execute(sql: "UPDATE invoice SET factor_name = ?, factoring_mode = ?, factor_assigned_on = ? WHERE id = ?",
                           arguments: [name, mode.rawValue, day.description, invoiceId])
            try enqueue(InvoiceAssignedToFactor(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, factorName: name, mode: mode, assignedOn: day), db)
        }
    }

    /// Records that a factored invoice came back to the seller, whatever its status; it is
    /// collected (and reminded) by the seller again. Publishes `invoice.released-from-factor`.
    /// - Throws: `InvoicingError` `.notFound`, `.invalidField` (released before the
    ///   assignment), `.invalidState` (not assigned).
    public func releaseFromFactor(invoiceId: String, releasedOn: CalendarDate? = nil) async throws -> Invoice {
        let today = try await today(forInvoice: invoiceId)
        return try await mutateInvoice(id: invoiceId) { invoice, db in
            guard let factor = invoice.factorName else {
                throw InvoicingError(.invalidState, "invoice \(invoice.number) is not assigned to a factor")
            }
            let day = releasedOn ?? max(today, invoice.factorAssignedOn ?? today)
            if let assigned = invoice.factorAssignedOn, day < assigned {
                throw InvoicingError(.invalidField, "the release (\(day)) is before the assignment (\(assigned))", field: "releasedOn")
            }
            try db.execute(sql: "UPDATE invoice SET factor_name = NULL, factoring_mode = NULL, factor_assigned_on = NULL WHERE id = ?", arguments: [invoiceId])
            try enqueue(InvoiceReleasedFromFactor(
                customerId: invoice.customerId, invoiceId: invoiceId, number: invoice.number, factorName: factor,
                mode: invoice.factoringMode ?? .notified, releasedOn: day), db)
        }
    }

    // MARK: Credit insurance

    /// Sets (or replaces) the customer's credit insurance policy; every invoice of the customer
    /// whose due date it covers then shows its `insuranceDeclarationDeadline`. Publishes
    /// `customer.credit-insurance-changed` unless nothing changed.
    /// - Throws: `InvoicingError` `.notFound` or a validation code of ``CreditInsuranceDraft``.
    public func setCreditInsurance(customerId: String, _ draft: CreditInsuranceDraft) async throws -> Customer {
        try await write { db in
            let customer = try Self.requireCustomer(id: customerId, db)
            let policy = try draft.validated(currency: customer.details.defaultCurrency)
            guard policy != customer.creditInsurance else { return customer }
            try db.execute(sql: """
                INSERT OR REPLACE INTO customer_credit_insurance
                    (customer_id, insurer, policy_reference, cover_minor, currency, declaration_days, starts_on, ends_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [customerId, policy.insurer, policy.policyReference, policy.coverAmount.minorUnits, policy.coverAmount.currency.code,
                                 policy.declarationDeadlineDays, policy.startsOn?.description, policy.endsOn?.description])
            try enqueue(CustomerCreditInsuranceChanged(customerId: customerId, customerNumber: customer.details.customerNumber, policy: policy), db)
            return try Self.requireCustomer(id: customerId, db)
        }
    }

    /// Ends the customer's credit insurance policy. Publishes `customer.credit-insurance-changed`
    /// (without `creditInsurance`) when there was one; does nothing otherwise.
    /// - Throws: `InvoicingError` `.notFound`.
    public func endCreditInsurance(customerId: String) async throws -> Customer {
        try await write { db in
            let customer = try Self.requireCustomer(id: customerId, db)
            guard customer.creditInsurance != nil else { return customer }
            try db.execute(sql: "DELETE FROM customer_credit_insurance WHERE customer_id = ?", arguments: [customerId])
            try enqueue(CustomerCreditInsuranceChanged(customerId: customerId, customerNumber: customer.details.customerNumber, policy: nil), db)
            return try Self.requireCustomer(id: customerId, db)
        }
    }

    static func insuranceDeclarationDeadline(_ row: Row, dueDate: CalendarDate) throws -> CalendarDate? {
        guard let days = row["insurance_declaration_days"] as Int? else { return nil }
        let policyPeriod = (try optionalDate(row["insurance_starts_on"]), try optionalDate(row["insurance_ends_on"]))
        if let start = policyPeriod.0, dueDate < start { return nil }
        if let end = policyPeriod.1, dueDate > end { return nil }
        return dueDate.adding(days: days)
    }

    static func fetchCreditInsurance(customerId: String, _ db: Database) throws -> CreditInsurancePolicy? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customer_credit_insurance WHERE customer_id = ?", arguments: [customerId]) else { return nil }
        return CreditInsurancePolicy(
            insurer: row["insurer"], policyReference: row["policy_reference"],
            coverAmount: Money(minorUnits: row["cover_minor"], currency: try Currency(code: row["currency"])),
            declarationDeadlineDays: row["declaration_days"], startsOn: try optionalDate(row["starts_on"]), endsOn: try optionalDate(row["ends_on"]))
    }

    // MARK: Legal status

    /// Sets where the customer stands in French collective proceedings. In any proceedings
    /// individual collection stops: the event says so and the scheduler sends no reminder.
    /// Publishes `customer.legal-status-changed` (with the previous status) unless nothing changed.
    /// - Throws: `InvoicingError` `.notFound` or a validation code of ``LegalStatusDraft``.
    public func setLegalStatus(customerId: String, _ draft: LegalStatusDraft) async throws -> Customer {
        let status = try draft.validated()
        return try await write { db in
            let customer = try Self.requireCustomer(id: customerId, db)
            guard status != customer.legalStatus else { return customer }
            if status.status == .none {
                try db.execute(sql: "DELETE FROM customer_legal_status WHERE customer_id = ?", arguments: [customerId])
            } else {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO customer_legal_status
                        (customer_id, status, judgment_date, publication_date, court_reference, claim_filing_deadline)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [customerId, status.status.rawValue, status.judgmentDate?.description, status.publicationDate?.description,
                                     status.courtReference, status.claimFilingDeadline?.description])
            }
            try enqueue(CustomerLegalStatusChanged(
                customerId: customerId, customerNumber: customer.details.customerNumber, status: status.status,
                previousStatus: customer.legalStatus.status, judgmentDate: status.judgmentDate, publicationDate: status.publicationDate,
                courtReference: status.courtReference, claimFilingDeadline: status.claimFilingDeadline), db)
            return try Self.requireCustomer(id: customerId, db)
        }
    }

    static func fetchLegalStatus(customerId: String, _ db: Database) throws -> CustomerLegalStatus {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM customer_legal_status WHERE customer_id = ?", arguments: [customerId]),
              let status = LegalProceedings(rawValue: row["status"]) else { return .none }
        return CustomerLegalStatus(
            status: status, judgmentDate: try optionalDate(row["judgment_date"]), publicationDate: try optionalDate(row["publication_date"]),
            courtReference: row["court_reference"], claimFilingDeadline: try optionalDate(row["claim_filing_deadline"]))
    }

    static func requireCustomer(id: String, _ db: Database) throws -> Customer {
        guard let customer = try fetchCustomer(id: id, db) else { throw InvoicingError(.notFound, "no customer with id \(id)") }
        return customer
    }
}
