/// Every event type of the published contract, for documentation and contract tests.
public enum EventCatalog {
    public static let all: [any DomainEvent.Type] = [
        CustomerRegistered.self, CustomerUpdated.self, CustomerCreditLimitExceeded.self, CustomerCreditLimitCleared.self,
        CustomerCreditChanged.self, CreditNoteIssued.self,
        CustomerCreditInsuranceChanged.self, CustomerLegalStatusChanged.self,
        InvoiceIssued.self, InvoiceCancelled.self, InvoiceCredited.self, InvoiceDisputed.self,
        InvoiceDisputeResolved.self, InvoiceAssignedToFactor.self, InvoiceReleasedFromFactor.self, InvoiceWrittenOff.self,
        InvoiceBalanceChanged.self, InvoicePaid.self, InvoiceSettled.self, InvoiceReopened.self,
        InvoiceScheduleSet.self, InvoiceDueDateChanged.self,
        PaymentAllocated.self, PaymentReversed.self, PaymentReceivedOnAccount.self,
        PaymentReceived.self, PaymentUnmatched.self, StatementImported.self,
        NotificationRequested.self, NotificationSent.self, NotificationFailed.self,
        DunningStepExecuted.self, DunningScenarioChanged.self, DunningTaskCreated.self, DunningTaskCompleted.self,
        DunningPromiseRecorded.self, DunningPromiseBroken.self, CollectionCaseOpened.self, CollectionCaseUpdated.self,
        CustomerVetted.self, CustomerExposureExceeded.self,
        QuoteCreated.self, QuoteSent.self, QuoteAccepted.self, QuoteRefused.self, QuoteExpired.self,
        OrderCreated.self, OrderInvoiced.self, OrderCancelled.self,
    ]
}
