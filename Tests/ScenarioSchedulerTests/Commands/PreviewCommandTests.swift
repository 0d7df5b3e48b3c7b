import Foundation
import ScenarioScheduler
import Testing

/// `scenario-scheduler preview`: the shipped scenario's steps on the French business calendar,
/// in the standard window (Monday to Friday, 09:00-18:00) of the customer's zone.
@Suite struct PreviewCommandTests {
    /// Due Monday 2026-03-30 in Paris. Worked by hand: courtesy J-5 = Wed 25 March (winter time,
    /// +01:00); reminder-1 J+7 = Easter Monday 6 April, a holiday: Tuesday 7th (summer time since
    /// 29 March, +02:00); reminder-2 J+15 = Tue 14th; call J+20 = Sunday 19th: Monday 20th;
    /// formal-notice J+30 = Wed 29th; agency J+60 = Fri 29 May.
    @Test("standard-b2b due 2026-03-30 in Paris: holidays and weekends skipped, the offset of each day")
    func standardInParis() {
        let outcome = PreviewCommand.run(arguments: ["preview", "--scenario", "standard-b2b", "--due", "2026-03-30", "--tz", "Europe/Paris"])
        #expect(outcome.exitCode == 0, "\(outcome.standardError)")
        #expect(outcome.standardOutput == """
            courtesy\t2026-03-25T09:00:00+01:00
            reminder-1\t2026-04-07T09:00:00+02:00
            reminder-2\t2026-04-14T09:00:00+02:00
            call\t2026-04-20T09:00:00+02:00
            formal-notice\t2026-04-29T09:00:00+02:00
            agency\t2026-05-29T09:00:00+02:00

            """)
    }

    @Test("--json gives the plan with the planned day and the send instant")
    func json() throws {
        let outcome = PreviewCommand.run(arguments: ["--scenario", "firm", "--due", "2026-07-10", "--tz", "America/New_York", "--json"])
        #expect(outcome.exitCode == 0, "\(outcome.standardError)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
        #expect(document["timeZone"] as? String == "America/New_York")
        let steps = try #require(document["steps"] as? [[String: Any]])
        #expect(!steps.isEmpty && steps.allSatisfy { ($0["sendAt"] as? String)?.hasSuffix("-04:00") == true || ($0["sendAt"] as? String)?.hasSuffix("-05:00") == true })
    }

    @Test("usage errors exit 64, unusable values 65 naming them")
    func errors() {
        #expect(PreviewCommand.run(arguments: ["preview"]).exitCode == 64)
        #expect(PreviewCommand.run(arguments: ["preview", "--scenario"]).exitCode == 64)
        #expect(PreviewCommand.run(arguments: ["preview", "--bogus", "x"]).exitCode == 64)
        let unknown = PreviewCommand.run(arguments: ["--scenario", "nice", "--due", "2026-03-30", "--tz", "Europe/Paris"])
        #expect(unknown.exitCode == 65 && unknown.standardError.contains("nice"))
        let date = PreviewCommand.run(arguments: ["--scenario", "firm", "--due", "30/03/2026", "--tz", "Europe/Paris"])
        #expect(date.exitCode == 65 && date.standardError.contains("--due"))
        let zone = PreviewCommand.run(arguments: ["--scenario", "firm", "--due", "2026-03-30", "--tz", "Mars/Olympus"])
        #expect(zone.exitCode == 65 && zone.standardError.contains("Mars/Olympus"))
        let calendar = PreviewCommand.run(arguments: ["--scenario", "firm", "--due", "2026-03-30", "--tz", "UTC", "--calendar", "XX"])
        #expect(calendar.exitCode == 65)
    }
}
