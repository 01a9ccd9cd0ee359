@testable import AuroraCLI
import AuroraCLITestSupport
import AuroraConfig
import AuroraCore
@testable import AuroraOperations
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// `diagnosis.confidence-tiers` reaches the remediation decision of every caller: the flow that heal,
/// watch, demo and remediate share, and heal end to end.
@Suite struct ConfiguredTiersTests {
    /// The shared flow decides a diagnosis' confidence with the configured tiers.
    func decide(confidence: Double, tiers: String) async throws -> (RemediationResult, invocations: Int) {
        let fixture = try RemediationFixture(extra: tiers)
        defer { fixture.remove() }
        let store = try Store(path: fixture.cli.databasePath)
        let configuration = try ConfigLoader.load(path: fixture.spy.configuration)
        let flow = RemediationFlow(store: store, settings: try RemediationSettings.load(configuration), clock: fixture.cli.clock,
                                   environment: fixture.cli.environment)
        let request = RemediationRequest(action: "restart", service: "checkout", incident: "1", confidence: confidence, actor: "aurora",
                                         reason: "heal: incident 1")
        return (try await flow.run(request), fixture.spy.invocations)
    }

    static let lowered = """
          diagnosis:
            confidence-tiers:
              auto-execute: 0.6
        """

    @Test func aLoweredAutoExecuteLineRunsA065Diagnosis() async throws {
        let (result, invocations) = try await decide(confidence: 0.65, tiers: Self.lowered)
        #expect(result.kind == .executed, "\(result.rule): \(result.reason)")
        #expect(invocations == 1)
    }

    @Test func theDefaultTiersStillAskAHumanAt065() async throws {
        let (result, invocations) = try await decide(confidence: 0.65, tiers: "")
        #expect(result.kind == .queued)
        #expect(result.rule == "confidence.0.5-0.7")
        #expect(invocations == 0)
    }

    @Test func theSettingsCarryTheDiagnosisTiers() throws {
        let configuration = try ConfigLoader.load(yaml: """
            aurora:
              diagnosis:
                confidence-tiers: {auto-execute: 0.6, auto-with-monitoring: 0.4, approval: 0.2}
            """, file: "test.yaml")
        let policy = try RemediationSettings.load(configuration).policy
        #expect(policy.tiers == ConfidenceTiers(autoExecute: 0.6, autoWithMonitoring: 0.4, approval: 0.2))
        #expect(try policy.tiers == AnalyzerFactory.options(configuration).tiers)
        #expect(try RemediationSettings.load(ConfigLoader.load(yaml: "aurora: {}", file: "empty.yaml")).policy.tiers == ConfidenceTiers())
    }

    /// Heal end to end on the demo's data: stricter configured lines hold back the remediation the
    /// defaults run (the demo's own test shows the defaults executing it).
    @Test func healQueuesWhatStricterTiersDoNotAllow() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("demo-data")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        let configuration = folder + "/aurora.yaml"
        let text = try String(contentsOfFile: configuration, encoding: .utf8)
        try (text + """

              diagnosis:
                confidence-tiers:
                  auto-execute: 0.999
                  auto-with-monitoring: 0.999
                  approval: 0.01
            """).write(toFile: configuration, atomically: true, encoding: .utf8)
        cli.environment["AURORA_CONFIG"] = configuration
        #expect(await cli.run(["config", "check", configuration]).status == 0)
        #expect(await cli.run(["ingest", folder + "/fleet-history.csv"]).status == 0)
        #expect(await cli.run(["detect", "--quiet"]).status == 0)
        let marker = folder + "/fleet/postgres.pool-exhausted"
        let result = await cli.run(["heal", folder + "/fleet-incident.csv"])
        #expect(result.stdout.contains("root cause postgres"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("queued for approval (confidence.0.01-0.999)"), "\(result.stdout)")
        #expect(FileManager.default.fileExists(atPath: marker))
    }
}
