// swift-tools-version: 6.2
// aurora: a self-healing operator for production services.
//
// Three layers: the engine (ingest, detection, diagnosis, remediation policy, learning) is plain libraries
// of pure logic; `AuroraOperations` runs the loop over the store, executors and clock it is given; `AuroraCLI`
// parses argv, calls one operation and renders (terminals and exit codes live only there), and the `aurora`
// executable is a few lines over it. Side effects live at the edges: `AuroraStore` (SQLite) and
// `AuroraExecutors` (processes, HTTP).
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "aurora",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "aurora", targets: ["aurora"]),
        .executable(name: "aurora-http", targets: ["aurora-http"]),
        .executable(name: "aurora-bench", targets: ["aurora-bench"]),
        .executable(name: "aurora-watch", targets: ["aurora-watch"]),
    ],
    dependencies: [
        // YAML is the architecture document's own configuration format; Yams gives node marks (line:column).
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Foundation.Process hangs on Linux while a grandchild holds an inherited descriptor.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        // The webhook listener of `aurora watch` (and the live lab's target): a small pure-Swift HTTP
        // server that builds in seconds, linked only into `aurora-watch`, never into `aurora`.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // gzip input (`.gz` files, compressed pipes) through the system zlib.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CReadline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // Shared vocabulary: series, failures, clocks, the HTTP transport and its types (remediation, the AI
        // hypothesis and Prometheus speak one), the incident-grouping rule.
        .target(name: "AuroraCore", swiftSettings: strict),
        .target(name: "AuroraStore", dependencies: ["AuroraCore", "CSQLite"], swiftSettings: strict),
        // The configuration maps YAML onto the engine's own parameter types, whose defaults it documents:
        // defaults are written once, in the schema (or read there from the engine's types).
        .target(name: "AuroraConfig", dependencies: ["AuroraCore", "AuroraDetection", "AuroraDiagnosis", "AuroraLearning", "AuroraPrometheus", "Yams"], swiftSettings: strict),
        .target(name: "AuroraIngest", dependencies: ["AuroraCore", "CZlib"], swiftSettings: strict),
        .target(name: "AuroraDetection", dependencies: ["AuroraCore"], swiftSettings: strict),
        .target(name: "AuroraDiagnosis", dependencies: ["AuroraCore", "AuroraDetection", "Yams"],
                resources: [.copy("Patterns")], swiftSettings: strict),
        .target(name: "AuroraRemediation", dependencies: ["AuroraCore"], swiftSettings: strict),
        .target(
            name: "AuroraExecutors",
            dependencies: ["AuroraCore", "AuroraRemediation", .product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: strict
        ),
        // URLSession (FoundationNetworking, with libcurl and its thirty libraries) lives only in the
        // `aurora-http` helper, so that every other command starts fast.
        .target(name: "AuroraHTTP", dependencies: ["AuroraCore"], swiftSettings: strict),
        .executableTarget(name: "aurora-http", dependencies: ["AuroraHTTP", "AuroraCore"], swiftSettings: strict),
        .target(name: "AuroraSimulation", dependencies: ["AuroraCore"], swiftSettings: strict),
        // Live sources and sinks: the Prometheus HTTP API (query_range) and Alertmanager's API v2, over
        // the injected HTTP transport (the helper for one-off commands, URLSession inside aurora-watch).
        .target(name: "AuroraPrometheus", dependencies: ["AuroraCore"], swiftSettings: strict),
        // Live operation over the store: pulling Prometheus into the database, the watcher's lease and
        // watermarks, incidents as alerts. No HTTP stack of its own: the transport is injected.
        .target(name: "AuroraLive", dependencies: ["AuroraCore", "AuroraStore", "AuroraPrometheus"], swiftSettings: strict),
        // `aurora watch`: the loop on a schedule, its lease, signals, webhook listener (FlyingFox) and
        // self-metrics. Linked only into the `aurora-watch` executable, which `aurora watch` execs.
        .target(
            name: "AuroraWatch",
            dependencies: ["AuroraCore", "AuroraStore", "AuroraConfig", "AuroraPrometheus", "AuroraLive", "AuroraOperations",
                           "AuroraRemediation", "AuroraExecutors", .product(name: "FlyingFox", package: "FlyingFox"),
                           .product(name: "FlyingSocks", package: "FlyingFox")],
            swiftSettings: strict
        ),
        .executableTarget(name: "aurora-watch", dependencies: ["AuroraWatch", "AuroraCLI", "AuroraHTTP", "AuroraConfig", "AuroraStore", "AuroraExecutors"],
                          swiftSettings: strict),
        .target(name: "AuroraLearning", dependencies: ["AuroraCore", "AuroraDiagnosis", "Yams"], swiftSettings: strict),
        // The loop itself (detect → diagnose → remediate → verify → learn) over a store, executors and a clock
        // it is given: what `heal`, `demo`, `watch`, `aurora-bench` and the tests share. No argv, no terminal.
        .target(
            name: "AuroraOperations",
            dependencies: [
                "AuroraCore", "AuroraStore", "AuroraConfig", "AuroraDetection", "AuroraDiagnosis", "AuroraRemediation",
                "AuroraExecutors", "AuroraLearning",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AuroraCLI",
            dependencies: [
                "AuroraCore", "AuroraStore", "AuroraConfig", "AuroraIngest", "AuroraDetection",
                "AuroraDiagnosis", "AuroraRemediation", "AuroraExecutors", "AuroraSimulation", "AuroraLearning", "AuroraOperations",
                "AuroraPrometheus", "AuroraLive", "CReadline",
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "aurora", dependencies: ["AuroraCLI"], swiftSettings: strict),
        .executableTarget(
            name: "aurora-bench",
            dependencies: [
                "AuroraCore", "AuroraStore", "AuroraIngest", "AuroraDetection", "AuroraDiagnosis",
                "AuroraRemediation", "AuroraExecutors", "AuroraSimulation", "AuroraOperations", "AuroraCLI",
                "AuroraLiveLab", "AuroraPrometheus",
            ],
            swiftSettings: strict
        ),
        // Test support in two layers, so that engine tests never compile the application: doubles
        // (clocks, temporary folders, fake process runner and HTTP transport, a loopback HTTP server)
        // over the engine's protocols only, and the in-process CLI harness with its shell-script spy.
        .target(name: "AuroraTestSupport", dependencies: ["AuroraCore", "AuroraRemediation"], swiftSettings: strict),
        .target(name: "AuroraCLITestSupport", dependencies: ["AuroraCLI", "AuroraCore", "AuroraTestSupport"], swiftSettings: strict),
        // The live lab: real Prometheus and Alertmanager servers on loopback, and a target with a fault switch.
        .target(name: "AuroraLiveLab", dependencies: ["AuroraPrometheus", "AuroraHTTP", "AuroraTestSupport", .product(name: "FlyingFox", package: "FlyingFox")], swiftSettings: strict),
        .executableTarget(name: "aurora-lab-target", dependencies: [.product(name: "FlyingFox", package: "FlyingFox")],
                          swiftSettings: strict),
        .testTarget(name: "AuroraPrometheusTests", dependencies: ["AuroraPrometheus", "AuroraLiveLab", "AuroraTestSupport"],
                    swiftSettings: strict),
        // `aurora` and `aurora watch` end to end against the live lab's real servers.
        .testTarget(name: "AuroraLiveTests", dependencies: ["AuroraLiveLab", "AuroraLive", "AuroraPrometheus", "AuroraStore", "AuroraWatch", "AuroraOperations",
                                                     "AuroraConfig", "AuroraTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "AuroraCoreTests", dependencies: ["AuroraCore", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraStoreTests", dependencies: ["AuroraStore", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraConfigTests", dependencies: ["AuroraConfig", "AuroraCore", "AuroraDetection", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraIngestTests", dependencies: ["AuroraIngest", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraDetectionTests", dependencies: ["AuroraDetection", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraDiagnosisTests", dependencies: ["AuroraDiagnosis", "AuroraSimulation", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraRemediationTests", dependencies: ["AuroraRemediation", "AuroraCore", "AuroraTestSupport"],
                    swiftSettings: strict),
        // The process runner, the executors (exec, shell, HTTP through the aurora-http helper) and the
        // URLSession transport against real children and a loopback server.
        .testTarget(name: "AuroraExecutorsTests", dependencies: ["AuroraExecutors", "AuroraRemediation", "AuroraCore", "AuroraTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "AuroraHTTPTests", dependencies: ["AuroraHTTP", "AuroraCore", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(name: "AuroraSimulationTests", dependencies: ["AuroraSimulation", "AuroraCore"], swiftSettings: strict),
        // The loop's operations over a real store with fakes for processes, HTTP and the clock.
        .testTarget(
            name: "AuroraOperationsTests",
            dependencies: ["AuroraOperations", "AuroraStore", "AuroraConfig", "AuroraDetection", "AuroraRemediation", "AuroraCore", "AuroraTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "AuroraLearningTests", dependencies: ["AuroraLearning", "AuroraTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "AuroraCLITests",
            dependencies: ["AuroraCLI", "AuroraConfig", "AuroraStore", "AuroraDetection", "AuroraSimulation", "AuroraOperations", "AuroraTestSupport",
                           "AuroraCLITestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "AuroraEndToEndTests", dependencies: ["AuroraTestSupport", "AuroraCLITestSupport", "AuroraStore", "AuroraConfig"],
                    swiftSettings: strict),
        // Failure injection: contention, crashes, hostile input, broken dependencies (issue 9).
        .testTarget(
            name: "AuroraReliabilityTests",
            dependencies: ["AuroraTestSupport", "AuroraCLITestSupport", "AuroraStore", "AuroraIngest", "AuroraOperations", "AuroraCLI"],
            swiftSettings: strict
        ),
    ]
)
