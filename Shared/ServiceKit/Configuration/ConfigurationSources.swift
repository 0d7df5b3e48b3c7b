import Configuration
import Foundation
import Yams

/// The configuration file named by `--config` / `RELANCE_CONFIG_FILE`, as a swift-configuration
/// provider plus the keys it sets.
///
/// Two formats:
/// - YAML (documented): nested mappings or dotted keys, both name the same setting
///   (`kafka: {brokers: b:9092}` and `kafka.brokers: b:9092` are `kafka.brokers`); a YAML
///   list is a comma list (`api.keys: [k1, k2]`). Read by swift-configuration's `YAMLSnapshot`.
/// - legacy `key = value` lines (`#` comments; malformed lines skipped; `KAFKA_BROKERS` is
///   `kafka.brokers`), recognised by a first setting line of that shape, kept so existing
///   files go on working. swift-configuration has no such format.
struct ConfigurationFile {
    let provider: any ConfigProvider
    /// The keys the file sets, normalised.
    let keys: [String]

    /// Reads and parses the file.
    /// - Throws: `ConfigurationError` (key `config`) when the file cannot be read or is not
    ///   valid YAML with a mapping at the top.
    init(path: String, isSecret: @escaping @Sendable (String) -> Bool) throws(ConfigurationError) {
        func failure(_ reason: String) -> ConfigurationError {
            ConfigurationError(key: "config", reason: "cannot read configuration file \(path): \(reason)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw failure(error.localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self)
        let settingLines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let firstLine = settingLines.first else {
            provider = InMemoryProvider(name: "empty configuration file \(path)", values: [:])
            keys = []
            return
        }
        if Self.isLegacyLine(firstLine) {
            let values = Self.legacyValues(settingLines)
            var entries: [AbsoluteConfigKey: ConfigValue] = [:]
            for (key, value) in values {
                entries[AbsoluteConfigKey(ConfigKey(key))] = ConfigValue(.string(value), isSecret: isSecret(key))
            }
            provider = InMemoryProvider(name: "configuration file \(path)", values: entries)
            keys = Array(values.keys)
            return
        }
        do {
            let snapshot = try YAMLSnapshot(
                data: data.bytes, providerName: "YAML configuration file \(path)",
                parsingOptions: .init(secretsSpecifier: .dynamic { key, _ in isSecret(key) }))
            provider = TextValuesProvider(snapshot: snapshot, bareFlagValue: nil)
            keys = try Self.yamlKeys(text)
        } catch {
            throw failure("\(error)")
        }
    }

    /// A legacy line: a key (letters, digits, `.`, `_`, `-`), then `=`. Never a YAML mapping entry.
    static func isLegacyLine(_ line: String) -> Bool {
        guard let equals = line.firstIndex(of: "=") else { return false }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        return !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// The settings of legacy lines; lines without `=` are skipped.
    static func legacyValues(_ lines: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for line in lines {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: ".")
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        return values
    }

    /// The keys of a YAML document, named the way `YAMLSnapshot` names them: the keys of nested
    /// mappings joined with dots.
    static func yamlKeys(_ text: String) throws -> [String] {
        guard let root = try Yams.compose(yaml: text) else { return [] }
        var keys: [String] = []
        func visit(_ node: Node, _ path: [String]) {
            guard case .mapping(let mapping) = node else {
                keys.append(path.joined(separator: "."))
                return
            }
            for (key, value) in mapping {
                if let name = key.string { visit(value, path + [name]) }
            }
        }
        visit(root, [])
        return keys.filter { !$0.isEmpty }
    }
}

/// A source of settings answering every lookup as text.
///
/// `ConfigurationReader` reads settings as strings and parses them itself. Two
/// swift-configuration sources refuse a string lookup for values Relance documents:
/// `CommandLineArgumentsProvider` splits `--kafka-brokers b1:9092,b2:9092` at commas and keeps
/// a bare `--auth-enabled` as no value, and `YAMLSnapshot` holds a YAML list as an array. When
/// a provider throws, `ConfigReader` answers "unset" and the default would silently win, so this
/// wrapper turns such values back into text: the parts joined with commas, a bare flag as
/// `bareFlagValue`. It also serves a snapshot built synchronously (`FileProvider` only has
/// `async` initialisers, `ConfigurationReader.init` is synchronous).
struct TextValuesProvider: ConfigProvider, ConfigSnapshot {
    private let source: any ConfigSnapshot
    private let bareFlagValue: String?

    init(snapshot source: some ConfigSnapshot, bareFlagValue: String?) {
        self.source = source
        self.bareFlagValue = bareFlagValue
    }

    init(provider: some ConfigProvider, bareFlagValue: String?) {
        self.init(snapshot: provider.snapshot(), bareFlagValue: bareFlagValue)
    }

    var providerName: String { source.providerName }

    func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
        do {
            return try source.value(forKey: key, type: type)
        } catch {
            guard type == .string,
                  let list = try? source.value(forKey: key, type: .stringArray),
                  let found = list.value, case .stringArray(let parts) = found.content else { throw error }
            let text = parts.isEmpty ? bareFlagValue ?? "" : parts.joined(separator: ",")
            return LookupResult(encodedKey: list.encodedKey, value: ConfigValue(.string(text), isSecret: found.isSecret))
        }
    }

    // swift-configuration is built with NonisolatedNonsendingByDefault: its requirements run on
    // the caller's executor, so the witnesses say so explicitly.
    nonisolated(nonsending) func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
        try value(forKey: key, type: type)
    }

    nonisolated(nonsending) func watchValue<Return: ~Copyable>(
        forKey key: AbsoluteConfigKey,
        type: ConfigType,
        updatesHandler: nonisolated(nonsending) (
            _ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
        ) async throws -> Return
    ) async throws -> Return {
        try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
    }

    func snapshot() -> any ConfigSnapshot { self }

    nonisolated(nonsending) func watchSnapshot<Return: ~Copyable>(
        updatesHandler: nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws -> Return
    ) async throws -> Return {
        try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
    }
}
