import Events
import Money
import PropertyBased
import ScenarioScheduler
import Testing

/// Random invoices (0 to 5,000,000.00 EUR, due 2015-2026, up to 800 days late, up to four
/// payments from 40 days before the due date on, statutory or contractual rate up to 30 %)
/// keep the charges' invariants. 200 cases a property, each run with a new seed; a failure
/// prints the shrunk input and the seed to replay it with `.fixedSeed(...)`.
@Suite struct LatePaymentChargesPropertyTests {
    /// One generated invoice; offsets count days from the due date.
    struct Case: Sendable, CustomStringConvertible {
        var amount: Int64
        var dueOffset: Int
        var late: Int
        var payments: [(offset: Int, amount: Int64)]
        var contractualBasisPoints: Int?

        var due: CalendarDate { Self.origin.adding(days: dueOffset) }
        var asOf: CalendarDate { due.adding(days: late) }
        var charges: [LatePaymentCharges.Payment] {
            payments.map { LatePaymentCharges.Payment(date: due.adding(days: $0.offset), amount: Money(minorUnits: $0.amount, currency: .eur)) }
        }
        var description: String {
            "\(amount) due \(due) as of \(asOf), payments \(payments.map { "\(due.adding(days: $0.offset)):\($0.amount)" }), rate \(contractualBasisPoints.map(String.init) ?? "ECB+10")"
        }

        /// 2015-01-01: the shipped table's first half-year.
        static let origin = CalendarDate(daysSinceEpoch: 16_436)

        func compute(asOf: CalendarDate? = nil) throws -> ChargesResult {
            try LatePaymentCharges.compute(
                amountDue: Money(minorUnits: amount, currency: .eur), dueDate: due, asOf: asOf ?? self.asOf, payments: charges,
                contractualRate: contractualBasisPoints.map { try AnnualRate(basisPoints: $0) })
        }
    }

    static let cases = zip(
        zip(Gen.int64(in: 0...5_000_000_00), Gen.int(in: 0...4300), Gen.int(in: 0...800)),
        zip(Gen.int(in: -40...820), Gen.int64(in: 1...2_000_000_00)).array(of: 0...4),
        Gen.int(in: 0...3000).optional(valueRate: 0.3)
    ).map { head, payments, rate in
        Case(amount: head.0, dueOffset: head.1, late: head.2, payments: payments.map { (offset: $0.0, amount: $0.1) }, contractualBasisPoints: rate)
    }

    @Test("the origin of the generated dates is 2015-01-01")
    func origin() {
        #expect(Case.origin.description == "2015-01-01")
    }

    // Each property body records a thrown error itself: swift-property-based 2.x (Swift 6.2 and
    // later) drops an error the body throws, so an unexpected `ChargesError` would pass unseen.

    /// Also: every period's interest is within half a minor unit of its exact value
    /// (|interest × 3,650,000 − base × basis points × days| ≤ 1,825,000).
    @Test("interest is never negative, and the periods tile the late days, one half-year and one base each")
    func periodsTileTheLateDays() async {
        await propertyCheck(count: 200, input: Self.cases) { invoice in
            do {
                let result = try invoice.compute()
                #expect(!result.interest.isNegative)
                #expect(result.periods.allSatisfy { !$0.interest.isNegative && $0.base.isPositive && $0.days > 0 })
                #expect(result.periods.reduce(0) { $0 + $1.interest.minorUnits } == result.interest.minorUnits)
                guard let first = result.periods.first, let last = result.periods.last else { return }
                #expect(first.from == invoice.due.adding(days: 1))
                for (previous, next) in zip(result.periods, result.periods.dropFirst()) {
                    #expect(next.from == previous.to.adding(days: 1))
                    #expect(next.base.minorUnits <= previous.base.minorUnits)
                }
                for period in result.periods {
                    #expect(period.days == period.to.days(from: period.from) + 1)
                    #expect(ReferenceRateTable.halfYearStart(of: period.from) == ReferenceRateTable.halfYearStart(of: period.to))
                    let exact = Int128(period.base.minorUnits) * Int128(period.annualRate.basisPoints) * Int128(period.days)
                    let error = Int128(period.interest.minorUnits) * 3_650_000 - exact
                    #expect(error >= -1_825_000 && error <= 1_825_000)
                }
                #expect(last.to == invoice.asOf || result.notes.contains("paid in full on \(last.to): no interest after that day"))
            } catch {
                Issue.record("the case threw: \(error)")
            }
        }
    }

    @Test("interest never decreases when the as-of date moves later")
    func monotonicInTheAsOfDate() async {
        await propertyCheck(count: 200, input: Self.cases, Gen.int(in: 0...400)) { invoice, extra in
            do {
                let earlier = try invoice.compute()
                let later = try invoice.compute(asOf: invoice.asOf.adding(days: extra))
                #expect(earlier.interest.minorUnits <= later.interest.minorUnits)
                // The earlier periods are the later ones cut at the earlier as-of date.
                #expect(Array(earlier.periods.dropLast()) == Array(later.periods.prefix(max(0, earlier.periods.count - 1))))
            } catch {
                Issue.record("the case threw: \(error)")
            }
        }
    }

    /// Splitting the late days at day M (the charges through M, plus the charges from M + 1 on
    /// the amount still due after M) adds up to the whole within 1 minor unit: at most one
    /// period is cut in two, and round(a) + round(b) differs from round(a + b) by at most 1
    /// under half-up rounding. Exactly equal when M + 1 already starts a period (a half-year, a
    /// payment's next day) or M is outside the late days.
    @Test("interest is additive over a split of the late days, within 1 minor unit")
    func additiveOverASplit() async {
        await propertyCheck(count: 200, input: Self.cases, Gen.int(in: 0...800)) { invoice, split in
            do {
                let whole = try invoice.compute()
                let middle = invoice.due.adding(days: min(split, invoice.late))
                let first = try invoice.compute(asOf: middle)
                let paidByMiddle = invoice.charges.filter { $0.date <= middle }.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
                let second = try LatePaymentCharges.compute(
                    amountDue: Money(minorUnits: max(0, invoice.amount - paidByMiddle), currency: .eur), dueDate: middle, asOf: invoice.asOf,
                    payments: invoice.charges.filter { $0.date > middle },
                    contractualRate: invoice.contractualBasisPoints.map { try AnnualRate(basisPoints: $0) })
                let difference = whole.interest.minorUnits - first.interest.minorUnits - second.interest.minorUnits
                #expect(abs(difference) <= 1)
                let alreadyCut = middle == invoice.due || middle >= invoice.asOf
                    || whole.periods.contains { $0.from == middle.adding(days: 1) }
                    || (whole.periods.last.map { $0.to <= middle } ?? true)
                if alreadyCut {
                    #expect(difference == 0)
                    #expect(first.periods + second.periods == whole.periods)
                }
            } catch {
                Issue.record("the case threw: \(error)")
            }
        }
    }
}
