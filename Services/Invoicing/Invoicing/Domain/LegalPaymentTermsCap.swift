import Events
import Foundation

/// The French cap on payment terms between businesses (Code de commerce, article L441-10,
/// "LME"): at most 60 days from the issue date, or, when the contract says so, 45 days end
/// of month.
///
/// "45 days end of month" has two readings in practice (both tolerated by the DGCCRF): issue
/// date + 45 days, then the end of that month; or the end of the issue month, then + 45 days.
/// Relance implements the first: it is the one Relance's own `45eom` terms use, the one
/// listed first by the administration, and the stricter of the two, so an invoice it does not
/// warn about is within the cap under either reading. An invoice is over the cap when its due
/// date (the last instalment's, with a plan) is after both limits, the later of them being the
/// one the parties could have agreed on. Invoices over the cap are still accepted (the law
/// sanctions the creditor, it does not void the debt); they carry a warning.
public enum LegalPaymentTermsCap {
    /// The warning code.
    public static let code = "paymentTermsExceedLegalMaximum"
    /// Days from the issue date.
    public static let netDays = 60
    /// Days before the end of month, in the "45 days end of month" alternative.
    public static let endOfMonthDays = 45

    /// The latest due date the cap allows for an invoice issued on `issueDate`: the later of
    /// issue + 60 days and (issue + 45 days) end of month.
    public static func latestDueDate(issuedOn issueDate: CalendarDate) -> CalendarDate {
        max(issueDate.adding(days: netDays), issueDate.adding(days: endOfMonthDays).endOfMonth)
    }

    /// A warning when `dueDate` is after the cap for an invoice issued on `issueDate`, or nil.
    public static func warning(issuedOn issueDate: CalendarDate, dueOn dueDate: CalendarDate) -> InvoiceWarning? {
        let sixty = issueDate.adding(days: netDays)
        let endOfMonth = issueDate.adding(days: endOfMonthDays).endOfMonth
        guard dueDate > max(sixty, endOfMonth) else { return nil }
        return InvoiceWarning(code: code, message: """
            the due date \(dueDate) is \(dueDate.days(from: issueDate)) days after the issue date \(issueDate), beyond the \
            French legal maximum (Code de commerce L441-10): 60 days from issue (\(sixty)) or 45 days end of month \
            (\(endOfMonth)); the invoice is accepted, but agree shorter terms with the customer
            """)
    }
}
