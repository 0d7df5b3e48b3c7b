import Events
import Money

/// The late-payment charges of one invoice as of a day: interest period by period, and the
/// recovery indemnity.
///
/// Encodes as the `charges` command's JSON (issue 9):
/// `{"interest": Money, "indemnity": Money, "periods": [{"from", "to", "days", "base": Money,
/// "annualRate", "interest": Money}], "notes": [String]}`, with `annualRate` a number in
/// percent (`12.15`) and Money as `{"minorUnits": 4982, "currency": "EUR"}`.
public struct ChargesResult: Hashable, Sendable, Codable {
    /// A stretch of days with one base and one rate.
    public struct Period: Hashable, Sendable, Codable {
        /// The first day of interest (inclusive).
        public let from: CalendarDate
        /// The last day of interest (inclusive).
        public let to: CalendarDate
        /// `to - from + 1`: the actual days, each counted once, divided by 365 even in a leap year.
        public let days: Int
        /// The amount still due on each of those days.
        public let base: Money
        /// The yearly rate for those days.
        public let annualRate: AnnualRate
        /// `base × annualRate × days / 365`, rounded half-up to the minor unit.
        public let interest: Money

        public init(from: CalendarDate, to: CalendarDate, days: Int, base: Money, annualRate: AnnualRate, interest: Money) {
            self.from = from
            self.to = to
            self.days = days
            self.base = base
            self.annualRate = annualRate
            self.interest = interest
        }
    }

    /// The late interest: the sum of the periods' rounded interests.
    public let interest: Money
    /// The fixed recovery indemnity (40 EUR, B2B, no VAT), or zero when it does not apply.
    public let indemnity: Money
    /// The interest periods in order, contiguous, from the day after the due date through the
    /// as-of date or the day the invoice was paid in full.
    public let periods: [Period]
    /// What a reader should know: extrapolated rates, an indemnity not applied and why,
    /// payments ignored.
    public let notes: [String]

    public init(interest: Money, indemnity: Money, periods: [Period], notes: [String]) {
        self.interest = interest
        self.indemnity = indemnity
        self.periods = periods
        self.notes = notes
    }
}
