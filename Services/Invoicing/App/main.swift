// The `invoicing` executable: reads its configuration, bootstraps logging and metrics, runs
// the service until SIGTERM/SIGINT.
import Foundation
import Invoicing
import Logging
import Messaging
import ServiceKit

do {
    let reader = try ConfigurationReader()
    let settings = try ServiceSettings(serviceName: "invoicing", defaultPort: InvoicingService.defaultPort, reader: reader)
    let api = try InvoicingAPI.Configuration(reader: reader)
    let payee = try Payee(reader: reader)
    LoggingBootstrap.bootstrap(format: settings.logFormat, level: settings.logLevel)
    let registry = MetricsBootstrap.bootstrap()
    let logger = Logger(label: "relance.invoicing")
    let services = try InvoicingService.makeServices(
        settings: settings, api: api, payee: payee, maintenance: try .init(reader: reader), registry: registry, logger: logger)
    logger.info("invoicing starting", metadata: ["relance.http.port": "\(settings.httpPort)", "relance.kafka.brokers": "\(settings.kafka.bootstrapServers)"])
    try await ServiceRunner.run(services, shutdownTimeout: settings.shutdownTimeout, logger: logger)
} catch let error as ConfigurationError {
    FileHandle.standardError.write(Data("invoicing: \(error)\n".utf8))
    exit(78) // EX_CONFIG
} catch {
    // E.g. the data directory is in use by another instance: say so plainly, not as a crash.
    FileHandle.standardError.write(Data("invoicing: \(error)\n".utf8))
    exit(1)
}
