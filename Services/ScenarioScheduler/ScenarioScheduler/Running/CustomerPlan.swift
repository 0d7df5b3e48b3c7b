import Events
import Foundation

/// What one tick decided for one customer: the steps executed (each with the events to
/// publish), and every due invoice's new schedule. The store writes all of it in one
/// transaction.
public struct CustomerPlan: Sendable, Hashable {
    /// One step carried out for a set of invoices.
    public struct Execution: Sendable, Hashable {
        /// What the step produced.
        public enum Output: Sendable, Hashable {
            /// A reminder to send (email, SMS, letter, registered letter).
            case notification(NotificationRequested)
            /// A collector's task: a phone call, an approval of a manual step, a claim to file.
            case task(DunningTaskCreated)
            /// A hand-over to the collection agency.
            case collectionCase(CollectionCaseOpened)
        }

        public var output: Output
        /// The `dunning.step-executed` published with it.
        public var executed: DunningStepExecuted
        /// Steps jumped over on the way (catch-up after downtime), per invoice id.
        public var skipped: [String: [String]]
        /// The step, for approval tasks: what to do once a person approves.
        public var pendingStep: DunningStepReference?
    }

    /// An invoice's schedule after the tick.
    public struct InvoiceUpdate: Sendable, Hashable {
        public var invoiceId: String
        public var stepsDone: Int
        /// The next time the tick looks at it; nil: nothing planned until an event changes it.
        public var nextActionAt: Date?
        public var held: Bool
        /// The promise it was under expired unpaid: clear it.
        public var promiseExpired: Bool
        public var notBefore: CalendarDate?
        public var caseId: String?
        /// The step waits (contact cap, sending window, freshness hold).
        public var deferred = false
    }

    /// A line of a customer's timeline that is not a step executed: a hold.
    public struct Note: Sendable, Hashable {
        public var invoiceIds: [String]
        public var kind: String
        public var detail: String
    }

    public var customerId: String
    public var executions: [Execution] = []
    public var updates: [InvoiceUpdate] = []
    public var notes: [Note] = []
    /// Promises that expired unpaid (their invoices resume).
    public var brokenPromiseInvoiceIds: [String] = []

    public init(customerId: String) {
        self.customerId = customerId
    }
}
