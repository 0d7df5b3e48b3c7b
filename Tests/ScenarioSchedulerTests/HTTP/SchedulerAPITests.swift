import Events
import Foundation
import Money
@testable import ScenarioScheduler
import ServiceKit
import Testing

/// The scheduler API's own checks, without a server (this target has no HTTP test client):
/// lengths as the OpenAPI document counts them, the fields problems name, the calculators'
/// refusals mapped to their query parameter.
@Suite struct SchedulerAPITests {
    @Test("lengths count Unicode scalars, as the document's maxLength does")
    func lengthsCountScalars() throws {
        // "e" and 100 combining acute accents: one Character, 101 scalars.
        let combined = "e" + String(repeating: "\u{301}", count: 100)
        #expect(throws: Problem.self) { try SchedulerAPI.identifier(combined, name: "id") }
        #expect(try SchedulerAPI.identifier(String(repeating: "a", count: 100), name: "id").count == 100)
        #expect(!SchedulerAPI.isFilledText(" \t\r\n", maximum: 100))
        #expect(!SchedulerAPI.isFilledText(combined, maximum: 100))
        #expect(SchedulerAPI.isFilledText(" claire ", maximum: 100))
    }

    @Test("an invalid reason written 'field: ...' names its field")
    func invalidReasonNamesField() {
        #expect(Problem(SchedulerError.invalid("payBy: 2020-01-01 is in the past")).errors?.first?.field == "payBy")
        #expect(Problem(SchedulerError.invalid("amount.currency: invoice i1 is in EUR")).errors?.first?.field == "amount.currency")
        #expect(Problem(SchedulerError.invalid("give either days or to, not both")).errors == nil)
        #expect(Problem(SchedulerError.invalid("no scenario named 'x': unknown")).errors == nil)
    }

    @Test("a task outcome outside the known ones and a promise naming an invoice twice are refused with 422")
    func bodyChecks() throws {
        let unknown = SchedulerDatabase.TaskCompletion(outcome: DunningTaskOutcome(rawValue: "maybe"), note: nil, promise: nil)
        #expect(throws: Problem.self) { try SchedulerAPI.check(unknown) }
        try SchedulerAPI.check(SchedulerDatabase.TaskCompletion(outcome: .reached, note: "rang twice", promise: nil))

        let euros = Money(minorUnits: 100, currency: try Currency(code: "EUR"))
        let twice = SchedulerDatabase.PromiseRequest(customerId: "c1", invoiceIds: ["i1", "i1"], payBy: try CalendarDate(iso8601: "2099-01-01"), amount: euros)
        do {
            try SchedulerAPI.check(twice)
            Issue.record("accepted an invoice named twice")
        } catch let problem as Problem {
            #expect(problem.statusCode == 422 && problem.errors?.first?.field == "invoiceIds[1]")
        }
    }

    @Test("a calculator's refusal names the query parameter, not the command")
    func calculatorRefusalNamesParameter() {
        let outcome = PreviewCommand.run(arguments: ["--json", "--scenario", "gentle", "--due", "2026-03-31", "--tz", "Nowhere/Else"])
        do {
            _ = try SchedulerAPI.commandResponse(outcome, parameters: ["scenario", "due", "tz", "calendar"])
            Issue.record("an unknown zone was accepted")
        } catch let problem as Problem {
            #expect(problem.statusCode == 400 && problem.errors?.first?.field == "tz")
            #expect(problem.detail?.hasPrefix("tz: 'Nowhere/Else'") == true)
            #expect(problem.detail?.contains("scenario-scheduler") == false)
        } catch {
            Issue.record("unexpected \(error)")
        }
        let charges = ChargesCommand.run(arguments: ["--json", "--amount", "100", "--due", "2001-01-01", "--as-of", "2002-01-01"])
        do {
            _ = try SchedulerAPI.commandResponse(charges, parameters: ["amount", "currency", "due", "asOf", "annualRate", "paid"])
            Issue.record("a due date before the rate table was accepted")
        } catch let problem as Problem {
            #expect(problem.errors?.first?.field == "due")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
