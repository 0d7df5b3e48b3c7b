// The `scenario-scheduler` executable. `scenario-scheduler [--key value ...]` runs the service
// until SIGTERM/SIGINT. Two commands need no broker and no store: `preview` (when each step
// of a shipped scenario goes out) and `charges` (French late-payment charges of one invoice);
// their logic is in the library (`PreviewCommand`, `ChargesCommand`).
import Foundation
import Logging
import Messaging
import ScenarioScheduler
import ServiceKit

let arguments = Array(CommandLine.arguments.dropFirst())
if let first = arguments.first, !first.hasPrefix("--") || first == "--help" {
    let outcome: (exitCode: Int32, standardOutput: String, standardError: String)
    switch first {
    case "preview":
        outcome = PreviewCommand.run(arguments: arguments)
    case "charges":
        outcome = ChargesCommand.run(arguments: arguments)
    default:
        let problem = first == "--help" ? "" : "scenario-scheduler: unknown command '\(first)'\n"
        outcome = (first == "--help" ? 0 : 64, "", problem + "usage: scenario-scheduler [--key value ...]   (runs the service)\n"
                   + PreviewCommand.usage + ChargesCommand.usage)
    }
    FileHandle.standardOutput.write(Data(outcome.standardOutput.utf8))
    FileHandle.standardError.write(Data(outcome.standardError.utf8))
    exit(outcome.exitCode)
}

do {
    let reader = try ConfigurationReader()
    let settings = try ServiceSettings(serviceName: "scenario-scheduler", defaultPort: SchedulerService.defaultPort, reader: reader)
    let options = try SchedulerService.Options(reader: reader)
    LoggingBootstrap.bootstrap(format: settings.logFormat, level: settings.logLevel)
    let registry = MetricsBootstrap.bootstrap()
    let logger = Logger(label: "relance.scenario-scheduler")
    let services = try SchedulerService.makeServices(settings: settings, options: options, registry: registry, logger: logger)
    logger.info("scenario-scheduler starting", metadata: [
        "relance.http.port": "\(settings.httpPort)", "relance.kafka.brokers": "\(settings.kafka.bootstrapServers)",
        "relance.dev.clock": "\(options.developmentClock)",
    ])
    try await ServiceRunner.run(services, shutdownTimeout: settings.shutdownTimeout, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("scenario-scheduler: \(error)\n".utf8))
    exit(78) // EX_CONFIG
} catch {
    FileHandle.standardError.write(Data("scenario-scheduler: \(error)\n".utf8))
    exit(1)
}
