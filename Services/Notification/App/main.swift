// The `notification` executable. `notification [--key value ...]` runs the service until
// SIGTERM/SIGINT; `notification render --template ID --channel C --language L [--data F]`
// prints a rendered message without broker or store (``RenderCommand``).
import Foundation
import Logging
import Messaging
import Notification
import ServiceKit

let arguments = Array(CommandLine.arguments.dropFirst())
if let first = arguments.first, !first.hasPrefix("--") || first == "--help" {
    let outcome: (exitCode: Int32, standardOutput: String, standardError: String) = first == "render"
        ? RenderCommand.run(arguments: arguments)
        : (first == "--help" ? 0 : 64, "", (first == "--help" ? "" : "notification: unknown command '\(first)'\n")
           + "usage: notification [--key value ...]   (runs the service)\n" + RenderCommand.usage)
    FileHandle.standardOutput.write(Data(outcome.standardOutput.utf8))
    FileHandle.standardError.write(Data(outcome.standardError.utf8))
    exit(outcome.exitCode)
}

do {
    let reader = try ConfigurationReader()
    let settings = try ServiceSettings(serviceName: "notification", defaultPort: NotificationService.defaultPort, reader: reader)
    let options = try NotificationService.Options(reader: reader)
    LoggingBootstrap.bootstrap(format: settings.logFormat, level: settings.logLevel)
    let registry = MetricsBootstrap.bootstrap()
    let logger = Logger(label: "relance.notification")
    let services = try NotificationService.makeServices(settings: settings, options: options, registry: registry, logger: logger)
    logger.info("notification starting", metadata: [
        "relance.http.port": "\(settings.httpPort)", "relance.kafka.brokers": "\(settings.kafka.bootstrapServers)",
        "relance.email.transport": "\(options.emailTransport.rawValue)",
    ])
    try await ServiceRunner.run(services, shutdownTimeout: settings.shutdownTimeout, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("notification: \(error)\n".utf8))
    exit(78) // EX_CONFIG
} catch {
    FileHandle.standardError.write(Data("notification: \(error)\n".utf8))
    exit(1)
}
