import Events
import Foundation
import Money

/// Decides, for one customer at one instant, which scenario steps are carried out now and
/// when each due invoice is looked at next. Pure and deterministic: the store feeds it the
/// rows it re-read in the transaction that will write the result.
///
/// The rules, in order:
/// - An invoice that may not be reminded (``Remindability``) executes nothing: stopped ones
///   leave the schedule, suspended ones come back when their suspension ends.
/// - Catch-up: an invoice whose schedule fell behind (the service was stopped) jumps to the
///   latest step due; the steps in between are recorded as skipped, not sent.
/// - A promise found broken resumes the scenario; with ``BrokenPromiseRule/oneStepStricter``
///   one step further than time alone puts it, at once.
/// - A step whose conditions (minimum overdue, segment, risk) do not admit the invoice is
///   skipped.
/// - Consolidation: invoices at the same step, channel and currency make one message. Per
///   channel only the most advanced step goes out in a tick; the others wait for the cap.
/// - Contact cap: at most ``DunningPolicy/maxMessagesPerWindow`` messages per rolling window
///   and ``DunningPolicy/cooldown`` between two; what exceeds it is deferred, never dropped.
/// - Sending window: messages go out only inside the customer's window, on business days.
/// - Freshness guard: automatic reminders hold while bank statements are stale.
/// - Manual steps become an approval task; phone calls a call task; agency steps a
///   collection case; a customer under a collective proceeding gets no reminder.
public struct DunningPlanner: Sendable {
    public var catalog: ScenarioCatalog
    public var clock: DunningClock {
        didSet { sendInstants = SendInstantMemo() }
    }
    /// Remembers ``DunningClock/firstSendInstant(onOrAfter:in:)`` of ``clock`` (a new clock
    /// starts a new memo). The store hands every planner it makes the same one.
    var sendInstants = SendInstantMemo()
    public var policy: DunningPolicy
    public var rates: ReferenceRateTable
    public var creditor: CreditorDefaults

    public init(catalog: ScenarioCatalog, clock: DunningClock = .standard, policy: DunningPolicy = .init(),
                rates: ReferenceRateTable = .shipped, creditor: CreditorDefaults = .init()) {
        self.catalog = catalog
        self.clock = clock
        self.policy = policy
        self.rates = rates
        self.creditor = creditor
    }

    /// When the step at `index` of the invoice's scenario is due: the first sending instant on
    /// or after its day (due date + offset, not before `dunningStartsOn` nor `notBefore`).
    /// nil when the scenario has no such step (the schedule is over).
    public func plannedInstant(of invoice: DunningInvoice, step index: Int, in timeZone: TimeZone) -> Date? {
        guard let scenario = catalog.scenario(invoice.scenario), index >= 0, index < scenario.steps.count else { return nil }
        var day = invoice.dueDate.adding(days: scenario.steps[index].offsetDays)
        if let starts = invoice.dunningStartsOn, starts > day { day = starts }
        if let notBefore = invoice.notBefore, notBefore > day { day = notBefore }
        return sendInstants.instant(onOrAfter: day, in: timeZone, clock: clock)
    }

    /// When the tick should look at an invoice next given its state: its next step's time,
    /// the end of a dated suspension, or nil (stopped, suspended until an event, or no step left).
    public func nextActionInstant(of invoice: DunningInvoice, customer: DunningCustomer, today: CalendarDate) -> Date? {
        switch Remindability.of(invoice, customer: customer, today: today) {
        case .stopped, .suspended(_, resumesOn: nil):
            return nil
        case .suspended(_, resumesOn: let day?):
            var resumed = invoice
            resumed.notBefore = max(invoice.notBefore ?? day, day)
            resumed.promiseUntil = nil
            resumed.dunningStartsOn = nil
            return plannedInstant(of: resumed, step: invoice.stepsDone, in: customer.timeZone)
        case .remindable:
            return plannedInstant(of: invoice, step: invoice.stepsDone, in: customer.timeZone)
        }
    }

    /// The plan for one customer's due invoices.
    /// - Parameters:
    ///   - customer: The customer.
    ///   - due: Its invoices whose next action time has come, as re-read now.
    ///   - now: The scheduler clock's instant.
    ///   - recentMessages: When the customer's last messages went out (within the cap window).
    ///   - statementsFresh: Whether the freshness guard lets automatic reminders go (fresh,
    ///     overridden or off).
    public func plan(customer: DunningCustomer, due: [DunningInvoice], now: Date, recentMessages: [Date],
                     statementsFresh: Bool) -> CustomerPlan {
        var plan = CustomerPlan(customerId: customer.customerId)
        let zone = customer.timeZone
        let today = CalendarDate(date: now, in: zone)
        let recheck = now.addingTimeInterval(policy.recheck.timeInterval)

        struct Candidate {
            var invoice: DunningInvoice
            var stepIndex: Int
            var step: DunningStep
            var skipped: [String]
        }
        var candidates: [Candidate] = []
        var claimFilingInvoices: [DunningInvoice] = []

        for invoice in due.sorted(by: { $0.invoiceId < $1.invoiceId }) {
            var update = CustomerPlan.InvoiceUpdate(
                invoiceId: invoice.invoiceId, stepsDone: invoice.stepsDone, nextActionAt: nil, held: false,
                promiseExpired: false, notBefore: invoice.notBefore, caseId: invoice.caseId)
            var current = invoice
            var promiseBroken = false
            if let promise = invoice.promiseUntil, today > promise {
                promiseBroken = true
                // The promised day passed and the invoice is still open: the promise is broken,
                // the scenario resumes from where it stood.
                update.promiseExpired = true
                current.promiseUntil = nil
                plan.brokenPromiseInvoiceIds.append(invoice.invoiceId)
            }
            switch Remindability.of(current, customer: customer, today: today) {
            case .stopped:
                plan.updates.append(update)
                continue
            case .suspended(.insolvency, resumesOn: _):
                claimFilingInvoices.append(current)
                plan.updates.append(update)
                continue
            case .suspended(_, resumesOn: let day):
                update.nextActionAt = day.map { sendInstants.instant(onOrAfter: $0, in: zone, clock: clock) }
                plan.updates.append(update)
                continue
            case .remindable:
                break
            }
            guard let scenario = catalog.scenario(current.scenario) else {
                // A pinned version the catalog does not hold: only a broken store does this.
                plan.notes.append(.init(invoiceIds: [invoice.invoiceId], kind: "unknownScenario",
                                        detail: "scenario \(current.scenario) is not in the catalog; the invoice waits"))
                update.nextActionAt = recheck
                plan.updates.append(update)
                continue
            }
            // The latest step whose time has come; those before it are caught up (skipped).
            var latest: Int?
            var index = current.stepsDone
            while index < scenario.steps.count, let instant = plannedInstant(of: current, step: index, in: zone), instant <= now {
                latest = index
                index += 1
            }
            if promiseBroken, scenario.brokenPromise == .oneStepStricter {
                // One step further than time alone puts the invoice, at once.
                let stricter = (latest ?? current.stepsDone - 1) + 1
                if stricter < scenario.steps.count {
                    latest = stricter
                    plan.notes.append(.init(invoiceIds: [invoice.invoiceId], kind: "stricter",
                                            detail: "promise broken: \(current.scenario) resumes one step stricter, at step \(scenario.steps[stricter].id)"))
                }
            }
            guard let stepIndex = latest else {
                update.nextActionAt = plannedInstant(of: current, step: current.stepsDone, in: zone)
                plan.updates.append(update)
                continue
            }
            let skipped = scenario.steps[current.stepsDone..<stepIndex].map(\.id)
            let step = scenario.steps[stepIndex]
            if !step.conditions.admit(overdue: current.remindableAmount, segment: customer.segment, risk: customer.risk) {
                update.stepsDone = stepIndex + 1
                update.nextActionAt = plannedInstant(of: current, step: stepIndex + 1, in: zone)
                plan.notes.append(.init(invoiceIds: [invoice.invoiceId], kind: "skipped",
                                        detail: "step \(step.id) of \(current.scenario) skipped: its conditions do not admit the invoice"))
                plan.updates.append(update)
                continue
            }
            candidates.append(Candidate(invoice: current, stepIndex: stepIndex, step: step, skipped: skipped))
        }

        if !claimFilingInvoices.isEmpty, customer.legalStatus.suspendsIndividualCollection {
            let ids = claimFilingInvoices.map(\.invoiceId)
            let reference = DunningStepReference(name: "collective-proceeding", version: 1, stepId: "claim-filing")
            let id = "task-" + NotificationRequested.notificationId(customerId: customer.customerId, step: reference, invoiceIds: ids)
            let task = DunningTaskCreated(customerId: customer.customerId, taskId: id, kind: .claimFiling, invoiceIds: ids,
                                          dueOn: customer.claimFilingDeadline ?? today, step: nil, contactId: nil)
            let executed = DunningStepExecuted(customerId: customer.customerId, invoiceIds: ids, step: reference,
                                               channel: .phoneCall, taskId: id, executedAt: now)
            plan.executions.append(.init(output: .task(task), executed: executed, skipped: [:], pendingStep: nil))
        }

        // Group: same scenario version, step, channel and currency.
        struct GroupKey: Hashable { var scenario: ScenarioReference; var stepIndex: Int; var currency: String }
        var groups: [GroupKey: [Candidate]] = [:]
        for candidate in candidates {
            groups[GroupKey(scenario: candidate.invoice.scenario, stepIndex: candidate.stepIndex, currency: candidate.invoice.currency.code),
                   default: []].append(candidate)
        }
        // Most advanced first (largest offset), then a stable order.
        let ordered = groups.sorted { lhs, rhs in
            let left = lhs.value[0].step.offsetDays, right = rhs.value[0].step.offsetDays
            if left != right { return left > right }
            return (lhs.key.scenario.description, lhs.key.stepIndex, lhs.key.currency) < (rhs.key.scenario.description, rhs.key.stepIndex, rhs.key.currency)
        }

        var sentTimes = recentMessages.filter { $0 > now.addingTimeInterval(-policy.capWindow.timeInterval) }.sorted()
        var channelsUsed: Set<String> = []
        for (key, members) in ordered {
            let step = members[0].step
            let isMessage = !(step.channel == .phoneCall || step.channel == .collectionAgency) && step.mode == .automatic
            func defer_(to instant: Date, note: String?) {
                let at = clock.earliestAllowedInstant(atOrAfter: max(instant, now.addingTimeInterval(60)), in: zone)
                for member in members {
                    // Steps skipped on the way stay skipped; the step itself waits.
                    plan.updates.append(.init(invoiceId: member.invoice.invoiceId, stepsDone: member.stepIndex, nextActionAt: at,
                                              held: note != nil, promiseExpired: plan.brokenPromiseInvoiceIds.contains(member.invoice.invoiceId),
                                              notBefore: member.invoice.notBefore, caseId: member.invoice.caseId, deferred: true))
                    if let note, !member.invoice.held {
                        plan.notes.append(.init(invoiceIds: [member.invoice.invoiceId], kind: "held", detail: note))
                    }
                }
            }
            if isMessage {
                if !statementsFresh {
                    defer_(to: recheck, note: "automatic reminders hold: the newest bank statement is older than \(policy.freshnessBusinessDays) business days (override: POST /v1/holds/freshness/override)")
                    continue
                }
                if !clock.isAllowed(now, in: zone) {
                    defer_(to: clock.earliestAllowedInstant(atOrAfter: now, in: zone), note: nil)
                    continue
                }
                let channelKey = step.channel.rawValue + "/" + key.currency
                if channelsUsed.contains(channelKey) {
                    defer_(to: now.addingTimeInterval(policy.cooldown.timeInterval), note: nil)
                    continue
                }
                if let last = sentTimes.last, now < last.addingTimeInterval(policy.cooldown.timeInterval) {
                    defer_(to: last.addingTimeInterval(policy.cooldown.timeInterval), note: nil)
                    continue
                }
                if sentTimes.count >= policy.maxMessagesPerWindow, policy.maxMessagesPerWindow > 0 {
                    let oldestCounted = sentTimes[sentTimes.count - policy.maxMessagesPerWindow]
                    defer_(to: oldestCounted.addingTimeInterval(policy.capWindow.timeInterval), note: nil)
                    continue
                }
            }
            let execution = execute(step: step, stepIndex: key.stepIndex, scenario: key.scenario, members: members.map(\.invoice),
                                    skipped: Dictionary(uniqueKeysWithValues: members.map { ($0.invoice.invoiceId, $0.skipped) }),
                                    customer: customer, now: now, today: today)
            if case .notification = execution.output {
                sentTimes.append(now)
                channelsUsed.insert(step.channel.rawValue + "/" + key.currency)
            }
            let caseId: String? = if case .collectionCase(let opened) = execution.output { opened.caseId } else { nil }
            plan.executions.append(execution)
            for member in members {
                var advanced = member.invoice
                advanced.stepsDone = member.stepIndex + 1
                advanced.caseId = caseId ?? member.invoice.caseId
                plan.updates.append(.init(
                    invoiceId: member.invoice.invoiceId, stepsDone: member.stepIndex + 1,
                    nextActionAt: caseId == nil ? plannedInstant(of: advanced, step: member.stepIndex + 1, in: zone) : nil,
                    held: false, promiseExpired: plan.brokenPromiseInvoiceIds.contains(member.invoice.invoiceId),
                    notBefore: member.invoice.notBefore, caseId: advanced.caseId))
            }
        }
        return plan
    }

    /// Builds what a step produces for a group of invoices (one customer, step and currency).
    func execute(step: DunningStep, stepIndex: Int, scenario: ScenarioReference, members: [DunningInvoice],
                 skipped: [String: [String]], customer: DunningCustomer, now: Date, today: CalendarDate) -> CustomerPlan.Execution {
        let reference = DunningStepReference(name: scenario.name, version: scenario.version, stepId: step.id)
        let ids = members.map(\.invoiceId)
        let baseId = NotificationRequested.notificationId(customerId: customer.customerId, step: reference, invoiceIds: ids)
        let recipients = recipients(for: step, customer: customer)
        let contactId = recipients.first?.contactId

        func task(_ kind: DunningTaskKind, pending: Bool) -> CustomerPlan.Execution {
            let taskId = "task-" + baseId
            let created = DunningTaskCreated(customerId: customer.customerId, taskId: taskId, kind: kind, invoiceIds: ids, dueOn: today,
                                             step: reference, contactId: contactId)
            let executed = DunningStepExecuted(customerId: customer.customerId, invoiceIds: ids, step: reference,
                                               channel: DunningStepChannel(rawValue: step.channel.rawValue), taskId: taskId, executedAt: now)
            return .init(output: .task(created), executed: executed, skipped: skipped, pendingStep: pending ? reference : nil)
        }

        switch step.channel {
        case .phoneCall:
            return task(.phoneCall, pending: false)
        case .collectionAgency where step.mode == .manual, .email where step.mode == .manual, .sms where step.mode == .manual,
             .letter where step.mode == .manual, .registeredLetter where step.mode == .manual:
            return task(.approval, pending: true)
        case .email, .sms, .letter, .registeredLetter, .collectionAgency:
            break
        }
        let claimed = members.map { claim($0, step: step, customer: customer, today: today) }
        let currency = members[0].currency
        let totals = (try? ClaimTotals(summing: claimed.map(\.invoice), currency: currency))
            ?? ClaimTotals(balance: .zero(currency), lateInterest: .zero(currency), recoveryIndemnity: .zero(currency), totalClaimed: .zero(currency))
        let sender = creditor.sender(payee: members.first(where: { $0.payee != nil })?.payee)

        if step.channel == .collectionAgency {
            let caseId = "case-" + baseId
            let opened = CollectionCaseOpened(
                customerId: customer.customerId, caseId: caseId,
                debtor: .init(customerNumber: customer.customerNumber, legalName: customer.legalName, registrationId: customer.registrationId,
                              vatId: customer.vatId, address: customer.billingAddress, contacts: customer.contacts),
                creditor: sender, invoices: claimed.map(\.invoice), totals: totals, history: [])
            let executed = DunningStepExecuted(customerId: customer.customerId, invoiceIds: ids, step: reference, channel: .collectionAgency,
                                               caseId: caseId, executedAt: now)
            return .init(output: .collectionCase(opened), executed: executed, skipped: skipped, pendingStep: nil)
        }
        guard !recipients.isEmpty else {
            // Nobody to write to on this channel: a person decides (an approval task says why).
            return task(.approval, pending: true)
        }
        let channel = NotificationChannel(rawValue: step.channel.rawValue)
        let deadline = today.adding(days: step.responseDeadlineDays ?? 8)
        let formalNotice: NotificationRequested.FormalNotice? = step.isFormalNotice
            ? .init(responseDeadline: deadline, annualInterestRateBasisPoints: claimed.compactMap(\.rateBasisPoints).max() ?? statutoryRate(on: today))
            : nil
        let fallback: NotificationChannel? = step.channel == .email && step.letterIfEmailFails && customer.billingAddress != nil ? .letter : nil
        let command = NotificationRequested(
            notificationId: baseId, customerId: customer.customerId, channel: channel, fallbackChannel: fallback,
            language: customer.language, templateId: NotificationTemplateId(rawValue: step.template), recipients: recipients,
            sender: sender, customer: .init(customerNumber: customer.customerNumber, legalName: customer.legalName),
            invoices: claimed.map(\.invoice), totals: totals, payBy: deadline, formalNotice: formalNotice, scenario: reference)
        let executed = DunningStepExecuted(customerId: customer.customerId, invoiceIds: ids, step: reference,
                                           channel: DunningStepChannel(rawValue: step.channel.rawValue), notificationId: baseId, executedAt: now)
        return .init(output: .notification(command), executed: executed, skipped: skipped, pendingStep: nil)
    }

    /// The contacts a step writes to: those of the step's role (or its first fallback role
    /// present) who have the address the channel needs, dunning recipients first.
    func recipients(for step: DunningStep, customer: DunningCustomer) -> [NotificationRecipient] {
        func usable(_ contact: ContactSnapshot) -> Bool {
            switch step.channel {
            case .email: return contact.email?.isEmpty == false
            case .sms: return contact.phone?.isEmpty == false
            case .letter, .registeredLetter: return customer.billingAddress != nil
            case .phoneCall: return contact.phone?.isEmpty == false || contact.email?.isEmpty == false
            case .collectionAgency: return true
            }
        }
        let candidates = customer.contacts.filter(usable)
        let roles = Set(candidates.compactMap { RecipientRole(rawValue: $0.role) })
        guard let role = step.recipientRole(among: roles) else { return [] }
        let chosen = candidates.filter { $0.role == role.rawValue }
        let preferred = chosen.filter(\.isDunningRecipient)
        return (preferred.isEmpty ? chosen : preferred).map { contact in
            NotificationRecipient(
                contactId: contact.contactId, name: contact.name, role: contact.role,
                email: step.channel == .email ? contact.email : nil, phone: step.channel == .sms ? contact.phone : nil,
                postalAddress: step.channel == .letter || step.channel == .registeredLetter ? customer.billingAddress : nil,
                cc: step.channel == .email ? contact.cc : nil)
        }
    }

    /// An invoice as the step claims it, with late-payment charges when the step claims them.
    func claim(_ invoice: DunningInvoice, step: DunningStep, customer: DunningCustomer, today: CalendarDate)
        -> (invoice: ClaimedInvoice, rateBasisPoints: Int?) {
        let zero = Money.zero(invoice.currency)
        var interest = zero, indemnity = zero
        var rate: Int?
        if !step.claims.isEmpty {
            // The base is what is still owed plus what was paid after the due date, so the
            // periods split at each partial payment and end on the balance.
            let paidLate = invoice.payments.filter { $0.date > invoice.dueDate }.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
            let amountDue = Money(minorUnits: invoice.remindableAmount.minorUnits + paidLate, currency: invoice.currency)
            let contractual = (invoice.contractualRateBasisPoints ?? customer.lateInterestRateBasisPoints).flatMap { try? AnnualRate(basisPoints: $0) }
            if let result = try? LatePaymentCharges.compute(
                amountDue: amountDue, dueDate: invoice.dueDate, asOf: today,
                payments: invoice.payments.filter { $0.date > invoice.dueDate && $0.amount.currency == invoice.currency },
                contractualRate: contractual, rates: rates) {
                if step.claims.contains(.interest) { interest = result.interest }
                if step.claims.contains(.indemnity), result.indemnity.currency == invoice.currency { indemnity = result.indemnity }
                rate = result.periods.last?.annualRate.basisPoints
            }
        }
        let claimed = ClaimedInvoice(
            invoiceId: invoice.invoiceId, invoiceNumber: invoice.number, issueDate: invoice.issueDate, dueDate: invoice.dueDate,
            total: invoice.total, balance: invoice.remindableAmount, daysOverdue: today.days(from: invoice.dueDate),
            paymentReference: invoice.paymentReference, lateInterest: interest, recoveryIndemnity: indemnity)
        return (claimed, rate)
    }

    /// ECB + 10 points in force on a day, in basis points (0 when the table has no rate).
    func statutoryRate(on day: CalendarDate) -> Int {
        guard let reference = try? rates.halfYearReference(for: day) else { return 0 }
        return reference.rate.basisPoints + LatePaymentCharges.statutoryMarginPoints * 100
    }
}
