@testable import AuroraCLI
import AuroraCLITestSupport
import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraDetection
import Foundation
import Testing

@Suite struct DetectionConfigTests {
    @Test func defaultsAreTheEnginesOwn() throws {
        let settings = try DetectorCatalogue.settings(from: ConfigLoader.defaults())
        let engine = DetectionSettings()
        #expect(settings.ensembleMembers == engine.ensembleMembers)
        #expect(settings.zscore == engine.zscore)
        #expect(settings.mad == engine.mad)
        #expect(settings.seasonal == engine.seasonal)
        #expect(settings.percentile == engine.percentile)
        #expect(settings.ensemble == engine.ensemble)
        #expect(settings.rules.isEmpty)
    }

    @Test func valuesRulesAndOverridesMapOntoTheEngine() throws {
        let yaml = """
        aurora:
          detection:
            detectors: [zscore, mad]
            threshold: 0.4
            zscore: { window: 200, sigmas: 3 }
            rules:
              - name: checkout-slow
                match: latency_ms{service="checkout"}
                above: 500
                for: 5m
                severity: critical
              - name: heartbeat
                absent-for: 10m
            overrides:
              - match: '{service=~"batch.*"}'
                detectors: [mad]
                mad: { window: 50 }
        """
        let settings = try DetectorCatalogue.settings(from: ConfigLoader.load(yaml: yaml, file: "a.yaml"))
        #expect(settings.ensembleMembers == ["zscore", "mad"])
        #expect(settings.ensemble.threshold == 0.4)
        #expect(settings.zscore.window == 200 && settings.zscore.sigmas == 3)
        #expect(settings.zscore.minimumPoints == DetectionSettings().zscore.minimumPoints)
        #expect(settings.rules.map(\.identity.name) == ["checkout-slow", "heartbeat"])
        #expect(settings.rules[0].identity.severity == .critical)
        #expect(settings.rules[0].identity.service == "checkout")
        let batch = settings.resolved(for: SeriesKey(name: "cpu", labels: ["service": "batch-7"]))
        #expect(batch.ensembleMembers == ["mad"] && batch.mad.window == 50)
        let other = settings.resolved(for: SeriesKey(name: "cpu", labels: ["service": "api"]))
        #expect(other.ensembleMembers == ["zscore", "mad"] && other.mad.window == DetectionSettings().mad.window)
    }

    @Test(arguments: [
        ("aurora:\n  detection:\n    detectors: [zscroe]\n", "unknown detector `zscroe`"),
        ("aurora:\n  detection:\n    rules:\n      - name: x\n", "give a condition"),
        ("aurora:\n  detection:\n    rules:\n      - name: x\n        match: m{a=~\"b\"}\n        above: 1\n", "= matchers only"),
    ])
    func badDetectionSettingsAreConfigurationErrors(yaml: String, message: String) throws {
        let configuration = try ConfigLoader.load(yaml: yaml, file: "a.yaml")
        let error = try #require(throws: SimpleFailure.self) { try DetectorCatalogue.settings(from: configuration) }
        #expect(error.kind == .configuration)
        #expect(error.message.contains(message))
    }

    @Test func aConfiguredThresholdRuleFiresFromTheCommandLine() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        cli.environment["AURORA_CONFIG"] = try cli.directory.write("aurora.yaml", """
        aurora:
          detection:
            rules:
              - name: checkout-slow
                match: latency_ms{service="checkout"}
                above: 500
                for: 2m
        """)
        var csv = "timestamp,metric,value,service\n"
        for minute in 0..<60 {
            let value = (30..<36).contains(minute) ? 900 : 100
            csv += String(format: "2026-01-01T00:%02d:00Z,latency_ms,%d,checkout\n", minute, value)
        }
        let file = try cli.directory.write("latency.csv", csv)
        let result = await cli.run(["detect", file, "--jsonl", "--no-store"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("checkout-slow"))
        #expect(result.stdout.contains("\"peak_value\":900"))
    }
}
