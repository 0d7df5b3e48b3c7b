import Events
import Foundation

/// `scenario-scheduler preview --scenario NAME --due YYYY-MM-DD --tz ZONE [--calendar FR]
/// [--json]`: when each step of a shipped scenario would go out for an invoice due that day,
/// in the customer's time zone, on the business calendar and in the standard sending window
/// (``PreviewSchedule``, ``DunningClock``). Reads only the shipped defaults: no broker, no store.
public enum PreviewCommand {
    public static let usage = """
        usage: scenario-scheduler preview --scenario NAME --due YYYY-MM-DD --tz ZONE [--calendar FR] [--json]

          --scenario  a shipped scenario: \(ShippedScenarios.yamlByName.map(\.name).joined(separator: ", "))
          --due       the invoice's due date
          --tz        the customer's IANA time zone (Europe/Paris, America/New_York)
          --calendar  the public holidays: FR (default) or another built-in calendar code
          --json      print {"due", "timeZone", "steps": [{"stepId", "offsetDays", "plannedDay", "sendAt"}]}

        """

    /// Runs the command line (without the program name; a leading `preview` is skipped).
    /// - Returns: 0 with one step a line (`stepId<TAB>instant`) or the JSON; 64 with the usage
    ///   for a usage error; 65 naming the value that cannot be used.
    public static func run(arguments: [String]) -> (exitCode: Int32, standardOutput: String, standardError: String) {
        var remaining = arguments[...]
        if remaining.first == "preview" { remaining = remaining.dropFirst() }
        var options: [String: String] = [:]
        var json = false
        while let argument = remaining.popFirst() {
            switch argument {
            case "--json":
                json = true
            case "--scenario", "--due", "--tz", "--calendar":
                guard let value = remaining.popFirst(), !value.hasPrefix("--") else {
                    return (ChargesCommand.ExitCode.usage, "", "scenario-scheduler preview: \(argument) needs a value\n" + usage)
                }
                options[argument] = value
            default:
                return (ChargesCommand.ExitCode.usage, "", "scenario-scheduler preview: unknown argument '\(argument)'\n" + usage)
            }
        }
        guard let name = options["--scenario"], let dueText = options["--due"], let zoneName = options["--tz"] else {
            return (ChargesCommand.ExitCode.usage, "", "scenario-scheduler preview: --scenario, --due and --tz are required\n" + usage)
        }
        func dataError(_ message: String) -> (exitCode: Int32, standardOutput: String, standardError: String) {
            (ChargesCommand.ExitCode.dataError, "", "scenario-scheduler preview: \(message)\n")
        }
        let scenarios: [DunningScenario]
        do {
            scenarios = try ShippedScenarios.scenarios()
        } catch {
            return dataError("the shipped scenarios do not validate: \(error)")
        }
        guard let scenario = scenarios.first(where: { $0.name == name }) else {
            return dataError("--scenario: no shipped scenario '\(name)'; use one of \(scenarios.map(\.name).joined(separator: ", "))")
        }
        let due: CalendarDate
        do {
            due = try CalendarDate(iso8601: dueText)
        } catch {
            return dataError("--due: '\(dueText)' is not a date; write it as YYYY-MM-DD")
        }
        do throws(CalendarError) {
            let zone = try PreviewSchedule.timeZone(named: zoneName)
            let clock = try DunningClock(calendarCode: options["--calendar"] ?? "FR")
            let schedule = PreviewSchedule(steps: scenario.steps.map { ($0.id, $0.offsetDays) }, due: due, timeZone: zone, clock: clock)
            guard json else { return (0, schedule.text, "") }
            do {
                return (0, try schedule.json() + "\n", "")
            } catch {
                return dataError("cannot write the JSON: \(error)")
            }
        } catch {
            return dataError("\(error)")
        }
    }
}
