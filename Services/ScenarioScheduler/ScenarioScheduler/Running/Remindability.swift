import Events
import Money

/// Whether an invoice may be reminded today, and if not, why and until when. The one place
/// that says so: the tick asks it for every due invoice, in the transaction that would emit
/// the command, after re-reading the balance.
public enum Remindability: Sendable, Hashable {
    case remindable
    /// Dunning is over for it (paid, cancelled, written off).
    case stopped(Reason)
    /// Dunning waits: until a day (`resumesOn`), or until an event lifts it (nil).
    case suspended(Reason, resumesOn: CalendarDate?)

    /// Why an invoice is not reminded.
    public enum Reason: String, Sendable, Hashable, Codable {
        case settled, cancelled, writtenOff, disputed, promiseToPay, factor, insolvency, collectionCase, notYetDunned
    }

    /// The rules of issue 9's "Never reminded", in order.
    public static func of(_ invoice: DunningInvoice, customer: DunningCustomer, today: CalendarDate) -> Remindability {
        switch invoice.status {
        case .cancelled: return .stopped(.cancelled)
        case .writtenOff: return .stopped(.writtenOff)
        case .paid: return .stopped(.settled)
        case .open, .partiallyPaid: break
        }
        guard invoice.balance.isPositive else { return .stopped(.settled) }
        if customer.legalStatus.suspendsIndividualCollection { return .suspended(.insolvency, resumesOn: nil) }
        if invoice.factorCollects { return .suspended(.factor, resumesOn: nil) }
        if invoice.caseId != nil { return .suspended(.collectionCase, resumesOn: nil) }
        if !invoice.remindableAmount.isPositive { return .suspended(.disputed, resumesOn: nil) }
        if let starts = invoice.dunningStartsOn, today < starts { return .suspended(.notYetDunned, resumesOn: starts) }
        if let promise = invoice.promiseUntil, today <= promise { return .suspended(.promiseToPay, resumesOn: promise.adding(days: 1)) }
        return .remindable
    }
}
