import Events
import Money
import ScenarioScheduler
import Testing

/// Shorthands for the charges tests: a date from its ISO text, an amount in EUR cents.
enum ChargesFixture {
    static func day(_ text: String) throws -> CalendarDate {
        try CalendarDate(iso8601: text)
    }

    static func eur(_ minorUnits: Int64) -> Money {
        Money(minorUnits: minorUnits, currency: .eur)
    }

    static func rate(_ basisPoints: Int) throws -> AnnualRate {
        try AnnualRate(basisPoints: basisPoints)
    }

    static func paid(_ date: String, _ minorUnits: Int64) throws -> LatePaymentCharges.Payment {
        LatePaymentCharges.Payment(date: try day(date), amount: eur(minorUnits))
    }

    /// One period as `from`, `to`, days, base, rate in basis points, interest (minor units, EUR).
    struct ExpectedPeriod: Equatable, CustomStringConvertible {
        var from: String
        var to: String
        var days: Int
        var base: Int64
        var basisPoints: Int
        var interest: Int64

        var description: String { "\(from)..\(to) \(days)d base \(base) at \(basisPoints)bp = \(interest)" }
    }

    static func periods(_ result: ChargesResult) -> [ExpectedPeriod] {
        result.periods.map {
            ExpectedPeriod(from: $0.from.description, to: $0.to.description, days: $0.days, base: $0.base.minorUnits,
                           basisPoints: $0.annualRate.basisPoints, interest: $0.interest.minorUnits)
        }
    }
}
