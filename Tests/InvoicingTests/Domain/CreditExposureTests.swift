import Events
import Foundation
import Invoicing
import Money
import Testing

@Suite("Credit exposure against the limit")
struct CreditExposureTests {
    typealias F = DomainFixture

    @Test("exposure is the open balance less unapplied credit; a negative credit is ignored")
    func exposure() throws {
        let withCredit = try CreditExposure(limit: F.eur(200_00), open: F.eur(240_00), unappliedCredit: F.eur(50_00))
        #expect(withCredit.exposure == F.eur(190_00))
        #expect(!withCredit.isOverLimit)
        #expect(withCredit.usagePerMille == 950)
        let negativeCredit = try CreditExposure(limit: F.eur(200_00), open: F.eur(240_00), unappliedCredit: F.eur(-10_00))
        #expect(negativeCredit.exposure == F.eur(240_00))
        #expect(negativeCredit.isOverLimit)
        let creditAboveOpen = try CreditExposure(limit: F.eur(100_00), open: F.eur(10_00), unappliedCredit: F.eur(30_00))
        #expect(creditAboveOpen.exposure == F.eur(-20_00))
        #expect(creditAboveOpen.usagePerMille == 0)
    }

    @Test("exactly at the limit is not over it; a zero limit is exceeded by anything owed")
    func boundaries() throws {
        #expect(!(try CreditExposure(limit: F.eur(100), open: F.eur(100), unappliedCredit: F.eur(0))).isOverLimit)
        #expect(try CreditExposure(limit: F.eur(0), open: F.eur(1), unappliedCredit: F.eur(0)).isOverLimit)
        #expect(try CreditExposure(limit: F.eur(0), open: F.eur(1), unappliedCredit: F.eur(0)).usagePerMille == nil)
        #expect(!(try CreditExposure(limit: nil, open: F.eur(1_000_000), unappliedCredit: F.eur(0))).isOverLimit)
    }

    @Test("transitions: exceeded once, cleared once, with the reason", arguments: [
        (limit: Int64?.some(100), open: Int64(150), wasExceeded: false, expected: CreditExposure.Transition.exceeded),
        (limit: 100, open: 150, wasExceeded: true, expected: .unchanged),
        (limit: 100, open: 100, wasExceeded: true, expected: .cleared(.underLimit)),
        (limit: 100, open: 50, wasExceeded: false, expected: .unchanged),
        (limit: nil, open: 150, wasExceeded: true, expected: .cleared(.limitRemoved)),
        (limit: nil, open: 150, wasExceeded: false, expected: .unchanged),
    ])
    func transitions(limit: Int64?, open: Int64, wasExceeded: Bool, expected: CreditExposure.Transition) throws {
        let exposure = try CreditExposure(limit: limit.map(F.eur), open: F.eur(open), unappliedCredit: F.eur(0))
        #expect(exposure.transition(wasExceeded: wasExceeded) == expected)
    }

    @Test("amounts in another currency than the limit's are refused, never converted")
    func otherCurrency() throws {
        let error = #expect(throws: InvoicingError.self) {
            try CreditExposure(limit: F.eur(100), open: Money(minorUnits: 100, currency: .usd), unappliedCredit: Money(minorUnits: 0, currency: .usd))
        }
        #expect(error?.code == .currencyMismatch)
    }
}
