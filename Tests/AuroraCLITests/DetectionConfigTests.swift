@testable import AuroraCLI
import AuroraCLITestSupport
import AuroraConfig
import AuroraCore
import AuroraOperations
import AuroraDetection
import Foundation
import Testing

@Suite struct DetectionConfigTests {
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
