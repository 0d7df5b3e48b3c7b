import Configuration
import Foundation

/// Reads settings from, in decreasing priority: command-line flags, the environment, an
/// optional file, then the caller's default. Every source names a setting the same way once
/// normalised:
///
/// | source | example | key |
/// |---|---|---|
/// | flag | `--http-port 8081` or `--http-port=8081` | `http.port` |
/// | environment | `RELANCE_HTTP_PORT=8081` | `http.port` |
/// | file (`--config FILE` or `RELANCE_CONFIG_FILE`), YAML | `http: {port: 8081}` or `http.port: 8081` | `http.port` |
/// | file, legacy lines | `http.port = 8081` | `http.port` |
///
/// Lookups go through swift-configuration: a `ConfigReader` over a
/// `CommandLineArgumentsProvider`, an `EnvironmentVariablesProvider` (keys prefixed
/// `RELANCE_`) and a `YAMLSnapshot` of the file resolves each key by that priority, and marks
/// secrets (``isSecret(_:)``) so they are redacted wherever it prints or reports values (e.g.
/// the access log `CONFIG_ACCESS_LOG_FILE=path` turns on). Values are read as text and parsed
/// here, because our documented formats (`6s`, `on`/`off`, comma lists) are not
/// swift-configuration's.
///
/// swift-configuration providers answer lookups only; they cannot list the keys they hold.
/// ``values(withPrefix:)`` (the `kafka.property.<name>` pass-through) needs that, so the reader
/// also keeps the names each source mentions, read from the same arguments, variables and file.
public struct ConfigurationReader: Sendable, CustomStringConvertible {
    /// swift-configuration's reader over the sources, highest priority first.
    private let reader: ConfigReader
    /// Every key a source sets, normalised (`kafka.property.sasl.mechanisms`).
    private let knownKeys: Set<String>

    /// Reads the environment and the process's arguments (and the file they name).
    /// - Throws: `ConfigurationError` (key `config`) when the named file cannot be read or parsed.
    public init(
        arguments: [String] = CommandLine.arguments,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        try self.init(arguments: arguments, environment: environment, accessReporter: nil)
    }

    /// As ``init(arguments:environment:)``, reporting every lookup to `accessReporter` (tests).
    init(
        arguments: [String], environment: [String: String], accessReporter: (any AccessReporter)?
    ) throws(ConfigurationError) {
        let flags = TextValuesProvider(
            provider: CommandLineArgumentsProvider(
                arguments: arguments,
                secretsSpecifier: .dynamic { flag, _ in Self.isSecret(Self.key(flag: flag)) }
            ),
            bareFlagValue: "true"
        )
        let variables = EnvironmentVariablesProvider(
            environmentVariables: environment,
            secretsSpecifier: .dynamic { name, _ in Self.isSecret(Self.key(environment: name)) }
        ).prefixKeys(with: ConfigKey(["relance"]))

        var providers: [any ConfigProvider] = [flags, variables]
        var keys = Self.keys(flags: arguments) + Self.keys(environment: environment)
        let path = ConfigReader(provider: flags).string(forKey: "config")
            ?? ConfigReader(provider: variables).string(forKey: "config.file")
        if let path {
            let file = try ConfigurationFile(path: path, isSecret: Self.isSecret)
            providers.append(file.provider)
            keys += file.keys
        }
        reader = ConfigReader(providers: providers, accessReporter: accessReporter)
        knownKeys = Set(keys)
    }

    /// A reader over explicit values (keys already normalised), for tests.
    public init(values: [String: String]) {
        var entries: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in values {
            entries[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: Self.isSecret(key))
        }
        reader = ConfigReader(provider: InMemoryProvider(name: "values", values: entries))
        knownKeys = Set(values.keys)
    }

    /// The raw value of a key, if any source set it.
    public func string(_ key: String) -> String? {
        reader.string(forKey: ConfigKey(key), isSecret: Self.isSecret(key))
    }

    /// The value of a key, or the default.
    public func string(_ key: String, default defaultValue: String) -> String { string(key) ?? defaultValue }

    /// An integer setting.
    /// - Throws: `ConfigurationError` when the value is not an integer.
    public func int(_ key: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
        guard let text = string(key) else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(key: key, reason: "'\(text)' is not an integer")
        }
        return value
    }

    /// A boolean setting: true/false, yes/no, 1/0, on/off.
    /// - Throws: `ConfigurationError` for anything else.
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = string(key)?.lowercased() else { return defaultValue }
        switch text {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw ConfigurationError(key: key, reason: "'\(text)' is not a boolean (true/false)")
        }
    }

    /// A duration: `250ms`, `6s`, `5m`, `1h`, or a plain number of seconds.
    /// - Throws: `ConfigurationError` for anything else.
    public func duration(_ key: String, default defaultValue: Duration) throws(ConfigurationError) -> Duration {
        guard let text = string(key)?.trimmingCharacters(in: .whitespaces).lowercased() else { return defaultValue }
        let units: [(String, Int64)] = [("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]
        var parsed: (number: Int64, unit: Int64)?
        for (suffix, milliseconds) in units where text.hasSuffix(suffix) {
            if let number = Int64(text.dropLast(suffix.count)) {
                parsed = (number, milliseconds)
                break
            }
        }
        if parsed == nil, let seconds = Int64(text) { parsed = (seconds, 1_000) }
        guard let (number, unit) = parsed else {
            throw ConfigurationError(key: key, reason: "'\(text)' is not a duration like 500ms, 6s or 5m")
        }
        let (milliseconds, overflow) = number.multipliedReportingOverflow(by: unit)
        guard !overflow, number >= 0 else {
            throw ConfigurationError(key: key, reason: "'\(text)' is out of range; use a positive duration like 6s")
        }
        return .milliseconds(milliseconds)
    }

    /// A comma-separated list (empty entries dropped). In a YAML file, a YAML list works too.
    public func list(_ key: String) -> [String] {
        (string(key) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every key under a prefix, with the prefix removed (e.g. `kafka.property.`), each value
    /// resolved by source priority like ``string(_:)``.
    public func values(withPrefix prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        for key in knownKeys where key.hasPrefix(prefix) {
            if let value = string(key) { result[String(key.dropFirst(prefix.count))] = value }
        }
        return result
    }

    /// The settings found, by key, secrets redacted: safe to log.
    public var description: String {
        let settings = knownKeys.sorted().compactMap { key in
            string(key).map { "\(key)=\(Self.isSecret(key) ? "<REDACTED>" : $0)" }
        }
        return "ConfigurationReader(\(settings.joined(separator: ", ")))"
    }

    /// Whether a key holds a secret, never to be printed: `api.keys`, and the `kafka.property.`
    /// settings whose librdkafka name mentions a password, secret, key, token or JAAS/OAuth
    /// configuration (`sasl.password`, `ssl.key.password`, `sasl.oauthbearer.client.secret`...).
    public static func isSecret(_ key: String) -> Bool {
        if key == "api.keys" { return true }
        guard key.hasPrefix("kafka.property.") else { return false }
        let name = key.dropFirst("kafka.property.".count)
        return ["password", "secret", "key", "token", "jaas", "oauthbearer.config"].contains { name.contains($0) }
    }

    /// The key of a flag: `--kafka-property-sasl-mechanisms` is `kafka.property.sasl.mechanisms`.
    static func key(flag: String) -> String {
        flag.drop { $0 == "-" }.lowercased().replacingOccurrences(of: "-", with: ".")
    }

    /// The key of a variable: `RELANCE_KAFKA_PROPERTY_SASL_MECHANISMS` is `kafka.property.sasl.mechanisms`.
    static func key(environment name: String) -> String {
        name.dropFirst("RELANCE_".count).lowercased().replacingOccurrences(of: "_", with: ".")
    }

    /// The keys the flags of a command line set (the program name and positional arguments are not flags).
    static func keys(flags arguments: [String]) -> [String] {
        arguments.dropFirst().compactMap { argument in
            guard argument.hasPrefix("--") else { return nil }
            let name = argument.prefix { $0 != "=" }
            return name.count > 2 ? key(flag: String(name)) : nil
        }
    }

    /// The keys the `RELANCE_` variables set.
    static func keys(environment: [String: String]) -> [String] {
        environment.keys.filter { $0.hasPrefix("RELANCE_") }.map { key(environment: $0) }
    }
}

/// A setting that is missing or malformed.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The normalised key, e.g. `http.port` (`RELANCE_HTTP_PORT`, `--http-port`).
    public let key: String
    public let reason: String

    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    public var description: String {
        let environment = "RELANCE_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
        let flag = "--" + key.replacingOccurrences(of: ".", with: "-")
        return "configuration \(key) (\(environment) / \(flag)): \(reason)"
    }
}
