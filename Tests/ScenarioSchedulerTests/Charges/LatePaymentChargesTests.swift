import Events
import Money
import ScenarioScheduler
import Testing

/// Worked examples, computed by hand in the comments (interest = base_cents × basis points ×
/// days / 3,650,000, rounded half-up), then checked against the code.
@Suite struct LatePaymentChargesTests {
    typealias P = ChargesFixture.ExpectedPeriod

    /// 1,234.56 EUR due 2025-03-10, as of 2025-09-15, nothing paid.
    ///
    /// Given the ECB rate in force on 2025-01-01 (3.15 % since 2024-12-18) and on 2025-07-01
    /// (2.15 % since 2025-06-11), the statutory rates are 13.15 % and 12.15 %.
    /// - 2025-03-11..2025-06-30: 21 (March 11-31) + 30 + 31 + 30 = 112 days.
    ///   123456 × 1315 = 162,344,640; × 112 = 18,182,599,680; / 3,650,000 = 4981.53... → 4982 (49.82 EUR).
    /// - 2025-07-01..2025-09-15: 31 + 31 + 15 = 77 days.
    ///   123456 × 1215 = 149,999,040; × 77 = 11,549,926,080; / 3,650,000 = 3164.36... → 3164 (31.64 EUR).
    /// Interest 4982 + 3164 = 8146 (81.46 EUR); indemnity 40.00 EUR.
    @Test("1,234.56 EUR 189 days late: 112 days at 13.15 % and 77 at 12.15 %, 81.46 EUR + 40 EUR")
    func twoHalfYearsAtTheirOwnRates() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"))
        #expect(ChargesFixture.periods(result) == [
            P(from: "2025-03-11", to: "2025-06-30", days: 112, base: 1234_56, basisPoints: 1315, interest: 49_82),
            P(from: "2025-07-01", to: "2025-09-15", days: 77, base: 1234_56, basisPoints: 1215, interest: 31_64),
        ])
        #expect(result.interest == ChargesFixture.eur(81_46))
        #expect(result.indemnity == ChargesFixture.eur(40_00))
        #expect(result.notes.isEmpty)
    }

    /// The same invoice with 500.00 EUR received on 2025-05-02: the base drops to 734.56 from
    /// 2025-05-03.
    /// - 2025-03-11..2025-05-02: 21 + 30 + 2 = 53 days at 13.15 % on 1234.56:
    ///   162,344,640 × 53 = 8,604,265,920; / 3,650,000 = 2357.33... → 2357.
    /// - 2025-05-03..2025-06-30: 29 + 30 = 59 days at 13.15 % on 734.56:
    ///   73456 × 1315 = 96,594,640; × 59 = 5,699,083,760; / 3,650,000 = 1561.39... → 1561.
    /// - 2025-07-01..2025-09-15: 77 days at 12.15 % on 734.56:
    ///   73456 × 1215 = 89,249,040; × 77 = 6,872,176,080; / 3,650,000 = 1882.79... → 1883.
    /// Interest 2357 + 1561 + 1883 = 5801 (58.01 EUR).
    @Test("a partial payment on 2025-05-02 lowers the base from 2025-05-03: 58.01 EUR")
    func partialPaymentSplitsThePeriod() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            payments: [ChargesFixture.paid("2025-05-02", 500_00)])
        #expect(ChargesFixture.periods(result) == [
            P(from: "2025-03-11", to: "2025-05-02", days: 53, base: 1234_56, basisPoints: 1315, interest: 23_57),
            P(from: "2025-05-03", to: "2025-06-30", days: 59, base: 734_56, basisPoints: 1315, interest: 15_61),
            P(from: "2025-07-01", to: "2025-09-15", days: 77, base: 734_56, basisPoints: 1215, interest: 18_83),
        ])
        #expect(result.interest == ChargesFixture.eur(58_01))
        #expect(result.indemnity == ChargesFixture.eur(40_00))
    }

    /// The same invoice under terms of 15 % a year: both half-years at 15 %, still split.
    /// - 112 days: 123456 × 1500 = 185,184,000; × 112 = 20,740,608,000; / 3,650,000 = 5682.35... → 5682.
    /// - 77 days: 185,184,000 × 77 = 14,259,168,000; / 3,650,000 = 3906.62... → 3907.
    /// Interest 9589 (95.89 EUR).
    @Test("a contractual 15 % replaces ECB + 10 in every half-year: 95.89 EUR")
    func contractualRateReplacesTheStatutoryOne() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            contractualRate: ChargesFixture.rate(1500))
        #expect(ChargesFixture.periods(result) == [
            P(from: "2025-03-11", to: "2025-06-30", days: 112, base: 1234_56, basisPoints: 1500, interest: 56_82),
            P(from: "2025-07-01", to: "2025-09-15", days: 77, base: 1234_56, basisPoints: 1500, interest: 39_07),
        ])
        #expect(result.interest == ChargesFixture.eur(95_89))
    }

    /// 1,000.00 EUR due 2024-02-15, as of 2024-03-15: 2024-02-16..2024-02-29 is 14 days (a leap
    /// February), 2024-03-01..15 is 15: 29 days. ECB on 2024-01-01: 4.50 % (since 2023-09-20), so
    /// 14.50 %. 100000 × 1450 × 29 = 4,205,000,000; / 3,650,000 = 1152.05 → 1152 (11.52 EUR).
    /// Dividing by 366 would give 4,205,000,000 / 3,660,000 = 1148.9 → 1149: the issue says 365.
    @Test("a leap year still divides by 365: 29 days at 14.50 % on 1,000.00 EUR is 11.52 EUR, not 11.49")
    func leapYearStillDividesBy365() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1000_00), dueDate: ChargesFixture.day("2024-02-15"), asOf: ChargesFixture.day("2024-03-15"))
        #expect(ChargesFixture.periods(result) == [
            P(from: "2024-02-16", to: "2024-03-15", days: 29, base: 1000_00, basisPoints: 1450, interest: 11_52),
        ])
    }

    /// 10,000.00 EUR due 2023-12-31, as of 2024-12-31: all 366 days of 2024 count.
    /// - H1 2024: 31 + 29 + 31 + 30 + 31 + 30 = 182 days at 14.50 % (ECB 4.50 % on 2024-01-01):
    ///   1,000,000 × 1450 × 182 = 263,900,000,000; / 3,650,000 = 72301.37 → 72301.
    /// - H2 2024: 31 + 31 + 30 + 31 + 30 + 31 = 184 days at 14.25 % (ECB 4.25 % since 2024-06-12):
    ///   1,000,000 × 1425 × 184 = 262,200,000,000; / 3,650,000 = 71835.62 → 71836.
    /// Interest 144137 (1,441.37 EUR): more than the year's nominal 14.x % because 366/365.
    @Test("a whole leap year counts 366 days over 365: 1,441.37 EUR on 10,000.00 EUR")
    func wholeLeapYear() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(10_000_00), dueDate: ChargesFixture.day("2023-12-31"), asOf: ChargesFixture.day("2024-12-31"))
        #expect(ChargesFixture.periods(result) == [
            P(from: "2024-01-01", to: "2024-06-30", days: 182, base: 10_000_00, basisPoints: 1450, interest: 723_01),
            P(from: "2024-07-01", to: "2024-12-31", days: 184, base: 10_000_00, basisPoints: 1425, interest: 718_36),
        ])
        #expect(result.interest == ChargesFixture.eur(1441_37))
    }

    @Test("as of the due date, or before it, nothing is owed: no period, no interest, no indemnity")
    func notLateYet() throws {
        for asOf in ["2025-03-10", "2025-02-01"] {
            let result = try LatePaymentCharges.compute(
                amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day(asOf))
            #expect(result.periods.isEmpty)
            #expect(result.interest == ChargesFixture.eur(0))
            #expect(result.indemnity == ChargesFixture.eur(0))
            #expect(result.notes.contains { $0.contains("not late") })
        }
    }

    /// One day late: 2025-03-11 only. 123456 × 1315 × 1 = 162,344,640; / 3,650,000 = 44.48 → 44.
    @Test("one day late: one day of interest (0.44 EUR) and the whole indemnity")
    func oneDayLate() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-03-11"))
        #expect(ChargesFixture.periods(result) == [P(from: "2025-03-11", to: "2025-03-11", days: 1, base: 1234_56, basisPoints: 1315, interest: 44)])
        #expect(result.indemnity == ChargesFixture.eur(40_00))
    }

    /// 234.56 paid on 2025-03-01 and nothing on the due date: interest runs on 1,000.00.
    /// 2025-03-11..2025-04-09 = 21 + 9 = 30 days at 13.15 %: 100000 × 1315 × 30 = 3,945,000,000;
    /// / 3,650,000 = 1080.82 → 1081. A payment on the due date itself does the same.
    @Test("a payment on or before the due date reduces the amount the interest starts on")
    func paymentBeforeTheDueDateReducesTheAmountDue() throws {
        for date in ["2025-03-01", "2025-03-10"] {
            let result = try LatePaymentCharges.compute(
                amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-04-09"),
                payments: [ChargesFixture.paid(date, 234_56)])
            #expect(ChargesFixture.periods(result) == [
                P(from: "2025-03-11", to: "2025-04-09", days: 30, base: 1000_00, basisPoints: 1315, interest: 10_81),
            ])
        }
    }

    @Test("an invoice paid in full by its due date owes nothing, not even the indemnity")
    func paidOnTime() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            payments: [ChargesFixture.paid("2025-03-05", 1000_00), ChargesFixture.paid("2025-03-10", 234_56)])
        #expect(result.periods.isEmpty)
        #expect(result.interest == ChargesFixture.eur(0))
        #expect(result.indemnity == ChargesFixture.eur(0))
        #expect(result.notes.contains { $0.contains("paid in full by the due date") })
        let nothingDue = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(0), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"))
        #expect(nothingDue.periods.isEmpty && nothingDue.indemnity.isZero)
        #expect(nothingDue.notes == ["nothing is due"])
    }

    /// Paid in full on 2025-03-20 (two payments, the second overpaying): interest for
    /// 2025-03-11..2025-03-20, 10 days, then none. 162,344,640 × 10 = 1,623,446,400; / 3,650,000
    /// = 444.78 → 445. The invoice was late: the indemnity stays.
    @Test("once paid in full, interest stops on the payment day; the indemnity stays")
    func fullPaymentStopsInterest() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            payments: [ChargesFixture.paid("2025-03-20", 1000_00), ChargesFixture.paid("2025-03-20", 300_00)])
        #expect(ChargesFixture.periods(result) == [P(from: "2025-03-11", to: "2025-03-20", days: 10, base: 1234_56, basisPoints: 1315, interest: 4_45)])
        #expect(result.indemnity == ChargesFixture.eur(40_00))
        #expect(result.notes.contains { $0.contains("paid in full on 2025-03-20") })
    }

    /// A payment on 2025-06-30 takes effect on 2025-07-01, the half-year boundary: one cut, not
    /// an empty period. 112 days on 1234.56 at 13.15 % = 4982 (see the first example); 77 days
    /// on 1000.00 at 12.15 %: 100000 × 1215 × 77 = 9,355,500,000; / 3,650,000 = 2563.15 → 2563.
    @Test("a payment the day before a half-year boundary makes one cut, on the boundary")
    func paymentOnTheLastDayOfAHalfYear() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            payments: [ChargesFixture.paid("2025-06-30", 234_56)])
        #expect(ChargesFixture.periods(result) == [
            P(from: "2025-03-11", to: "2025-06-30", days: 112, base: 1234_56, basisPoints: 1315, interest: 49_82),
            P(from: "2025-07-01", to: "2025-09-15", days: 77, base: 1000_00, basisPoints: 1215, interest: 25_63),
        ])
    }

    @Test("a payment after the as-of date is not counted, and a note says so")
    func paymentAfterAsOfIgnored() throws {
        let without = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"))
        let with = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            payments: [ChargesFixture.paid("2025-09-16", 1234_56)])
        #expect(with.periods == without.periods)
        #expect(with.interest == ChargesFixture.eur(81_46))
        #expect(with.notes.contains { $0.contains("after the as-of date") && $0.contains("2025-09-16") })
    }

    /// A USD invoice gets the interest in USD (same figures as the first example) but no 40 EUR:
    /// the indemnity is fixed in euros and nothing is converted.
    @Test("an invoice in another currency gets interest but no indemnity, with a note, never a conversion")
    func otherCurrencyNoIndemnity() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: Money(minorUnits: 1234_56, currency: .usd), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"))
        #expect(result.interest == Money(minorUnits: 81_46, currency: .usd))
        #expect(result.indemnity == Money.zero(.usd))
        #expect(result.notes.contains { $0.contains("USD") && $0.contains("40 EUR") })
    }

    @Test("a consumer invoice gets interest but no indemnity")
    func consumerNoIndemnity() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1234_56), dueDate: ChargesFixture.day("2025-03-10"), asOf: ChargesFixture.day("2025-09-15"),
            indemnityApplies: false)
        #expect(result.interest == ChargesFixture.eur(81_46))
        #expect(result.indemnity == ChargesFixture.eur(0))
        #expect(result.notes.contains { $0.contains("business customers only") })
    }

    /// 0.25 EUR at 10 % for 73 days: 25 × 1000 × 73 = 1,825,000 = exactly half of 3,650,000:
    /// half a cent rounds up to 1. 0.24 EUR gives 1,752,000 (0.48) → 0; 0.75 EUR gives 1.5 → 2.
    @Test("rounding is half-up per period: exactly half a cent goes up")
    func halfUpRounding() throws {
        let tenPercent = try ChargesFixture.rate(1000)
        #expect(try LatePaymentCharges.periodInterest(base: ChargesFixture.eur(25), rate: tenPercent, days: 73) == ChargesFixture.eur(1))
        #expect(try LatePaymentCharges.periodInterest(base: ChargesFixture.eur(24), rate: tenPercent, days: 73) == ChargesFixture.eur(0))
        #expect(try LatePaymentCharges.periodInterest(base: ChargesFixture.eur(75), rate: tenPercent, days: 73) == ChargesFixture.eur(2))
    }

    /// 10^17 cents (10^15 EUR) at 13.15 % for 112 days: the product 10^17 × 1315 × 112 ≈ 1.5e22
    /// overflows Int64 (9.2e18), so it needs the wide intermediate.
    /// 1315 × 112 = 147,280; 147,280 / 3,650,000 = 1841 / 45,625 and 45,625 = 625 × 73, so the
    /// interest is 10^17 / 625 × 1841 / 73 = 294,560,000,000,000,000 / 73
    /// = 4,035,068,493,150,684 remainder 68 (73 × 4,035,068,493,150,684 = 294,559,999,999,999,932);
    /// 68/73 ≥ 1/2 → 4,035,068,493,150,685.
    @Test("a base of 10^17 cents is computed exactly through a 128-bit intermediate")
    func largeAmountsAreExact() throws {
        let interest = try LatePaymentCharges.periodInterest(base: ChargesFixture.eur(100_000_000_000_000_000), rate: ChargesFixture.rate(1315), days: 112)
        #expect(interest == ChargesFixture.eur(4_035_068_493_150_685))
    }

    @Test("interest beyond Int64 is an overflow error, not a trap")
    func overflowIsAnError() throws {
        #expect(throws: ChargesError.self) {
            try LatePaymentCharges.compute(
                amountDue: ChargesFixture.eur(Int64.max), dueDate: ChargesFixture.day("2025-01-01"), asOf: ChargesFixture.day("2025-06-30"),
                contractualRate: ChargesFixture.rate(100_000))
        }
        let thousandPercent = try ChargesFixture.rate(100_000)
        let error = #expect(throws: ChargesError.self) {
            try LatePaymentCharges.periodInterest(base: ChargesFixture.eur(Int64.max), rate: thousandPercent, days: 184)
        }
        #expect(error?.code == .overflow)
    }

    @Test("a payment in another currency, a non-positive payment or a negative amount due is refused")
    func invalidInputs() throws {
        let due = try ChargesFixture.day("2025-03-10")
        let asOf = try ChargesFixture.day("2025-09-15")
        let cases: [(Money, [LatePaymentCharges.Payment], String)] = [
            (ChargesFixture.eur(1234_56), [LatePaymentCharges.Payment(date: due, amount: Money(minorUnits: 100, currency: .usd))], "USD"),
            (ChargesFixture.eur(1234_56), [try ChargesFixture.paid("2025-04-01", 0)], "not positive"),
            (ChargesFixture.eur(1234_56), [try ChargesFixture.paid("2025-04-01", -5_00)], "not positive"),
            (ChargesFixture.eur(-1), [], "zero or more"),
        ]
        for (amount, payments, words) in cases {
            do {
                _ = try LatePaymentCharges.compute(amountDue: amount, dueDate: due, asOf: asOf, payments: payments)
                Issue.record("expected a refusal for \(amount) \(payments)")
            } catch {
                #expect(error.code == .invalidAmount)
                #expect(error.reason.contains(words), "\(error.reason)")
            }
        }
    }

    @Test("a half-year before the rate table has no statutory rate; a contractual rate still works")
    func beforeTheTable() throws {
        let due = try ChargesFixture.day("2014-08-01")
        let asOf = try ChargesFixture.day("2014-08-31")
        let error = #expect(throws: ChargesError.self) {
            try LatePaymentCharges.compute(amountDue: ChargesFixture.eur(1000_00), dueDate: due, asOf: asOf)
        }
        #expect(error?.code == .noReferenceRate)
        #expect(error?.reason.contains("2014-07-01") == true)
        // 30 days at 12 %: 100000 × 1200 × 30 = 3,600,000,000; / 3,650,000 = 986.30 → 986.
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1000_00), dueDate: ChargesFixture.day("2014-08-01"), asOf: ChargesFixture.day("2014-08-31"),
            contractualRate: ChargesFixture.rate(1200))
        #expect(result.interest == ChargesFixture.eur(9_86))
    }

    /// Due 2026-12-15, as of 2027-01-10: 2026-12-16..31 (16 days) at 12.15 % from the table,
    /// 2027-01-01..10 (10 days) at the last known rate, 2.15 % + 10, with a note.
    /// 100000 × 1215 × 16 = 1,944,000,000 / 3,650,000 = 532.60 → 533;
    /// 100000 × 1215 × 10 = 1,215,000,000 / 3,650,000 = 332.88 → 333.
    @Test("a half-year after the table's end uses the last known rate and says so")
    func afterTheTableEnd() throws {
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1000_00), dueDate: ChargesFixture.day("2026-12-15"), asOf: ChargesFixture.day("2027-01-10"),
            payments: [ChargesFixture.paid("2027-01-05", 1)])
        #expect(ChargesFixture.periods(result).map(\.basisPoints) == [1215, 1215, 1215])
        #expect(result.periods.first?.interest == ChargesFixture.eur(533))
        let extrapolationNotes = result.notes.filter { $0.contains("no ECB rate known") }
        #expect(extrapolationNotes.count == 1)
        #expect(extrapolationNotes.first?.contains("2027-01-01") == true)
        #expect(extrapolationNotes.first?.contains("2025-06-11") == true)
        let plain = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1000_00), dueDate: ChargesFixture.day("2026-12-15"), asOf: ChargesFixture.day("2027-01-10"))
        #expect(ChargesFixture.periods(plain).map(\.interest) == [533, 333])
    }

    @Test("with a deployment's own table, the rate in force on the half-year's first day applies")
    func customTable() throws {
        let table = try ReferenceRateTable(changes: [
            .init(effective: ChargesFixture.day("2030-01-01"), basisPoints: 100),
            .init(effective: ChargesFixture.day("2030-01-02"), basisPoints: 900),
        ], knownThrough: ChargesFixture.day("2030-12-31"))
        let result = try LatePaymentCharges.compute(
            amountDue: ChargesFixture.eur(1000_00), dueDate: ChargesFixture.day("2030-03-01"), asOf: ChargesFixture.day("2030-03-31"), rates: table)
        // 1 % on 2030-01-01 (the 9 % came the next day) + 10 = 11 % for the whole half-year.
        #expect(result.periods.map(\.annualRate.basisPoints) == [1100])
        #expect(result.notes.isEmpty)
    }
}
