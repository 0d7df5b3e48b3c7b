import Events
import Money

/// French late-payment charges on a business invoice (code de commerce L441-10, D441-5): late
/// interest and the fixed recovery indemnity. Pure functions of their inputs.
///
/// The rules, as issue 9 states them, and the conventions chosen where the law leaves a choice:
/// - Interest runs from the day after the due date through the as-of date, both included,
///   as simple interest on the amount still due, actual days / 365 (also in a leap year: the
///   issue fixes 365; a 366-day year gives one more day of interest, never a smaller divisor).
/// - The days split into periods at each half-year boundary (1 January, 1 July) and at each
///   day the amount due changes; each period has one base and one rate.
/// - Rate: the contractual rate from the invoice's late-payment terms when there is one;
///   otherwise the ECB main refinancing rate in force on the half-year's first day + 10
///   points (``ReferenceRateTable``).
/// - A payment received on day D reduces the base from D + 1 (the money was not there for day
///   D's interest). So a payment on or before the due date reduces the amount the interest
///   starts on: it is not a late payment. A payment after the as-of date is ignored (a note
///   says so). Once the payments cover the amount due, interest stops.
/// - Each period's interest is `base × basisPoints × days / 3_650_000` minor units, rounded
///   half-up (…,5 goes up) to the minor unit, computed in 128-bit integers: a base of
///   Int64.max at 1000 % over a 184-day period is below 2^88. The total is the sum of the
///   rounded periods, so it can differ from one unsplit computation by up to half a minor
///   unit per period.
/// - The recovery indemnity is 40 EUR per invoice paid late (or still unpaid after its due
///   date), business-to-business only, outside the scope of VAT. It is fixed in euros: an
///   invoice in another currency gets none, with a note, never a converted amount.
public enum LatePaymentCharges {
    /// Money received against the invoice.
    public struct Payment: Hashable, Sendable, Codable {
        /// The day the money was received.
        public let date: CalendarDate
        /// The amount received, positive, in the invoice's currency.
        public let amount: Money

        public init(date: CalendarDate, amount: Money) {
            self.date = date
            self.amount = amount
        }
    }

    /// The fixed recovery indemnity of D441-5: 40 EUR.
    public static let recoveryIndemnity = Money(minorUnits: 40_00, currency: .eur)

    /// The points L441-10 adds to the ECB rate when the terms name no rate: 10.
    public static let statutoryMarginPoints = 10

    /// The charges on an invoice as of a day.
    /// - Parameters:
    ///   - amountDue: What the invoice asked for, including VAT (interest runs on the amount
    ///     including VAT); zero or more.
    ///   - dueDate: The due date; interest starts the next day.
    ///   - asOf: The last day of interest counted.
    ///   - payments: Payments received, in any order, each positive and in `amountDue`'s
    ///     currency. Those on or before the due date reduce the amount due.
    ///   - contractualRate: The annual rate of the invoice's late-payment terms, which replaces
    ///     ECB + 10 points; nil for the statutory rate.
    ///   - indemnityApplies: Whether the 40 EUR indemnity is claimed: true for a business
    ///     customer (the default), false for a consumer.
    ///   - rates: The ECB reference rates; the shipped table by default.
    /// - Returns: Zero interest and no indemnity when `asOf` is not after `dueDate` or the
    ///   invoice was paid in full by its due date.
    /// - Throws: `ChargesError`: `.invalidAmount` for a negative amount due, a payment that is
    ///   not positive or in another currency; `.noReferenceRate` when a half-year has no
    ///   rate in the table (and no contractual rate); `.invalidRate` when ECB + 10 exceeds
    ///   1000 %; `.overflow` when the interest exceeds 64-bit minor units.
    public static func compute(
        amountDue: Money,
        dueDate: CalendarDate,
        asOf: CalendarDate,
        payments: [Payment] = [],
        contractualRate: AnnualRate? = nil,
        indemnityApplies: Bool = true,
        rates: ReferenceRateTable = .shipped
    ) throws(ChargesError) -> ChargesResult {
        let currency = amountDue.currency
        guard !amountDue.isNegative else {
            throw ChargesError(.invalidAmount, "the amount due is \(amountDue); it must be zero or more (a credit bears no late interest)")
        }
        for payment in payments {
            guard payment.amount.currency == currency else {
                throw ChargesError(.invalidAmount, "the payment of \(payment.amount) on \(payment.date) is not in the invoice's currency, \(currency.code); give payments in \(currency.code)")
            }
            guard payment.amount.isPositive else {
                throw ChargesError(.invalidAmount, "the payment of \(payment.amount) on \(payment.date) is not positive; leave out empty payments and give refunds as a larger amount due")
            }
        }
        let zero = Money.zero(currency)
        var notes: [String] = []
        let ignored = payments.filter { $0.date > asOf }
        if !ignored.isEmpty {
            let list = ignored.sorted { $0.date < $1.date }.map { "\($0.amount) on \($0.date)" }.joined(separator: ", ")
            notes.append("payments after the as-of date \(asOf) are not counted: \(list)")
        }
        guard asOf > dueDate else {
            return ChargesResult(interest: zero, indemnity: zero, periods: [], notes: notes + ["not late as of \(asOf): the invoice is due on \(dueDate)"])
        }

        // Payments in date order; those on or before the due date make the starting base.
        let received = payments.filter { $0.date <= asOf }.sorted { $0.date < $1.date }
        var balance = amountDue.minorUnits
        var next = 0
        let start = dueDate.adding(days: 1)
        func applyPayments(before day: CalendarDate) -> CalendarDate? {
            var lastApplied: CalendarDate?
            while next < received.count, received[next].date < day {
                balance = max(0, balance - received[next].amount.minorUnits)
                lastApplied = received[next].date
                next += 1
            }
            return lastApplied
        }
        _ = applyPayments(before: start)
        guard balance > 0 else {
            return ChargesResult(interest: zero, indemnity: zero, periods: [], notes: notes + [amountDue.isZero ? "nothing is due" : "nothing was due after \(dueDate): paid in full by the due date"])
        }

        var periods: [ChargesResult.Period] = []
        var extrapolated: [ReferenceRateTable.HalfYearReference] = []
        var total: Int64 = 0
        var cursor = start
        while cursor <= asOf && balance > 0 {
            let halfYearEnd = ReferenceRateTable.halfYearStart(of: cursor).adding(months: 6).adding(days: -1)
            var end = min(asOf, halfYearEnd)
            if next < received.count { end = min(end, received[next].date) }
            let rate: AnnualRate
            if let contractualRate {
                rate = contractualRate
            } else {
                let reference = try rates.halfYearReference(for: cursor)
                if reference.isExtrapolated, extrapolated.last?.halfYearStart != reference.halfYearStart { extrapolated.append(reference) }
                rate = try reference.rate.adding(points: statutoryMarginPoints)
            }
            let days = end.days(from: cursor) + 1
            let base = Money(minorUnits: balance, currency: currency)
            let interest = try periodInterest(base: base, rate: rate, days: days)
            let (sum, overflow) = total.addingReportingOverflow(interest.minorUnits)
            guard !overflow else {
                throw ChargesError(.overflow, "the late interest on \(amountDue) exceeds the largest amount Relance can hold; check the amount and the rate")
            }
            total = sum
            periods.append(ChargesResult.Period(from: cursor, to: end, days: days, base: base, annualRate: rate, interest: interest))
            cursor = end.adding(days: 1)
            if let paidOn = applyPayments(before: cursor), balance == 0 {
                notes.append("paid in full on \(paidOn): no interest after that day")
            }
        }
        for reference in extrapolated {
            notes.append("no ECB rate known for the half-year from \(reference.halfYearStart) (the rate table is complete through \(rates.knownThrough)): the last known rate, \(reference.rate) % effective \(reference.change.effective), is used; update the rate table")
        }

        let indemnity: Money
        if !indemnityApplies {
            indemnity = zero
            notes.append("no recovery indemnity: it applies to business customers only")
        } else if currency == recoveryIndemnity.currency {
            indemnity = recoveryIndemnity
        } else {
            indemnity = zero
            notes.append("no recovery indemnity: it is fixed at 40 EUR and this invoice is in \(currency.code); Relance converts no currency, claim its equivalent by hand if the contract allows")
        }
        return ChargesResult(interest: Money(minorUnits: total, currency: currency), indemnity: indemnity, periods: periods, notes: notes)
    }

    /// `base × rate × days / 365`, rounded half-up to the minor unit, in integers.
    /// - Throws: `ChargesError` `.invalidAmount` for a negative base or day count,
    ///   `.overflow` when the result exceeds Int64.
    public static func periodInterest(base: Money, rate: AnnualRate, days: Int) throws(ChargesError) -> Money {
        guard !base.isNegative, days >= 0 else {
            throw ChargesError(.invalidAmount, "interest is computed on a base of zero or more over zero or more days, not \(base) over \(days) days")
        }
        let denominator: Int128 = 365 * 10_000
        let (scaled, overflow1) = Int128(base.minorUnits).multipliedReportingOverflow(by: Int128(rate.basisPoints))
        let (numerator, overflow2) = scaled.multipliedReportingOverflow(by: Int128(days))
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let rounded = remainder * 2 >= denominator ? quotient + 1 : quotient
        guard !overflow1, !overflow2, let minorUnits = Int64(exactly: rounded) else {
            throw ChargesError(.overflow, "the interest on \(base) at \(rate) % over \(days) days exceeds the largest amount Relance can hold; check the amount and the rate")
        }
        return Money(minorUnits: minorUnits, currency: base.currency)
    }
}
