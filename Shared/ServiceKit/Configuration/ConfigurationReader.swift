import Foundation

/// Reads settings from, in increasing priority: defaults, an optional file, the environment,
/// command-line flags. Every source names a setting the same way once normalised:
///
/// | source | example | key |
/// |---|---|---|
/// | file (`--config FILE` or `RELANCE_CONFIG_FILE`) | `http.port = 8081` | `http.port` |
/// | environment | `RELANCE_HTTP_PORT=8081` | `http.port` |
/// | flag | `--http-port 8081` or `--http-port=8081` | `http.port` |
///
/// Lines of the file starting with `#` are comments.
public struct ConfigurationReader: Sendable {
    private let values: [String: String]

    /// Reads the environment and the process's arguments (and the file they name).
    /// - Throws: `ConfigurationError` when the named file cannot be read or a flag has no value.
    public init(
        arguments: [String] = CommandLine.arguments,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) {
        var fromEnvironment: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("RELANCE_") {
            fromEnvironment[Self.normalise(environment: name)] = value
        }
        var fromFlags: [String: String] = [:]
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { continue }
            let body = argument.dropFirst(2)
            if let equals = body.firstIndex(of: "=") {
                fromFlags[Self.normalise(flag: body[..<equals])] = String(body[body.index(after: equals)...])
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                fromFlags[Self.normalise(flag: body)] = arguments[index]
                index += 1
            } else {
                fromFlags[Self.normalise(flag: body)] = "true"
            }
        }
        var fromFile: [String: String] = [:]
        if let path = fromFlags["config"] ?? fromEnvironment["config.file"] {
            fromFile = try Self.readFile(path)
        }
        values = fromFile.merging(fromEnvironment) { $1 }.merging(fromFlags) { $1 }
    }

    /// A reader over explicit values (keys already normalised), for tests.
    public init(values: [String: String]) {
        self.values = values
    }

    /// The raw value of a key, if any source set it.
    public func string(_ key: String) -> String? { values[key] }

    /// The value of a key, or the default.
    public func string(_ key: String, default defaultValue: String) -> String { values[key] ?? defaultValue }

    /// An integer setting.
    /// - Throws: `ConfigurationError` when the value is not an integer.
    public func int(_ key: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
        guard let text = values[key] else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(key: key, reason: "'\(text)' is not an integer")
        }
        return value
    }

    /// A boolean setting: true/false, yes/no, 1/0, on/off.
    /// - Throws: `ConfigurationError` for anything else.
    public func bool(_ key: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = values[key]?.lowercased() else { return defaultValue }
        switch text {
        case "true", "yes", "1", "on": return true
        case "false", "no", "0", "off": return false
        default: throw ConfigurationError(key: key, reason: "'\(text)' is not a boolean (true/false)")
        }
    }

    /// A duration: `250ms`, `6s`, `5m`, `1h`, or a plain number of seconds.
    /// - Throws: `ConfigurationError` for anything else.
    public func duration(_ key: String, default defaultValue: Duration) throws(ConfigurationError) -> Duration {
        guard let text = values[key]?.trimmingCharacters(in: .whitespaces).lowercased() else { return defaultValue }
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

    /// A comma-separated list (empty entries dropped).
    public func list(_ key: String) -> [String] {
        (values[key] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Every key under a prefix, with the prefix removed (e.g. `kafka.property.`).
    public func values(withPrefix prefix: String) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in values where key.hasPrefix(prefix) {
            result[String(key.dropFirst(prefix.count))] = value
        }
        return result
    }

    static func normalise(environment name: String) -> String {
        name.dropFirst("RELANCE_".count).lowercased().replacingOccurrences(of: "_", with: ".")
    }

    static func normalise(flag: Substring) -> String {
        flag.lowercased().replacingOccurrences(of: "-", with: ".")
    }

    static func readFile(_ path: String) throws(ConfigurationError) -> [String: String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: "config", reason: "cannot read configuration file \(path): \(error.localizedDescription)")
        }
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: ".")
            values[key] = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return values
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
