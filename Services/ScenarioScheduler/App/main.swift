// The `scenario-scheduler` executable. For now its commands need no broker and no store:
// `preview` (when each step of a shipped scenario goes out) and `charges` (French late-payment
// charges of one invoice). Their logic is in the library (`PreviewCommand`, `ChargesCommand`).
import Foundation
import ScenarioScheduler

let arguments = Array(CommandLine.arguments.dropFirst())
let outcome: (exitCode: Int32, standardOutput: String, standardError: String)
switch arguments.first {
case "preview":
    outcome = PreviewCommand.run(arguments: arguments)
case "charges":
    outcome = ChargesCommand.run(arguments: arguments)
default:
    let problem = arguments.first.map { "scenario-scheduler: unknown command '\($0)'\n" } ?? ""
    outcome = (64, "", problem + PreviewCommand.usage + ChargesCommand.usage)
}
FileHandle.standardOutput.write(Data(outcome.standardOutput.utf8))
FileHandle.standardError.write(Data(outcome.standardError.utf8))
exit(outcome.exitCode)
