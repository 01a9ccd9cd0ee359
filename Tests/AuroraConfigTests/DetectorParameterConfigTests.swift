import AuroraConfig
import AuroraCore
import Testing

/// Detector parameters that are each in range but that a detector refuses are configuration errors at
/// their key, for the section and for an override as its series would get it.
struct DetectorParameterConfigTests {
    static func issues(_ yaml: String) throws -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.load(yaml: yaml, file: "a.yaml")
            return []
        } catch let error as ConfigError {
            return error.issues
        }
    }

    @Test func aDriftClipNotAboveItsSlackIsReportedAtTheClip() throws {
        let issues = try Self.issues("aurora:\n  detection:\n    detectors: [seasonal, drift]\n    drift:\n      slack: 2\n      clip: 1.5\n")
        let issue = try #require(issues.first)
        #expect(issues.count == 1)
        #expect(issue.kind == .conflict && issue.key == "aurora.detection.drift.clip")
        #expect(issue.location.line == 6 && issue.location.column == 13, "\(issue.location)")
        #expect(issue.message.contains("the clip above the slack"), "\(issue.message)")
    }

    @Test func aSeasonalWindowTooShortIsReportedThereToo() throws {
        let issue = try #require(try Self.issues("aurora:\n  detection:\n    seasonal: { window: 2 }\n").first)
        #expect(issue.key == "aurora.detection.seasonal.window" && issue.location.line == 3)
        #expect(issue.message.contains("window must be at least 3"))
    }

    @Test func anOverrideIsCheckedAsItsSeriesGetIt() throws {
        // The section's slack with the override's clip: neither is wrong alone.
        let yaml = """
        aurora:
          detection:
            drift: { slack: 2 }
            overrides:
              - match: 'latency{service="api"}'
                drift: { clip: 2 }
        """
        let issue = try #require(try Self.issues(yaml).first)
        #expect(issue.key == "aurora.detection.overrides[0].drift.clip" && issue.location.line == 6, "\(issue)")
    }

    @Test func validParametersAreNotReported() throws {
        #expect(try Self.issues("aurora:\n  detection:\n    drift: { slack: 0.5, clip: 4 }\n    seasonal: { window: 3 }\n").isEmpty)
        #expect(try Self.issues("aurora:\n  detection:\n    threshold: 0.3\n").isEmpty)
    }
}
