import AuroraConfig
import AuroraCore
import Foundation
import Testing

/// `diagnosis.recovered-after`: a duration with a default, 0 for never, and longer than the incident gap
/// (an anomaly closer than that would still join the incident it resolved).
@Suite struct RecoveredAfterConfigTests {
    @Test func theDefaultIsThirtyMinutesAndZeroMeansNever() throws {
        #expect(try ConfigLoader.load(yaml: "aurora: {}", file: "a.yaml").seconds("diagnosis.recovered-after") == 1800)
        #expect(try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    recovered-after: 0\n", file: "a.yaml")
            .seconds("diagnosis.recovered-after") == 0)
        #expect(try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    recovered-after: 2h\n", file: "a.yaml")
            .seconds("diagnosis.recovered-after") == 7200)
    }

    @Test func aPeriodNotLongerThanTheIncidentGapIsAConflictAtItsLine() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    recovered-after: 5m\n", file: "a.yaml")
        }
        let issue = try #require(error?.issues.first)
        #expect(issue.kind == .conflict)
        #expect(issue.key == "aurora.diagnosis.recovered-after")
        #expect(issue.location.line == 3)
        #expect(issue.message.contains("5m is not longer than diagnosis.incident-gap (5m)"), "\(issue.message)")
        // A wider gap moves the line: the default period is caught at the gap it no longer exceeds.
        let wide = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    incident-gap: 45m\n", file: "a.yaml")
        }
        #expect(wide?.issues.first?.key == "aurora.diagnosis.incident-gap")
        _ = try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    recovered-after: 6m\n", file: "a.yaml")
        _ = try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    incident-gap: 45m\n    recovered-after: 0\n", file: "a.yaml")
    }

    @Test func aValueThatIsNoDurationIsNamed() throws {
        let error = #expect(throws: ConfigError.self) {
            try ConfigLoader.load(yaml: "aurora:\n  diagnosis:\n    recovered-after: later\n", file: "a.yaml")
        }
        #expect(error?.issues.first?.key == "aurora.diagnosis.recovered-after")
    }

    @Test func theStarterFileDocumentsIt() {
        #expect(ConfigWriter.starterFile().contains("    recovered-after: 30m\n"))
    }
}
