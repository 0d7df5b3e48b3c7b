// swift-tools-version:6.2
import PackageDescription

/// Same compiler settings on every target: Swift 6 mode (strict concurrency) plus the
/// upcoming features our model codebases use. Warnings in our own targets are errors, so the
/// build stays at zero warnings (dependencies' warnings are not affected).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .treatAllWarnings(as: .error),
]

/// librdkafka is built by `Deploy/local/bootstrap.sh` into `.deps/librdkafka` when the system's
/// is too old; the rpath lets every binary find it without `LD_LIBRARY_PATH`. Harmless when the
/// system library is used instead.
let rdkafkaRPath = Context.packageDirectory + "/.deps/librdkafka/lib"

let package = Package(
    name: "relance",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "invoicing", targets: ["invoicing"]),
        .executable(name: "payment-matching", targets: ["payment-matching"]),
        .executable(name: "scenario-scheduler", targets: ["scenario-scheduler"]),
        .executable(name: "notification", targets: ["notification"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // STARTTLS of the SMTP client (notification).
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // ServiceKit's ConfigurationReader: flags, environment and YAML file providers.
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
            traits: ["CommandLineArguments", "YAML"]),
        // YAML: the configuration file's key index (ServiceKit), asyncapi.yaml (EventsTests).
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Property-based tests (InvoicingTests only): random sequences of balance operations.
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // Notification templates (NotificationTemplates).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // MARK: Shared modules
        .systemLibrary(
            name: "CRDKafka",
            path: "Shared/CRDKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .target(name: "Money", path: "Shared/Money", swiftSettings: swiftSettings),
        .target(name: "Events", dependencies: ["Money"], path: "Shared/Events", swiftSettings: swiftSettings),
        // The one CSV parser: invoicing's imports, payment matching's CSV statements.
        .target(name: "CSV", path: "Shared/CSV", swiftSettings: swiftSettings),
        .target(
            name: "Messaging",
            dependencies: [
                "CRDKafka", "Events",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Messaging",
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(["-Xlinker", "-rpath", "-Xlinker", rdkafkaRPath])]
        ),
        .target(
            name: "Storage",
            dependencies: [
                "Events", "Messaging",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Storage",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: [
                "Events", "Messaging", "Storage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),

        // MARK: Services
        .target(
            name: "Invoicing",
            dependencies: [
                "Money", "Events", "Messaging", "Storage", "ServiceKit", "CSV",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Invoicing/Invoicing",
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "invoicing",
            dependencies: ["Invoicing", "ServiceKit", "Messaging", .product(name: "Logging", package: "swift-log")],
            path: "Services/Invoicing/App",
            swiftSettings: swiftSettings
        ),

        .target(
            name: "PaymentMatching",
            dependencies: [
                "Money", "Events", "Messaging", "Storage", "ServiceKit", "CSV",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/PaymentMatching/PaymentMatching",
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "payment-matching",
            dependencies: ["PaymentMatching", "ServiceKit", "Messaging", .product(name: "Logging", package: "swift-log")],
            path: "Services/PaymentMatching/App",
            swiftSettings: swiftSettings
        ),

        .target(
            name: "ScenarioScheduler",
            dependencies: [
                "Money", "Events", "Messaging", "Storage", "ServiceKit",
                .product(name: "Yams", package: "Yams"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/ScenarioScheduler/ScenarioScheduler",
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "scenario-scheduler",
            dependencies: ["ScenarioScheduler", "ServiceKit", "Messaging", .product(name: "Logging", package: "swift-log")],
            path: "Services/ScenarioScheduler/App",
            swiftSettings: swiftSettings
        ),

        .target(
            name: "Notification",
            dependencies: [
                "Money", "Events", "Messaging", "Storage", "ServiceKit", "NotificationTemplates", "SMTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Services/Notification/Notification",
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "notification",
            dependencies: ["Notification", "ServiceKit", "Messaging", .product(name: "Logging", package: "swift-log")],
            path: "Services/Notification/App",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SMTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Notification/SMTP",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NotificationTemplates",
            dependencies: ["Money", "Events", .product(name: "Mustache", package: "swift-mustache")],
            path: "Services/Notification/Templates",
            resources: [.copy("Resources/templates")],
            swiftSettings: swiftSettings
        ),

        // MARK: Test support, fixtures and benchmarks
        .target(
            name: "RelanceTestSupport",
            dependencies: [
                "Messaging", "Events",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Support",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "relance-outbox-probe",
            dependencies: [
                "Storage", "Messaging", "Events",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Fixtures/OutboxProbe",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "relance-bench",
            dependencies: [
                "Storage", "Messaging", "Events", "RelanceTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/Benchmarks",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "relance-invoicing-bench",
            dependencies: [
                "Invoicing", "Storage", "Messaging", "Events", "Money", "CSV",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/InvoicingBenchmark",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "relance-matching-bench",
            dependencies: ["PaymentMatching", "Money", "Events"],
            path: "Tests/MatchingBenchmark",
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "relance-scheduler-bench",
            dependencies: [
                "ScenarioScheduler", "Storage", "Events", "Money",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/SchedulerBenchmark",
            swiftSettings: swiftSettings
        ),
        // E-mails per second through the notification executable into postfix's smtp-sink.
        .executableTarget(
            name: "relance-notification-bench",
            dependencies: [
                "Messaging", "Events", "Money", "NotificationTemplates", "SMTP", "Storage", "RelanceTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/NotificationBenchmark",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(name: "MoneyTests", dependencies: ["Money"], swiftSettings: swiftSettings),
        .testTarget(name: "CSVTests", dependencies: ["CSV"], swiftSettings: swiftSettings),
        .testTarget(
            name: "EventsTests",
            dependencies: ["Events", "Money", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MessagingTests",
            dependencies: ["Messaging", "Events", "RelanceTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "Messaging", "Events", "RelanceTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServiceKitTests",
            dependencies: [
                "ServiceKit", "Events", "Messaging", "Storage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "InvoicingTests",
            dependencies: [
                "Invoicing", "Money", "Events", "Storage", "ServiceKit", "CSV", "RelanceTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaymentMatchingTests",
            dependencies: [
                "PaymentMatching", "Money", "Events", "Storage", "ServiceKit", "RelanceTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ScenarioSchedulerTests",
            dependencies: [
                "ScenarioScheduler", "Money", "Events", "Storage", "ServiceKit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NotificationTests",
            dependencies: [
                "Notification", "NotificationTemplates", "Events", "Money", "Messaging",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPTests",
            dependencies: [
                "SMTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SMTPTests",
            exclude: ["Support"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NotificationTemplatesTests",
            dependencies: ["NotificationTemplates", "Money", "Events"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Events", "Messaging", "Money", "RelanceTestSupport", "ScenarioScheduler", "NotificationTemplates",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
