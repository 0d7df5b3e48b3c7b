// The `payment-matching` executable. `payment-matching [--key value ...]` runs the
// service until SIGTERM/SIGINT; `payment-matching parse FILE [--format F] [--csv-mapping M]`
// prints a bank file as JSON without importing it (``ParseCommand``).
import Foundation
import Logging
import Messaging
import PaymentMatching
import ServiceKit

let arguments = Array(CommandLine.arguments.dropFirst())
// A command word (anything but a `--flag` of the service's configuration) goes to the
// commands: `parse`, or a usage message (exit 64) for anything else.
if let first = arguments.first, !first.hasPrefix("--") || first == "--help" {
    let standardOutput = FileHandle.standardOutput
    let (exitCode, problem) = ParseCommand.run(arguments: arguments) { standardOutput.write($0) }
    if !problem.isEmpty { FileHandle.standardError.write(Data(problem.utf8)) }
    exit(exitCode)
}

do {
    let reader = try ConfigurationReader()
    let settings = try ServiceSettings(serviceName: "payment-matching", defaultPort: PaymentMatchingService.defaultPort, reader: reader)
    let options = try PaymentMatchingService.Options(reader: reader)
    LoggingBootstrap.bootstrap(format: settings.logFormat, level: settings.logLevel)
    let registry = MetricsBootstrap.bootstrap()
    let logger = Logger(label: "relance.payment-matching")
    let services = try PaymentMatchingService.makeServices(settings: settings, options: options, registry: registry, logger: logger)
    logger.info("payment-matching starting", metadata: [
        "relance.http.port": "\(settings.httpPort)", "relance.kafka.brokers": "\(settings.kafka.bootstrapServers)",
    ])
    try await ServiceRunner.run(services, shutdownTimeout: settings.shutdownTimeout, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("payment-matching: \(error)\n".utf8))
    exit(78) // EX_CONFIG
} catch {
    FileHandle.standardError.write(Data("payment-matching: \(error)\n".utf8))
    exit(1)
}
