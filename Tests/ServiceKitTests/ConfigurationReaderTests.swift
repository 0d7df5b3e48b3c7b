import Configuration
import Foundation
@testable import ServiceKit
import Synchronization
import Testing

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryConfigurationFile(_ text: String, extension pathExtension: String = "conf") throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("relance-\(UUID().uuidString).\(pathExtension)")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

@Suite struct ConfigurationSourceTests {
    @Test func flagBeatsEnvironmentWhichBeatsFileWhichBeatsDefault() throws {
        // Given the same keys set in a file, the environment and a flag
        let path = try temporaryConfigurationFile("""
            http.port = 1111
            log.level = warning
            kafka.brokers = file-broker:9092
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }

        // When the reader combines them
        let reader = try ConfigurationReader(
            arguments: ["relance", "--http-port", "3333"],
            environment: ["RELANCE_CONFIG_FILE": path, "RELANCE_HTTP_PORT": "2222", "RELANCE_LOG_LEVEL": "error"])

        // Then the flag wins over the environment, the environment over the file, the file over the default
        #expect(try reader.int("http.port", default: 80) == 3333)
        #expect(reader.string("log.level") == "error")
        #expect(reader.string("kafka.brokers", default: "127.0.0.1:9092") == "file-broker:9092")
        #expect(reader.string("http.host", default: "127.0.0.1") == "127.0.0.1")
        #expect(reader.string("http.host") == nil)
    }

    @Test func configFlagNamesTheFile() throws {
        let path = try temporaryConfigurationFile("http.port = 8082\n")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let reader = try ConfigurationReader(arguments: ["relance", "--config", path], environment: [:])

        #expect(reader.string("http.port") == "8082")
    }

    @Test func flagWithSeparateValueAndFlagWithEqualsBothSetTheKey() throws {
        let separate = try ConfigurationReader(arguments: ["relance", "--http-port", "8081"], environment: [:])
        let joined = try ConfigurationReader(arguments: ["relance", "--http-port=8081"], environment: [:])

        #expect(separate.string("http.port") == "8081")
        #expect(joined.string("http.port") == "8081")
    }

    @Test func flagValueMayContainEqualsSigns() throws {
        let reader = try ConfigurationReader(arguments: ["relance", "--api-keys=a=b,c"], environment: [:])

        #expect(reader.string("api.keys") == "a=b,c")
    }

    @Test func bareFlagMeansTrue() throws {
        // A bare flag followed by another flag, and a bare flag at the end
        let reader = try ConfigurationReader(
            arguments: ["relance", "--auth-enabled", "--http-port=8081", "--dry-run"], environment: [:])

        #expect(reader.string("auth.enabled") == "true")
        #expect(reader.string("dry.run") == "true")
        #expect(try reader.bool("dry.run", default: false) == true)
        #expect(reader.string("http.port") == "8081")
    }

    @Test func programNameAndPositionalArgumentsAreIgnored() throws {
        let reader = try ConfigurationReader(arguments: ["--http-port=1", "serve"], environment: [:])

        #expect(reader.values(withPrefix: "").isEmpty)
    }

    @Test func environmentNameMapsToDottedKey() throws {
        let reader = try ConfigurationReader(
            arguments: ["relance"],
            environment: ["RELANCE_HTTP_PORT": "8081", "RELANCE_KAFKA_CLIENT_ID": "me", "HTTP_PORT": "9999", "PATH": "/bin"])

        #expect(reader.string("http.port") == "8081")
        #expect(reader.string("kafka.client.id") == "me")
        // Only RELANCE_ variables are read
        #expect(reader.values(withPrefix: "") == ["http.port": "8081", "kafka.client.id": "me"])
    }

    @Test func fileSkipsCommentsBlankAndMalformedLines() throws {
        let path = try temporaryConfigurationFile("""
            # Relance configuration
              # an indented comment = with an equals sign

            http.port = 8081
            KAFKA_BROKERS=broker:9092
            api.keys =  a, b\u{20}\u{20}
            this line has no equals sign
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let reader = try ConfigurationReader(arguments: ["relance", "--config=\(path)"], environment: [:])

        #expect(reader.values(withPrefix: "") == [
            "http.port": "8081", "kafka.brokers": "broker:9092", "api.keys": "a, b", "config": path,
        ])
        #expect(reader.list("api.keys") == ["a", "b"])
    }

    @Test func unreadableFileIsAnErrorNamingThePath() throws {
        let path = "/nonexistent-\(UUID().uuidString)/relance.conf"

        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationReader(arguments: ["relance"], environment: ["RELANCE_CONFIG_FILE": path])
        }

        #expect(error.key == "config")
        #expect(error.reason.contains(path))
    }

    @Test func prefixedValuesGiveLibrdkafkaPropertyNames() throws {
        let reader = try ConfigurationReader(
            arguments: ["relance", "--kafka-property-security-protocol=SASL_SSL"],
            environment: ["RELANCE_KAFKA_PROPERTY_SASL_MECHANISMS": "PLAIN", "RELANCE_KAFKA_BROKERS": "b:9092"])

        #expect(reader.values(withPrefix: "kafka.property.") == [
            "sasl.mechanisms": "PLAIN", "security.protocol": "SASL_SSL",
        ])
    }

    @Test func listDropsEmptyEntriesAndTrims() {
        let reader = ConfigurationReader(values: ["api.keys": " k1 , ,k2,"])

        #expect(reader.list("api.keys") == ["k1", "k2"])
        #expect(reader.list("missing").isEmpty)
    }
}

@Suite struct ConfigurationParsingTests {
    @Test func integerIsParsedAndDefaultUsedWhenUnset() throws {
        let reader = ConfigurationReader(values: ["http.port": " 8081 "])

        #expect(try reader.int("http.port", default: 80) == 8081)
        #expect(try reader.int("kafka.partitions", default: 6) == 6)
    }

    @Test func nonIntegerIsAnErrorNamingTheKey() throws {
        let reader = ConfigurationReader(values: ["http.port": "80a"])

        let error = try #require(throws: ConfigurationError.self) { try reader.int("http.port", default: 80) }

        #expect(error.key == "http.port")
        #expect(error.reason.contains("'80a'"))
        #expect(error.description.contains("http.port"))
        #expect(error.description.contains("RELANCE_HTTP_PORT"))
        #expect(error.description.contains("--http-port"))
    }

    @Test(arguments: [
        ("true", true), ("TRUE", true), ("yes", true), ("1", true), ("on", true),
        ("false", false), ("No", false), ("0", false), ("off", false),
    ])
    func booleanWordsAreParsed(text: String, expected: Bool) throws {
        let reader = ConfigurationReader(values: ["auth.enabled": text])

        #expect(try reader.bool("auth.enabled", default: !expected) == expected)
    }

    @Test func booleanDefaultUsedWhenUnset() throws {
        #expect(try ConfigurationReader(values: [:]).bool("auth.enabled", default: true) == true)
        #expect(try ConfigurationReader(values: [:]).bool("auth.enabled", default: false) == false)
    }

    @Test func nonBooleanIsAnErrorNamingTheKey() throws {
        let reader = ConfigurationReader(values: ["auth.enabled": "maybe"])

        let error = try #require(throws: ConfigurationError.self) { try reader.bool("auth.enabled", default: true) }

        #expect(error.key == "auth.enabled")
        #expect(error.description.contains("RELANCE_AUTH_ENABLED"))
    }

    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)), ("6s", .seconds(6)), ("5m", .seconds(300)),
        ("1h", .seconds(3_600)), ("7", .seconds(7)), (" 10S ", .seconds(10)), ("0ms", .zero),
    ])
    func durationsAreParsed(text: String, expected: Duration) throws {
        let reader = ConfigurationReader(values: ["kafka.session.timeout": text])

        #expect(try reader.duration("kafka.session.timeout", default: .seconds(99)) == expected)
    }

    @Test func durationDefaultUsedWhenUnset() throws {
        #expect(try ConfigurationReader(values: [:]).duration("shutdown.timeout", default: .seconds(10)) == .seconds(10))
    }

    @Test(arguments: ["6 sec", "fast", "1.5s", "", "ms", "5d"])
    func malformedDurationIsAnErrorNamingTheKey(text: String) throws {
        let reader = ConfigurationReader(values: ["shutdown.timeout": text])

        let error = try #require(throws: ConfigurationError.self) {
            try reader.duration("shutdown.timeout", default: .seconds(10))
        }

        #expect(error.key == "shutdown.timeout")
        #expect(error.description.contains("RELANCE_SHUTDOWN_TIMEOUT"))
    }
}

@Suite struct ConfigurationYAMLFileTests {
    @Test func flagBeatsEnvironmentWhichBeatsYAMLFileWhichBeatsDefault() throws {
        // Given the same keys in a YAML file, the environment and a flag
        let path = try temporaryConfigurationFile("""
            # Relance configuration
            http:
              port: 1111
              host: 0.0.0.0
            log.level: warning
            kafka:
              brokers: file-broker:9092
            """, extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }

        // When the reader combines them
        let reader = try ConfigurationReader(
            arguments: ["relance", "--config", path, "--http-port=3333"],
            environment: ["RELANCE_HTTP_PORT": "2222", "RELANCE_LOG_LEVEL": "error"])

        // Then the flag wins, then the environment, then the file, then the default
        #expect(try reader.int("http.port", default: 80) == 3333)
        #expect(reader.string("log.level") == "error")
        #expect(reader.string("kafka.brokers") == "file-broker:9092")
        #expect(reader.string("http.host") == "0.0.0.0")
        #expect(reader.string("kafka.group", default: "relance-invoicing") == "relance-invoicing")
    }

    @Test func nestedAndDottedKeysNameTheSameSettingAndListsAreCommaLists() throws {
        let path = try temporaryConfigurationFile("""
            kafka:
              topic.prefix: staging.
              brokers: [b1:9092, b2:9092]
              session:
                timeout: 10s
            api.keys:
              - k1
              - k2
            auth.enabled: yes
            kafka.partitions: 12
            """, extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let reader = try ConfigurationReader(arguments: ["relance"], environment: ["RELANCE_CONFIG_FILE": path])

        #expect(reader.string("kafka.topic.prefix") == "staging.")
        #expect(reader.string("kafka.brokers") == "b1:9092,b2:9092")
        #expect(reader.list("api.keys") == ["k1", "k2"])
        #expect(try reader.duration("kafka.session.timeout", default: .seconds(6)) == .seconds(10))
        #expect(try reader.bool("auth.enabled", default: false))
        #expect(try reader.int("kafka.partitions", default: 6) == 12)
    }

    @Test func legacyKeyValueFileIsStillRead() throws {
        let path = try temporaryConfigurationFile("""
            # written for the reader before swift-configuration
            http.port = 8082
            kafka.property.sasl.mechanisms = PLAIN
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }

        let reader = try ConfigurationReader(arguments: ["relance", "--config=\(path)"], environment: [:])

        #expect(try reader.int("http.port", default: 80) == 8082)
        #expect(reader.values(withPrefix: "kafka.property.") == ["sasl.mechanisms": "PLAIN"])
    }

    @Test func emptyFileSetsNothing() throws {
        let path = try temporaryConfigurationFile("# nothing yet\n\n", extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let reader = try ConfigurationReader(arguments: ["relance", "--config", path], environment: [:])

        #expect(reader.values(withPrefix: "") == ["config": path])
    }

    @Test(arguments: [
        "http:\n  port: [1\n", // unclosed flow sequence
        "just a sentence\n", // a scalar, not a mapping
        "- http.port: 1\n", // a sequence at the top
        "api.keys:\n  - {a: 1}\n", // a list of mappings
    ])
    func malformedYAMLIsAnErrorNamingTheFile(text: String) throws {
        let path = try temporaryConfigurationFile(text, extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationReader(arguments: ["relance", "--config", path], environment: [:])
        }

        #expect(error.key == "config")
        #expect(error.reason.contains(path))
    }

    @Test func malformedValueInTheFileIsAnErrorNamingTheKey() throws {
        let path = try temporaryConfigurationFile("http:\n  port: eighty\nshutdown.timeout: soon\n", extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ConfigurationReader(arguments: ["relance", "--config", path], environment: [:])

        let port = try #require(throws: ConfigurationError.self) { try reader.int("http.port", default: 8081) }
        let timeout = try #require(throws: ConfigurationError.self) { try reader.duration("shutdown.timeout", default: .seconds(10)) }

        #expect(port.key == "http.port")
        #expect(port.reason.contains("'eighty'"))
        #expect(timeout.key == "shutdown.timeout")
    }

    @Test func malformedValueFromAHigherSourceIsRefusedNotSkipped() throws {
        // A bad flag must not fall back to the good value of the environment
        let reader = try ConfigurationReader(
            arguments: ["relance", "--kafka-partitions", "six"], environment: ["RELANCE_KAFKA_PARTITIONS": "6"])

        let error = try #require(throws: ConfigurationError.self) { try reader.int("kafka.partitions", default: 1) }

        #expect(error.key == "kafka.partitions")
    }

    @Test func kafkaPropertiesComeFromEverySourceByPriority() throws {
        let path = try temporaryConfigurationFile("""
            kafka:
              property:
                sasl.mechanisms: SCRAM-SHA-256
                sasl.username: from-file
                ssl.ca.location: /etc/ssl/ca.pem
            kafka.property.client.rack: rack-1
            """, extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }

        let reader = try ConfigurationReader(
            arguments: ["relance", "--config", path, "--kafka-property-security-protocol=SASL_SSL", "--kafka-property-sasl-username", "from-flag"],
            environment: ["RELANCE_KAFKA_PROPERTY_SASL_MECHANISMS": "PLAIN", "RELANCE_KAFKA_PROPERTY_SASL_PASSWORD": "s3cret"])

        #expect(reader.values(withPrefix: "kafka.property.") == [
            "security.protocol": "SASL_SSL", "sasl.username": "from-flag", "sasl.mechanisms": "PLAIN",
            "sasl.password": "s3cret", "ssl.ca.location": "/etc/ssl/ca.pem", "client.rack": "rack-1",
        ])
    }
}

@Suite struct ConfigurationFlagTests {
    @Test func flagValueWithCommasIsKeptWhole() throws {
        let reader = try ConfigurationReader(arguments: ["relance", "--kafka-brokers", "b1:9092,b2:9092"], environment: [:])

        #expect(reader.string("kafka.brokers") == "b1:9092,b2:9092")
    }

    @Test func emptyFlagValueIsEmptyNotTrue() throws {
        let reader = try ConfigurationReader(arguments: ["relance", "--kafka-topic-prefix="], environment: [:])

        #expect(reader.string("kafka.topic.prefix") == "")
    }

    @Test func flagGivenTwiceIsRefusedForASingleValue() throws {
        // swift-configuration collects both values; an integer cannot be two numbers
        let reader = try ConfigurationReader(arguments: ["relance", "--http-port", "1", "--http-port", "2"], environment: [:])

        #expect(throws: ConfigurationError.self) { try reader.int("http.port", default: 80) }
    }
}

@Suite struct ConfigurationSecretTests {
    @Test func secretsAreRedactedInTheDescription() throws {
        let reader = try ConfigurationReader(
            arguments: ["relance", "--api-keys=key-one,key-two", "--http-port=8081"],
            environment: ["RELANCE_KAFKA_PROPERTY_SASL_PASSWORD": "s3cret", "RELANCE_KAFKA_PROPERTY_SASL_USERNAME": "svc"])

        let text = String(describing: reader)

        #expect(!text.contains("key-one") && !text.contains("s3cret"))
        #expect(text.contains("api.keys=<REDACTED>") && text.contains("kafka.property.sasl.password=<REDACTED>"))
        #expect(text.contains("http.port=8081") && text.contains("kafka.property.sasl.username=svc"))
    }

    @Test(arguments: ["api.keys", "kafka.property.sasl.password", "kafka.property.ssl.key.password", "kafka.property.sasl.oauthbearer.client.secret"])
    func secretKeysAreMarkedSecret(key: String) {
        #expect(ConfigurationReader.isSecret(key))
    }

    @Test(arguments: ["http.port", "kafka.brokers", "kafka.property.sasl.username", "kafka.property.security.protocol"])
    func ordinaryKeysAreNotSecret(key: String) {
        #expect(!ConfigurationReader.isSecret(key))
    }

    @Test func swiftConfigurationReportsSecretsRedacted() throws {
        // Given a reader whose lookups are reported, as swift-configuration's access log does
        let events = CollectedAccessEvents()
        let path = try temporaryConfigurationFile("kafka:\n  property:\n    sasl.password: file-s3cret\n", extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try ConfigurationReader(
            arguments: ["relance", "--config", path, "--api-keys", "flag-key"], environment: ["RELANCE_HTTP_PORT": "8081"],
            accessReporter: events)

        // When secrets and an ordinary value are read
        #expect(reader.list("api.keys") == ["flag-key"])
        #expect(reader.values(withPrefix: "kafka.property.") == ["sasl.password": "file-s3cret"])
        #expect(reader.string("http.port") == "8081")

        // Then the reports carry the secrets marked secret and printed redacted
        let reported = events.all
        let report = reported.map(String.init(describing:)).joined(separator: "\n")
        #expect(!report.contains("flag-key") && !report.contains("file-s3cret"), "\(report)")
        #expect(report.contains("8081"))
        let secretResults = reported.filter { ["api.keys", "kafka.property.sasl.password"].contains($0.metadata.key.description) }
        #expect(secretResults.count == 2)
        #expect(secretResults.allSatisfy { (try? $0.result.get())?.isSecret == true })
    }
}

/// Keeps every access event swift-configuration reports.
final class CollectedAccessEvents: AccessReporter {
    private let events = Mutex<[AccessEvent]>([])

    func report(_ event: AccessEvent) { events.withLock { $0.append(event) } }

    var all: [AccessEvent] { events.withLock { $0 } }
}
