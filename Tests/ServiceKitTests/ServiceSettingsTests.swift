import Events
import Foundation
import Logging
import Messaging
import ServiceKit
import Testing

@Suite struct ServiceSettingsTests {
    @Test func unsetKeysTakeTheDocumentedDefaults() throws {
        let settings = try ServiceSettings(
            serviceName: "invoicing", defaultPort: 8081, reader: ConfigurationReader(values: ["api.keys": "k1"]))

        #expect(settings.serviceName == "invoicing")
        #expect(settings.dataDirectory == URL(fileURLWithPath: ".data/invoicing"))
        #expect(settings.dataDirectory.path.hasSuffix("/.data/invoicing"))
        #expect(settings.httpHost == "127.0.0.1")
        #expect(settings.httpPort == 8081)
        #expect(settings.apiKeys == ["k1"])
        #expect(settings.authenticationEnabled)
        #expect(settings.logFormat == .human)
        #expect(settings.logLevel == .info)
        #expect(settings.kafka.bootstrapServers == "127.0.0.1:9092")
        #expect(settings.kafka.clientId == "relance-invoicing")
        #expect(settings.kafka.topics.prefix == "relance.")
        #expect(settings.kafka.partitions == 6)
        #expect(settings.kafka.replicationFactor == 1)
        #expect(settings.kafka.sessionTimeout == .seconds(6))
        #expect(settings.kafka.deliveryTimeout == .seconds(30))
        #expect(settings.kafka.properties.isEmpty)
        #expect(settings.consumerGroup == "relance-invoicing")
        #expect(settings.shutdownTimeout == .seconds(10))
        #expect(settings.kafka.shutdownFlushTimeout == .seconds(5))
        #expect(settings.kafka.maxPollInterval == .seconds(300))
        #expect(settings.consumerRetryPolicy == RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(30), maxAttempts: 10))
        #expect(settings.eventSource == "/relance/invoicing")
    }

    @Test func configuredKeysOverrideTheDefaults() throws {
        let reader = try ConfigurationReader(
            arguments: [
                "invoicing", "--http-port", "9000", "--http-host=0.0.0.0", "--log-format", "json",
                "--log-level=debug", "--kafka-session-timeout", "10s", "--shutdown-timeout=2500ms",
            ],
            environment: [
                "RELANCE_API_KEYS": "k1, k2", "RELANCE_DATA_DIR": "/var/lib/relance",
                "RELANCE_KAFKA_BROKERS": "b1:9092,b2:9092", "RELANCE_KAFKA_TOPIC_PREFIX": "staging.",
                "RELANCE_KAFKA_GROUP": "invoicing-blue", "RELANCE_KAFKA_PARTITIONS": "12",
            ])

        let settings = try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)

        #expect(settings.httpPort == 9000)
        #expect(settings.httpHost == "0.0.0.0")
        #expect(settings.apiKeys == ["k1", "k2"])
        #expect(settings.dataDirectory.path == "/var/lib/relance")
        #expect(settings.logFormat == .json)
        #expect(settings.logLevel == .debug)
        #expect(settings.kafka.bootstrapServers == "b1:9092,b2:9092")
        #expect(settings.kafka.topics.prefix == "staging.")
        #expect(settings.kafka.partitions == 12)
        #expect(settings.kafka.sessionTimeout == .seconds(10))
        #expect(settings.consumerGroup == "invoicing-blue")
        #expect(settings.shutdownTimeout == .milliseconds(2_500))
        #expect(settings.kafka.shutdownFlushTimeout == .milliseconds(1_250))
    }

    @Test func everyDocumentedKeyIsReadFromAYAMLFile() throws {
        // Given every key of docs/operations.md in a YAML file, nested and dotted
        let path = try temporaryConfigurationFile("""
            data.dir: /var/lib/relance
            http:
              host: 0.0.0.0
              port: 9000
            api.keys: [k1, k2]
            auth.enabled: true
            log:
              format: json
              level: debug
            kafka:
              brokers: [b1:9092, b2:9092]
              client.id: invoicing-7
              group: invoicing-blue
              topic.prefix: staging.
              partitions: 12
              replication.factor: 3
              session.timeout: 10s
              delivery.timeout: 45s
              property:
                security.protocol: SASL_SSL
                sasl.password: s3cret
            shutdown.timeout: 2500ms
            """, extension: "yaml")
        defer { try? FileManager.default.removeItem(atPath: path) }

        // When the service reads its settings
        let reader = try ConfigurationReader(arguments: ["invoicing", "--config", path], environment: [:])
        let settings = try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)

        // Then every setting comes from the file
        #expect(settings.dataDirectory.path == "/var/lib/relance")
        #expect(settings.httpHost == "0.0.0.0")
        #expect(settings.httpPort == 9000)
        #expect(settings.apiKeys == ["k1", "k2"])
        #expect(settings.authenticationEnabled)
        #expect(settings.logFormat == .json)
        #expect(settings.logLevel == .debug)
        #expect(settings.kafka.bootstrapServers == "b1:9092,b2:9092")
        #expect(settings.kafka.clientId == "invoicing-7")
        #expect(settings.consumerGroup == "invoicing-blue")
        #expect(settings.kafka.topics.prefix == "staging.")
        #expect(settings.kafka.partitions == 12)
        #expect(settings.kafka.replicationFactor == 3)
        #expect(settings.kafka.sessionTimeout == .seconds(10))
        #expect(settings.kafka.deliveryTimeout == .seconds(45))
        #expect(settings.kafka.properties == ["security.protocol": "SASL_SSL", "sasl.password": "s3cret"])
        #expect(settings.shutdownTimeout == .milliseconds(2_500))
    }

    @Test func authenticationWithoutKeysRefusesToStart() throws {
        for reader in [ConfigurationReader(values: [:]), ConfigurationReader(values: ["api.keys": " , "])] {
            let error = try #require(throws: ConfigurationError.self) {
                try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)
            }
            #expect(error.key == "api.keys")
            #expect(error.description.contains("api.keys"))
            #expect(error.description.contains("RELANCE_API_KEYS"))
        }
    }

    @Test func authenticationDisabledStartsWithoutKeys() throws {
        let reader = try ConfigurationReader(arguments: ["invoicing"], environment: ["RELANCE_AUTH_ENABLED": "false"])

        let settings = try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)

        #expect(settings.authenticationEnabled == false)
        #expect(settings.apiKeys.isEmpty)
    }

    @Test func unknownLogFormatIsRefused() throws {
        let reader = ConfigurationReader(values: ["api.keys": "k1", "log.format": "xml"])

        let error = try #require(throws: ConfigurationError.self) {
            try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)
        }

        #expect(error.key == "log.format")
    }

    @Test func unknownLogLevelIsRefused() throws {
        let reader = ConfigurationReader(values: ["api.keys": "k1", "log.level": "loud"])

        let error = try #require(throws: ConfigurationError.self) {
            try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)
        }

        #expect(error.key == "log.level")
    }

    @Test func malformedNumberIsRefusedNamingItsKey() throws {
        let reader = ConfigurationReader(values: ["api.keys": "k1", "kafka.replication.factor": "three"])

        let error = try #require(throws: ConfigurationError.self) {
            try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)
        }

        #expect(error.key == "kafka.replication.factor")
    }

    @Test func kafkaPropertiesArePassedThroughToLibrdkafka() throws {
        let reader = try ConfigurationReader(
            arguments: ["invoicing"],
            environment: [
                "RELANCE_API_KEYS": "k1",
                "RELANCE_KAFKA_PROPERTY_SASL_MECHANISMS": "PLAIN",
                "RELANCE_KAFKA_PROPERTY_SECURITY_PROTOCOL": "SASL_SSL",
            ])

        let settings = try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)

        #expect(settings.kafka.properties == ["sasl.mechanisms": "PLAIN", "security.protocol": "SASL_SSL"])
    }

    @Test func consumerRetriesAndPollIntervalAreConfigurable() throws {
        let reader = ConfigurationReader(values: [
            "api.keys": "k1", "consumer.retry.attempts": "3", "consumer.retry.initial": "1s",
            "consumer.retry.max": "5s", "kafka.max.poll.interval": "2m",
        ])
        let settings = try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: reader)
        #expect(settings.consumerRetryPolicy == RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(5), maxAttempts: 3))
        #expect(settings.kafka.maxPollInterval == .seconds(120))

        #expect(throws: ConfigurationError.self) {
            try ServiceSettings(serviceName: "invoicing", defaultPort: 8081, reader: ConfigurationReader(values: ["api.keys": "k1", "consumer.retry.attempts": "0"]))
        }
    }
}
