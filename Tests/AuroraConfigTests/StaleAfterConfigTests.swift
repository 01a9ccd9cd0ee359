import AuroraConfig
import AuroraCore
import Foundation
import Testing

/// `remediation.stale-after`: a duration with a default, 0 for no limit, and longer than the time a fault
/// still going on can take to reach a pass (watch.interval + sources.prometheus.step).
@Suite struct StaleAfterConfigTests {
    @Test func theDefaultIsFifteenMinutesAndZeroMeansNoLimit() throws {
        #expect(try ConfigLoader.load(yaml: "aurora: {}", file: "a.yaml").seconds("remediation.stale-after") == 900)
        #expect(try ConfigLoader.load(yaml: "aurora:\n  remediation:\n    stale-after: 0\n", file: "a.yaml")
            .seconds("remediation.stale-after") == 0)
        #expect(try ConfigLoader.load(yaml: "aurora:\n  remediation:\n    stale-after: 2h\n", file: "a.yaml")
            .seconds("remediation.stale-after") == 7200)
    }

    @Test func aLimitAFaultStillGoingOnCanReachIsAConflictAtItsLine() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  remediation:\n    stale-after: 30s\n", file: "a.yaml")
        }
        let issue = try #require(error?.issues.first)
        #expect(issue.kind == .conflict)
        #expect(issue.key == "aurora.remediation.stale-after")
        #expect(issue.location.line == 3)
        #expect(issue.message.contains("30s is not longer than watch.interval + sources.prometheus.step (30s)"), "\(issue.message)")
        // A slower watcher moves the line: the same limit is caught at the interval it no longer exceeds.
        let slow = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  watch:\n    interval: 20m\n", file: "a.yaml")
        }
        #expect(slow?.issues.first?.key == "aurora.watch.interval")
        _ = try ConfigLoader.load(yaml: "aurora:\n  remediation:\n    stale-after: 31s\n", file: "a.yaml")
    }

    @Test func aValueThatIsNoDurationIsNamed() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  remediation:\n    stale-after: soon\n", file: "a.yaml")
        }
        #expect(error?.issues.first?.key == "aurora.remediation.stale-after")
    }

    @Test func theStarterFileDocumentsIt() {
        #expect(ConfigWriter.starterFile().contains("    stale-after: 15m\n"))
    }
}
