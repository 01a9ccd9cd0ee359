import AuroraCLI
import AuroraCLITestSupport
import Foundation
import Testing

/// What `aurora config check` and `aurora config show` say about an action's blocks that could do
/// nothing (errors, exit 78) and about keys an `http` block accepts but ignores (warnings on stderr).
@Suite struct ConfigActionRulesCommandTests {
    static let deadHealthCheck = """
        aurora:
          remediation:
            actions:
              restart:
                type: service-restart
                command: [systemctl, restart, "{service}"]
                health-check:
                  retries: 5

        """

    static let ignoredKeys = """
        aurora:
          remediation:
            actions:
              restart:
                type: service-restart
                command: [systemctl, restart, "{service}"]
                health-check:
                  http: { url: "https://{service}.example/health", retries: 2 }

        """

    @Test func configShowNoLongerPrintsADeadHealthCheck() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("c.yaml", Self.deadHealthCheck)
        cli.environment["AURORA_CONFIG"] = path
        let shown = await cli.run(["config", "show"])
        #expect(shown.status == 78)
        #expect(shown.stdout.isEmpty)
        #expect(shown.stderr == "aurora: \(path):7:9: aurora.remediation.actions.restart.health-check: give command or http "
                               + "(a health check without a probe checks nothing)\n")
        let checked = await cli.run(["config", "check"])
        #expect(checked.status == 78)
        #expect(checked.stderr.contains("\(path):7:9: aurora.remediation.actions.restart.health-check: give command or http"))
        let json = await cli.run(["config", "check", "--json"])
        #expect(json.stdout.contains(#""line":7,"column":9,"message":"aurora.remediation.actions.restart.health-check: give command or http"#))
    }

    @Test func anIgnoredKeyIsAWarningAndTheFileStaysValid() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("c.yaml", Self.ignoredKeys)
        let warning = "\(path):8:60: warning: aurora.remediation.actions.restart.health-check.http.retries: ignored here: "
            + "the probe is tried once per try of the check (health-check.retries sets the tries)\n"
        let checked = await cli.run(["config", "check", path])
        #expect(checked.status == 0)
        #expect(checked.stdout == "\(path): ok (1 warning)\n")
        #expect(checked.stderr == warning)
        let json = await cli.run(["config", "check", "--json", path])
        #expect(json.status == 0)
        #expect(json.stdout.contains(#""valid":true"#))
        #expect(json.stdout.contains(#""warnings":[{"file":"\#(path)","line":8,"column":60,"message":"aurora.remediation.actions.restart.health-check.http.retries: ignored here"#))
        // Every command that reads the file says it once; --quiet silences it like any note.
        cli.environment["AURORA_CONFIG"] = path
        let shown = await cli.run(["config", "show"])
        #expect(shown.status == 0)
        #expect(shown.stderr.hasPrefix(warning))
        #expect(shown.stderr.components(separatedBy: "warning:").count == 2)
        #expect(await cli.run(["--quiet", "config", "show"]).stderr.isEmpty)
    }

    @Test func aValidFileChecksWithoutWarnings() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("c.yaml", Self.ignoredKeys.replacingOccurrences(of: ", retries: 2", with: ""))
        let json = await cli.run(["config", "check", "--json", path])
        #expect(json.status == 0)
        #expect(json.stdout == #"{"valid":true,"file":"\#(path)","issues":[],"warnings":[]}"# + "\n")
        #expect(json.stderr.isEmpty)
    }
}
