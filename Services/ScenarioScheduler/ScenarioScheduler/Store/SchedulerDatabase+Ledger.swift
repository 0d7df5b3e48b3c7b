import Events
import Foundation
import GRDB
import Messaging
import Money
import Storage

/// What applying one consumed event did.
public enum SchedulerEventEffect: Sendable, Hashable {
    case applied
    /// Applied before (redelivery): nothing changed.
    case duplicate
    /// A type this service does not need.
    case ignored
}

extension SchedulerDatabase {
    /// Applies one event of the customers, invoices, payments or notifications topics to the
    /// projection and the dunning state, idempotently (inbox). Every change that can make an
    /// invoice remindable or not recomputes its next action time; the tick decides the rest.
    /// - Throws: `InvalidRecord` for an event that cannot be read (dead-lettered), or a
    ///   database error (retried).
    @discardableResult
    public func apply(_ envelope: Envelope) async throws -> SchedulerEventEffect {
        guard let effect = try effect(of: envelope) else { return .ignored }
        let applied: Void? = try await Inbox.process(envelope, in: writer) { db in try effect(db) }
        if applied != nil { onEventsWritten() }
        return applied == nil ? .duplicate : .applied
    }

    /// What an event does to the store, decoded now and run in the caller's transaction
    /// (after its inbox marker); nil for a type this service does not need. Shared by the
    /// one-event and the batched `apply`.
    /// - Throws: `InvalidRecord` for an event that cannot be read.
    func effect(of envelope: Envelope) throws(InvalidRecord) -> (@Sendable (Database) throws -> Void)? {
        let effect: @Sendable (Database) throws -> Void
        let now = clock.now()
        let time = Self.timestamp(now)
        do {
            switch envelope.type {
            case CustomerRegistered.eventType:
                let event = try envelope.decode(CustomerRegistered.self)
                effect = { db in try self.upsertCustomer(event.customer, version: event.customerVersion, at: now, db) }
            case CustomerUpdated.eventType:
                let event = try envelope.decode(CustomerUpdated.self)
                effect = { db in try self.upsertCustomer(event.customer, version: event.customerVersion, at: now, db) }
            case CustomerLegalStatusChanged.eventType:
                let event = try envelope.decode(CustomerLegalStatusChanged.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE customer SET legal_status = ?, claim_filing_deadline = ?, updated_at = ? WHERE id = ?").execute(arguments: [event.status.rawValue, event.claimFilingDeadline?.description, time, event.customerId])
                    try self.rescheduleCustomer(event.customerId, db)
                    if event.status.suspendsIndividualCollection {
                        // The tick turns the open invoices into one claim-filing task.
                        try db.cachedStatement(sql: "UPDATE invoice SET next_action_at = ? WHERE customer_id = ? AND status IN ('open', 'partiallyPaid')").execute(arguments: [Int64(now.timeIntervalSince1970), event.customerId])
                    }
                }
            case InvoiceIssued.eventType:
                let event = try envelope.decode(InvoiceIssued.self)
                effect = { db in try self.insertInvoice(event, at: now, db) }
            case InvoiceBalanceChanged.eventType:
                let event = try envelope.decode(InvoiceBalanceChanged.self)
                let day = now
                effect = { db in try self.applyBalance(event, on: day, db) }
            case InvoiceSettled.eventType:
                let event = try envelope.decode(InvoiceSettled.self)
                effect = { db in try self.applySettled(event, at: now, db) }
            case InvoiceCancelled.eventType:
                let event = try envelope.decode(InvoiceCancelled.self)
                effect = { db in try self.close(event.invoiceId, status: .cancelled, db) }
            case InvoiceWrittenOff.eventType:
                let event = try envelope.decode(InvoiceWrittenOff.self)
                effect = { db in
                    if let remaining = event.remainingBalance, remaining.isPositive {
                        try db.cachedStatement(sql: "UPDATE invoice SET balance_minor = ? WHERE id = ?").execute(arguments: [remaining.minorUnits, event.invoiceId])
                        try self.reschedule(event.invoiceId, db)
                    } else {
                        try self.close(event.invoiceId, status: .writtenOff, db)
                    }
                }
            case InvoiceReopened.eventType:
                let event = try envelope.decode(InvoiceReopened.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE invoice SET balance_minor = ?, status = ? WHERE id = ?").execute(arguments: [event.balance.minorUnits, event.status.rawValue, event.invoiceId])
                    try db.cachedStatement(sql: "DELETE FROM settlement WHERE invoice_id = ?").execute(arguments: [event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                }
            case InvoiceDisputed.eventType:
                let event = try envelope.decode(InvoiceDisputed.self)
                effect = { db in
                    // No amount: the whole balance is disputed.
                    try db.cachedStatement(sql: """
                        UPDATE invoice SET disputed_minor = MIN(balance_minor, disputed_minor + COALESCE(?, balance_minor)) WHERE id = ?
                        """).execute(arguments: [event.amount?.minorUnits, event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                }
            case InvoiceDisputeResolved.eventType:
                let event = try envelope.decode(InvoiceDisputeResolved.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE invoice SET disputed_minor = MAX(0, disputed_minor - COALESCE(?, disputed_minor)) WHERE id = ?").execute(arguments: [event.amount?.minorUnits, event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                }
            case InvoiceAssignedToFactor.eventType:
                let event = try envelope.decode(InvoiceAssignedToFactor.self)
                // Confidential factoring: the customer does not know; we keep collecting.
                let collects = event.mode != .confidential
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE invoice SET factor_collects = ? WHERE id = ?").execute(arguments: [collects, event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                }
            case InvoiceReleasedFromFactor.eventType:
                let event = try envelope.decode(InvoiceReleasedFromFactor.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE invoice SET factor_collects = 0 WHERE id = ?").execute(arguments: [event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                }
            case InvoiceDueDateChanged.eventType:
                let event = try envelope.decode(InvoiceDueDateChanged.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE invoice SET due_date = ? WHERE id = ?").execute(arguments: [event.dueDate.description, event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                    try self.planInsuranceWarning(invoiceId: event.invoiceId, db)
                }
            case InvoiceScheduleSet.eventType:
                let event = try envelope.decode(InvoiceScheduleSet.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE invoice SET due_date = ? WHERE id = ?").execute(arguments: [event.dueDate.description, event.invoiceId])
                    try self.reschedule(event.invoiceId, db)
                    try self.planInsuranceWarning(invoiceId: event.invoiceId, db)
                }
            case StatementImported.eventType:
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE freshness SET last_import_at = ? WHERE id = 1").execute(arguments: [Int64(now.timeIntervalSince1970)])
                    // Fresh statements release what the guard held: looked at again at the next tick.
                    try db.cachedStatement(sql: "UPDATE invoice SET next_action_at = ? WHERE held = 1").execute(arguments: [Int64(now.timeIntervalSince1970)])
                }
            case CustomerCreditInsuranceChanged.eventType:
                let event = try envelope.decode(CustomerCreditInsuranceChanged.self)
                effect = { db in try self.applyInsurance(event, db) }
            case CollectionCaseUpdated.eventType:
                let event = try envelope.decode(CollectionCaseUpdated.self)
                effect = { db in try self.applyCaseUpdate(event, at: now, db) }
            case NotificationSent.eventType:
                let event = try envelope.decode(NotificationSent.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE action SET outcome = 'sent', detail = COALESCE(detail, '') WHERE notification_id = ?").execute(arguments: [event.notificationId])
                }
            case NotificationFailed.eventType:
                let event = try envelope.decode(NotificationFailed.self)
                effect = { db in
                    try db.cachedStatement(sql: "UPDATE action SET outcome = 'failed', detail = ? WHERE notification_id = ?").execute(arguments: ["\(event.reason.rawValue): \(event.detail)", event.notificationId])
                }
            default:
                return nil
            }
        } catch {
            throw InvalidRecord(String(describing: error))
        }
        return effect
    }

    /// The agency's progress on a case: its status and amount on the case and the timeline;
    /// a closed case lets its invoices out (they are rescheduled: reminded again only if a
    /// step is left).
    func applyCaseUpdate(_ event: CollectionCaseUpdated, at now: Date, _ db: Database) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT invoice_ids, currency FROM collection_case WHERE id = ? AND customer_id = ?"), arguments: [event.caseId, event.customerId]) else {
            throw InvalidRecord("collection.case-updated names case \(event.caseId) of customer \(event.customerId), which this scheduler never opened")
        }
        if let collected = event.collected, collected.currency.code != (row["currency"] as String) {
            throw InvalidRecord("collection.case-updated for \(event.caseId): collected in \(collected.currency.code), the case is in \(row["currency"] as String)")
        }
        try db.cachedStatement(sql: "UPDATE collection_case SET status = ?, collected_minor = COALESCE(?, collected_minor), updated_at = ? WHERE id = ?").execute(arguments: [event.status.rawValue, event.collected?.minorUnits, Self.timestamp(now), event.caseId])
        let invoiceIds = try JSONDecoder().decode([String].self, from: row["invoice_ids"] as Data)
        var detail = "agency: \(event.status.rawValue)"
        if let collected = event.collected { detail += ", \(collected) collected" }
        if let outcome = event.outcome { detail += " (\(outcome))" }
        if let note = event.note { detail += ": \(note)" }
        try recordAction(customerId: event.customerId, kind: "case-update", invoiceIds: invoiceIds, caseId: event.caseId, detail: detail, at: now, db)
        guard event.status == .closed else { return }
        for invoiceId in invoiceIds {
            try db.cachedStatement(sql: "UPDATE invoice SET case_id = NULL WHERE id = ? AND case_id = ?").execute(arguments: [invoiceId, event.caseId])
            try reschedule(invoiceId, db)
        }
    }

    func upsertCustomer(_ snapshot: CustomerSnapshot, version: Int?, at now: Date, _ db: Database) throws {
        let data = try Self.json(snapshot)
        try db.cachedStatement(sql: """
            INSERT INTO customer (id, snapshot, customer_version, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, customer_version = excluded.customer_version,
                updated_at = excluded.updated_at
            WHERE excluded.customer_version IS NULL OR customer.customer_version IS NULL OR excluded.customer_version >= customer.customer_version
            """).execute(arguments: [snapshot.customerId, data, version, Self.timestamp(now)])
        // An older snapshot arriving late was not stored: its time zone must not reach the invoices either.
        guard db.changesCount > 0 else { return }
        try db.cachedStatement(sql: "UPDATE invoice SET customer_time_zone = ? WHERE customer_id = ?").execute(arguments: [snapshot.timeZone, snapshot.customerId])
        try reassign(snapshot.customerId, hint: nil, at: now, db)
        try rescheduleCustomer(snapshot.customerId, db)
    }

    func rescheduleCustomer(_ customerId: String, _ db: Database) throws {
        let ids = try String.fetchAll(db.cachedStatement(sql: "SELECT id FROM invoice WHERE customer_id = ? AND status IN ('open', 'partiallyPaid')"), arguments: [customerId])
        for id in ids { try reschedule(id, db) }
    }

    func insertInvoice(_ issued: InvoiceIssued, at now: Date, _ db: Database) throws {
        // Cached statements here and in `reschedule`: this runs once per invoice ingested.
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM invoice WHERE id = ?"), arguments: [issued.invoiceId]) != true else { return }
        let scenarioName = try scenarioForNewSchedule(customerId: issued.customerId, snapshot: issued.customer, at: now, db)
        let version = catalog.latest(scenarioName)?.version ?? 1
        let balance = issued.balance ?? issued.totalAmount
        let rate: Int? = issued.latePaymentTerms.flatMap { $0.interestRule == LatePaymentTerms.contractualRule ? $0.annualRateBasisPoints : nil }
        let zone = try String.fetchOne(db.cachedStatement(sql: "SELECT json_extract(snapshot, '$.timeZone') FROM customer WHERE id = ?"),
                                       arguments: [issued.customerId]) ?? issued.customer?.timeZone ?? "Europe/Paris"
        try db.cachedStatement(sql: """
            INSERT INTO invoice (id, customer_id, number, payment_reference, currency, total_minor, balance_minor, issue_date, due_date,
                status, dunning_starts_on, scenario, scenario_version, contractual_rate_bp, payee, customer_time_zone, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                issued.invoiceId, issued.customerId, issued.number, issued.paymentReference, issued.totalAmount.currency.code,
                issued.totalAmount.minorUnits, balance.minorUnits, issued.issueDate.description, issued.dueDate.description,
                (issued.status ?? .open).rawValue, issued.dunningStartsOn?.description, scenarioName, version, rate,
                try issued.payee.map(Self.json), zone, Self.timestamp(now),
            ])
        try reschedule(issued.invoiceId, db)
        try planInsuranceWarning(invoiceId: issued.invoiceId, db)
    }

    /// The scenario a new schedule of this customer starts on: the customer's assignment, or
    /// one decided now from the invoice's snapshot of the customer.
    func scenarioForNewSchedule(customerId: String, snapshot: InvoiceCustomerSnapshot?, at now: Date, _ db: Database) throws -> String {
        if let name = try String.fetchOne(db.cachedStatement(sql: "SELECT scenario FROM customer WHERE id = ?"), arguments: [customerId]) { return name }
        let profile = CustomerDunningProfile(customerID: customerId, segment: snapshot?.segment,
                                             risk: RiskCategory(eventValue: snapshot?.riskCategory), strategic: snapshot?.strategic ?? false)
        return assignment.decide(for: profile, behaviour: nil, previous: nil).scenario
    }

    func applyBalance(_ event: InvoiceBalanceChanged, on instant: Date, _ db: Database) throws {
        guard let invoice = try Self.loadInvoice(event.invoiceId, db) else { return }
        let zone = try String.fetchOne(db.cachedStatement(sql: "SELECT customer_time_zone FROM invoice WHERE id = ?"), arguments: [event.invoiceId]) ?? "Europe/Paris"
        let day = CalendarDate(date: instant, in: DunningCustomer.timeZone(named: zone))
        var payments = invoice.payments
        var notBefore = invoice.notBefore
        let paid = invoice.balance.minorUnits - event.balance.minorUnits
        if paid > 0, event.balance.currency == invoice.currency {
            payments.append(LatePaymentCharges.Payment(date: day, amount: Money(minorUnits: paid, currency: invoice.currency)))
            if event.balance.isPositive {
                // A partial payment re-anchors: no step for a grace period after it.
                let resume = day.adding(days: settings.policy.partialPaymentGraceDays)
                notBefore = max(notBefore ?? resume, resume)
            }
        }
        try db.cachedStatement(sql: "UPDATE invoice SET balance_minor = ?, status = ?, payments = ?, not_before = ?, disputed_minor = MIN(disputed_minor, ?) WHERE id = ?").execute(arguments: [event.balance.minorUnits, event.status.rawValue, try Self.json(payments), notBefore?.description,
                                   event.balance.minorUnits, event.invoiceId])
        try reschedule(event.invoiceId, db)
    }

    func applySettled(_ event: InvoiceSettled, at now: Date, _ db: Database) throws {
        guard let invoice = try Self.loadInvoice(event.invoiceId, db) else { return }
        try close(event.invoiceId, status: event.status, db)
        try db.cachedStatement(sql: "UPDATE promise SET status = 'kept', closed_at = ? WHERE status = 'open' AND customer_id = ? AND EXISTS (SELECT 1 FROM json_each(promise.invoice_ids) WHERE value = ?)").execute(arguments: [Self.timestamp(now), event.customerId, event.invoiceId])
        guard event.cause == .payment else { return }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO settlement (invoice_id, customer_id, due_date, settled_on, days_late, amount_minor) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [event.invoiceId, event.customerId, invoice.dueDate.description, event.settledOn.description,
                             max(0, event.settledOn.days(from: invoice.dueDate)), event.totalAmount.minorUnits])
        try reassign(event.customerId, hint: nil, at: now, db)
    }

    func close(_ id: String, status: InvoiceStatus, _ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE invoice SET status = ?, balance_minor = CASE WHEN ? THEN balance_minor ELSE 0 END, next_action_at = NULL WHERE id = ?").execute(arguments: [status.rawValue, status.isOpen, id])
    }

    /// Payment behaviour over the last 12 months (amount-weighted days late).
    func behaviour(of customerId: String, today: CalendarDate, _ db: Database) throws -> PaymentBehaviourFigures {
        let since = today.adding(months: -12).description
        let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT COUNT(*) AS n, SUM(days_late > 0) AS late, SUM(days_late * amount_minor) AS weighted, SUM(amount_minor) AS amount
            FROM settlement WHERE customer_id = ? AND settled_on >= ?
            """), arguments: [customerId, since])
        let broken = try Int.fetchOne(db.cachedStatement(sql: "SELECT COUNT(*) FROM promise WHERE customer_id = ? AND status = 'broken' AND created_at >= ?"), arguments: [customerId, since]) ?? 0
        let count: Int = row?["n"] ?? 0
        let weighted: Int64 = row?["weighted"] ?? 0
        let amount: Int64 = row?["amount"] ?? 0
        let tenths = amount > 0 ? Int((weighted * 10) / amount) : 0
        return PaymentBehaviourFigures(averageDaysLateTenths: tenths, invoices: count, lateInvoices: row?["late"] ?? 0, brokenPromises: broken)
    }

    /// Decides the customer's scenario again; publishes `dunning.scenario-changed` with the
    /// reason when it changed. New schedules start on the new scenario; running ones keep
    /// their pinned version.
    func reassign(_ customerId: String, hint: ScenarioChangeReason?, at now: Date, _ db: Database) throws {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT snapshot, legal_status, claim_filing_deadline, explicit_scenario, scenario, scenario_level FROM customer WHERE id = ?"), arguments: [customerId]) else { return }
        let customer = try Self.customer(from: row)
        var rules = assignment
        if let explicit: String = row["explicit_scenario"] { rules.explicit[customerId] = explicit }
        let previous: AssignmentState? = (row["scenario"] as String?).map { AssignmentState(scenario: $0, level: row["scenario_level"]) }
        let today = CalendarDate(date: now, in: customer.timeZone)
        let decision = rules.decide(for: customer.profile, behaviour: try behaviour(of: customerId, today: today, db), previous: previous)
        try db.cachedStatement(sql: "UPDATE customer SET scenario = ?, scenario_level = ?, scenario_reason = ? WHERE id = ?").execute(arguments: [decision.scenario, decision.state.level, decision.reason.sentence, customerId])
        guard decision.changed else { return }
        let code: ScenarioChangeReason = switch decision.reason.code {
        case _ where previous == nil: .initialAssignment
        case .tightened: hint ?? .paidLate
        case .relaxed: .paidOnTime
        case .explicit: .manual
        case .rule, .default, .keptStricter: .customerProfileChanged
        }
        let version = catalog.latest(decision.scenario)?.version ?? 1
        let from = previous.map { DunningScenarioReference(name: $0.scenario, version: catalog.latest($0.scenario)?.version ?? 1) }
        try enqueue(DunningScenarioChanged(customerId: customerId, from: from,
                                           to: DunningScenarioReference(name: decision.scenario, version: version),
                                           reasonCode: code, reason: decision.reason.sentence), at: now, db)
        try recordAction(customerId: customerId, kind: "scenario-changed", invoiceIds: [], detail: decision.reason.sentence, at: now, db)
    }

    func recordAction(customerId: String, kind: String, invoiceIds: [String], scenario: ScenarioReference? = nil, stepId: String? = nil,
                      channel: String? = nil, notificationId: String? = nil, taskId: String? = nil, caseId: String? = nil,
                      outcome: String? = nil, detail: String?, at now: Date, _ db: Database) throws {
        try Self.insertAction(Self.actionArguments(
            customerId: customerId, kind: kind, invoiceIds: invoiceIds, scenario: scenario, stepId: stepId, channel: channel,
            notificationId: notificationId, taskId: taskId, caseId: caseId, outcome: outcome, detail: detail, at: now), db)
    }

    /// Inserts a timeline line whose arguments were made by ``actionArguments(customerId:kind:invoiceIds:scenario:stepId:channel:notificationId:taskId:caseId:outcome:detail:at:)``
    /// (the tick's planners make them off the writer).
    /// - Parameter statement: The statement of ``insertActionSQL`` if the caller looked it up
    ///   already (the tick, once per batch), else looked up here.
    static func insertAction(_ arguments: StatementArguments, statement: Statement? = nil, _ db: Database) throws {
        // Cached: the tick records an action per step executed and per invoice caught up.
        // Unchecked arguments: the thirteen values always match the statement's parameters.
        let statement = try statement ?? db.cachedStatement(sql: insertActionSQL)
        statement.setUncheckedArguments(arguments)
        try statement.execute()
    }

    /// The timeline line's insert, with the thirteen parameters of ``actionArguments(customerId:kind:invoiceIds:scenario:stepId:channel:notificationId:taskId:caseId:outcome:detail:at:)``.
    static let insertActionSQL = """
        INSERT INTO action (customer_id, kind, scenario, scenario_version, step_id, channel, notification_id, task_id, case_id, outcome, detail, at,
            invoice_ids)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The thirteen values of a timeline line, in the order of ``insertAction(_:_:)``'s statement.
    static func actionArguments(customerId: String, kind: String, invoiceIds: [String], scenario: ScenarioReference? = nil, stepId: String? = nil,
                                channel: String? = nil, notificationId: String? = nil, taskId: String? = nil, caseId: String? = nil,
                                outcome: String? = nil, detail: String?, at now: Date) -> StatementArguments {
        // The invoice ids as one JSON list (sorted, each once): a link row per invoice cost the
        // catch-up a fifth of its CPU (relance-scheduler-bench, migration v3).
        var list = EventJSONWriter(capacity: 2 + 16 * invoiceIds.count)
        list.strings(Set(invoiceIds).sorted())
        return [customerId, kind, scenario?.name, scenario?.version, stepId, channel, notificationId, taskId, caseId,
                outcome, detail, Int64(now.timeIntervalSince1970), String(decoding: list.bytes, as: UTF8.self)]
    }
}
