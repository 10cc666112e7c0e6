// swift-tools-version: 6.0
// Cutover: cross-account AWS cutovers as durable, approved, audited runbooks.
// Layers (lower never imports higher): CCurl/CCrypto → AWSSigV4 → AWSClient → AWSServices;
// Runbook → Engine ← Journal (CSQLite). The engine never imports AWS code; steps (issue 5) bridge them.
// swift-log's `Logger` runs through AWSClient, Engine and Daemon; cutoverd bootstraps it with its journald handler.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Cutover",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "cutover-aws-sim", targets: ["CutoverAWSSim"]),
        .library(name: "AWSSimulator", targets: ["AWSSimulator"]),
        .library(name: "AWSSigV4", targets: ["AWSSigV4"]),
        .library(name: "AWSClient", targets: ["AWSClient"]),
        .library(name: "AWSServices", targets: ["AWSServices"]),
        .library(name: "Runbook", targets: ["Runbook"]),
        .library(name: "Journal", targets: ["Journal"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Audit", targets: ["Audit"]),
        .library(name: "Steps", targets: ["Steps"]),
        .executable(name: "sigv4-bench", targets: ["SigV4Bench"]),
        .executable(name: "cutoverd", targets: ["cutoverd"]),
        .executable(name: "cutoverctl", targets: ["cutoverctl"]),
        .library(name: "ControlProtocol", targets: ["ControlProtocol"]),
        .library(name: "Daemon", targets: ["Daemon"]),
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
        .executable(name: "cutover-fuzz", targets: ["cutover-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // System libraries, wrapped in tiny C targets so Swift never sees a variadic C call.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl"), .linkedLibrary("ssl"), .linkedLibrary("crypto")]),
        .target(name: "CCrypto", linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Pure SigV4: canonicalisation, signing keys, header and query signing. No I/O.
        .target(name: "AWSSigV4", dependencies: ["CCrypto"], swiftSettings: strict),
        // Credentials chain, libcurl transport, endpoints, retries, wire protocols, errors.
        .target(
            name: "AWSClient",
            dependencies: [
                "AWSSigV4", "CCurl", "CCrypto", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // The S3, RDS, STS and KMS operations a cutover makes, typed.
        .target(name: "AWSServices", dependencies: ["AWSClient", "CCrypto"], swiftSettings: strict),

        // Runbook language: YAML with line:column diagnostics, validation, the step catalog, the plan.
        .target(name: "Runbook", dependencies: ["Yams", "CCrypto"], swiftSettings: strict),
        // Append-only, hash-chained event store on SQLite: the engine's state and the audit log.
        .target(name: "Journal", dependencies: ["CSQLite", "CCrypto"], swiftSettings: strict),
        // The durable state machine: scheduler, clock, retries, waits, approvals, window, rollback.
        .target(
            name: "Engine",
            dependencies: [
                "Runbook", "Journal", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // The audit log on the journal: signed checkpoints, export bundles, offline verification, timelines.
        .target(name: "Audit", dependencies: ["Journal", "Engine", "CCrypto"], swiftSettings: strict),
        // The cutover steps (S3 same-name move, RDS move) on AWSServices: the bridge from engine to AWS.
        .target(name: "Steps", dependencies: ["Engine", "Runbook", "AWSServices", "CCrypto"], swiftSettings: strict),
        // Rehearsal: read-only discovery of what a runbook touches, written as a simulator twin;
        // the run on that twin through a private cutoverd, and its report.
        .target(
            name: "Rehearsal", dependencies: ["Runbook", "Steps", "AWSServices", "AWSClient", "ControlProtocol", "Audit", "CZlib"],
            swiftSettings: strict),

        // The control API's wire types and a small blocking HTTP/1.1 client over the unix socket.
        .target(name: "ControlProtocol", dependencies: ["Engine"], swiftSettings: strict),
        // cutoverd's parts: config, the control server (SO_PEERCRED), systemd notify, runs, metrics, notifications.
        .target(
            name: "Daemon",
            dependencies: [
                "ControlProtocol", "Engine", "Journal", "Runbook", "Steps", "Audit", "AWSClient", "AWSServices", "Yams",
                .product(name: "Logging", package: "swift-log"), .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "cutoverd",
            dependencies: [
                "Daemon", .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "cutoverctl",
            dependencies: [
                "ControlProtocol", "Runbook", "Steps", "Audit", "Engine", "Journal", "Rehearsal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // The AWS stand-in: S3, RDS, STS, KMS where moto is not faithful; in-process or over HTTP.
        .target(
            name: "AWSSimulator",
            dependencies: [
                "AWSSigV4", "CCrypto", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "CutoverAWSSim", dependencies: ["AWSSimulator"], swiftSettings: strict),

        // Fuzz targets: each feeds arbitrary bytes to a parser or decoder and checks its invariants.
        // `cutover-fuzz` replays inputs, or is libFuzzer's driver when built by scripts/fuzz.
        .target(
            name: "FuzzTargets",
            dependencies: ["Runbook", "Steps", "Daemon", "ControlProtocol", "AWSSigV4", "AWSClient", "AWSServices"],
            swiftSettings: strict),
        .executableTarget(name: "cutover-fuzz", dependencies: ["FuzzTargets"], swiftSettings: strict),

        .executableTarget(
            name: "SigV4Bench", dependencies: ["AWSSigV4", "CCrypto"], path: "Benchmarks/SigV4Bench",
            swiftSettings: strict),

        // Shared test fixtures: a loopback HTTP server, the moto fixture, the in-process simulator transport.
        .target(
            name: "TestSupport", dependencies: ["AWSClient", "AWSSimulator", "Engine"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSClientTests", dependencies: ["AWSClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "CredentialsTests", dependencies: ["AWSClient", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSServicesTests", dependencies: ["AWSServices", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AWSSimulatorTests", dependencies: ["AWSSimulator", "AWSServices", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "RunbookTests", dependencies: ["Runbook", "TestSupport"], exclude: ["Corpus"], swiftSettings: strict),
        .testTarget(name: "JournalTests", dependencies: ["Journal", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "StepsTests", dependencies: ["Steps", "Audit", "Rehearsal", "AWSSimulator", "TestSupport", "CCrypto"],
            swiftSettings: strict),
        .testTarget(
            name: "DaemonTests",
            dependencies: [
                "Daemon", "ControlProtocol", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: strict),
        // Real cutoverd/cutoverctl/cutover-aws-sim processes over real sockets (built first by scripts/test).
        .testTarget(name: "ProcessTests", dependencies: ["ControlProtocol", "Audit", "TestSupport"], swiftSettings: strict),
        // Replays every committed fuzz corpus and regression input (Tests/Fuzz) through FuzzTargets.
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"], swiftSettings: strict),
        .testTarget(name: "ConformanceTests", dependencies: ["AWSServices", "TestSupport"], swiftSettings: strict),
    ]
)
