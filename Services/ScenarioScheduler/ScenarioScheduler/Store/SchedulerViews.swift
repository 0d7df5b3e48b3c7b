import Events
import Foundation
import Money

/// What the scheduler's API returns: read models of its store, as JSON.
public enum SchedulerViews {
    /// One line of a timeline.
    public struct TimelineEntry: Codable, Sendable, Hashable {
        public var at: Date
        /// `notification`, `task`, `case`, `skipped`, `held`, `stricter`, `scenario-changed`, `promise-recorded`, ...
        public var kind: String
        public var scenario: String?
        public var scenarioVersion: Int?
        public var stepId: String?
        public var channel: String?
        public var notificationId: String?
        public var taskId: String?
        public var caseId: String?
        /// For notifications: `requested`, then `sent` or `failed` as the notification service reports.
        public var outcome: String?
        public var detail: String?
        public var invoiceIds: [String]
    }

    /// An invoice's dunning state.
    public struct InvoiceState: Codable, Sendable, Hashable {
        public var invoiceId: String
        public var customerId: String
        public var number: String
        public var status: String
        public var dueDate: CalendarDate
        public var balance: Money
        public var disputed: Money
        public var scenario: String
        public var scenarioVersion: Int
        /// Steps behind it.
        public var stepsDone: Int
        /// The next step's id, if any is left.
        public var nextStepId: String?
        /// When the tick looks at it next; absent when nothing is planned.
        public var nextActionAt: Date?
        /// Why it is not reminded, when it is not (settled, disputed, promiseToPay, ...).
        public var suspendedBecause: String?
        public var held: Bool
        public var promiseUntil: CalendarDate?
        public var caseId: String?
    }

    /// A customer's dunning: its scenario, why, its invoices' states and its timeline.
    public struct CustomerDunning: Codable, Sendable, Hashable {
        public var customerId: String
        public var scenario: String?
        public var level: Int
        public var reason: String?
        public var explicitScenario: String?
        public var invoices: [InvoiceState]
        public var timeline: [TimelineEntry]
    }

    /// An invoice's dunning with its timeline.
    public struct InvoiceDunning: Codable, Sendable, Hashable {
        public var state: InvoiceState
        public var timeline: [TimelineEntry]
    }

    public struct Task: Codable, Sendable, Hashable {
        public var taskId: String
        public var customerId: String
        public var kind: String
        public var invoiceIds: [String]
        public var dueOn: CalendarDate
        public var scenario: String?
        public var scenarioVersion: Int?
        public var stepId: String?
        public var contactId: String?
        public var status: String
        public var outcome: String?
        public var note: String?
        public var createdAt: String
        public var completedAt: String?
    }

    public struct Promise: Codable, Sendable, Hashable {
        public var promiseId: String
        public var customerId: String
        public var invoiceIds: [String]
        public var payBy: CalendarDate
        public var amount: Money
        public var status: String
        public var createdAt: String
    }

    public struct CollectionCase: Codable, Sendable, Hashable {
        public var caseId: String
        public var customerId: String
        public var invoiceIds: [String]
        public var status: String
        public var openedAt: String
        public var collected: Money
    }

    /// The freshness guard's state.
    public struct Holds: Codable, Sendable, Hashable {
        /// Whether automatic reminders hold now.
        public var freshnessHold: Bool
        public var freshnessBusinessDays: Int
        public var lastStatementImportAt: Date?
        public var overrideUntil: Date?
        public var overrideBy: String?
        /// Invoices waiting because of it.
        public var heldInvoices: Int
    }

    /// A scenario version in a list.
    public struct ScenarioSummary: Codable, Sendable, Hashable {
        public var name: String
        public var version: Int
        public var description: String?
        public var steps: Int
        public var versions: Int
        public var shipped: Bool
    }

    /// The scheduler's clock.
    public struct Clock: Codable, Sendable, Hashable {
        public var now: Date
        public var offsetSeconds: Double
        public var adjustable: Bool
    }
}
