import AuroraCLI
import AuroraCLITestSupport
import AuroraTestSupport
import Foundation
import Testing

/// `aurora config check` reports, as a linter does, every error and every warning of a file in one run,
/// in text and in `--json`; 78 when there is an error (or, with `--strict`, a warning), else 0.
@Suite struct ConfigCheckReportTests {
    /// A wrong duration (line 3), a key ignored where it is written (warning, line 10) and a health check
    /// without a probe (line 14).
    static let twoErrorsAndAWarning = ConfigProblemFixtures.twoErrorsAndAWarning

    /// The same file with both errors fixed: valid, with its warning.
    static let validWithAWarning = twoErrorsAndAWarning.replacingOccurrences(of: "soon", with: "5m")
        .replacingOccurrences(of: "      retries: 2\n", with: "      command: [check]\n")

    static func duration(_ path: String) -> String {
        "\(path):3:36: aurora.safety.cooldown-between-same-service: `soon` is not a duration (expected e.g. 300s, 5m, 1h30m)"
    }

    static func probe(_ path: String) -> String {
        "\(path):14:9: aurora.remediation.actions.drain.health-check: give command or http (a health check without a probe checks nothing)"
    }

    static func warning(_ path: String) -> String {
        "\(path):10:60: warning: aurora.remediation.actions.restart.health-check.http.retries: ignored here: "
            + "the probe is tried once per try of the check (health-check.retries sets the tries)"
    }

    static func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func everyErrorAndWarningInFileOrderThenACount() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("two.yaml", Self.twoErrorsAndAWarning)
        let result = await cli.run(["config", "check", path])
        #expect(result.status == 78)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == [
            "aurora: " + Self.duration(path), Self.warning(path), "aurora: " + Self.probe(path),
            "aurora: \(path): 2 errors, 1 warning", "",
        ].joined(separator: "\n"))
        // --quiet silences the warning (a note), never an error.
        let quiet = await cli.run(["--quiet", "config", "check", path])
        #expect(quiet.status == 78)
        #expect(!quiet.stderr.contains("warning:"))
        #expect(quiet.stderr.contains(Self.probe(path)))
    }

    @Test func theJSONListsTheErrorsAndTheWarningsWithKindAndKey() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("two.yaml", Self.twoErrorsAndAWarning)
        let result = await cli.run(["config", "check", "--json", path])
        #expect(result.status == 78)
        let report = try #require(try Self.objects(result.stdout).first)
        #expect(report["valid"] as? Bool == false)
        #expect(report["file"] as? String == path)
        let errors = try #require(report["issues"] as? [[String: Any]])
        #expect(errors.map { "\($0["line"] ?? ""):\($0["column"] ?? "") \($0["kind"] ?? "") \($0["key"] ?? "")" } == [
            "3:36 wrong-type aurora.safety.cooldown-between-same-service",
            "14:9 missing-key aurora.remediation.actions.drain.health-check",
        ])
        #expect(errors.allSatisfy { $0["file"] as? String == path && ($0["message"] as? String ?? "").hasPrefix("aurora.") })
        let warnings = try #require(report["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["line"] as? Int == 10)
        #expect(warnings.first?["kind"] as? String == "ignored-key")
        #expect(warnings.first?["key"] as? String == "aurora.remediation.actions.restart.health-check.http.retries")
    }

    @Test func aValidFileWithAWarningExitsZeroUnlessStrict() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("valid.yaml", Self.validWithAWarning)
        let text = await cli.run(["config", "check", path])
        #expect(text.status == 0)
        #expect(text.stdout == "\(path): ok (1 warning)\n")
        #expect(text.stderr == Self.warning(path) + "\n")
        let json = await cli.run(["config", "check", "--json", path])
        #expect(json.status == 0)
        let report = try #require(try Self.objects(json.stdout).first)
        #expect(report["valid"] as? Bool == true)
        #expect((report["issues"] as? [Any])?.isEmpty == true)
        #expect((report["warnings"] as? [Any])?.count == 1)

        let strict = await cli.run(["--quiet", "config", "check", "--strict", path])
        #expect(strict.status == 78)
        #expect(strict.stdout.isEmpty)
        // The warnings are what fails a strict check: --quiet does not hide them.
        #expect(strict.stderr == Self.warning(path) + "\naurora: \(path): 1 warning (--strict fails on warnings)\n")
        let strictJSON = await cli.run(["config", "check", "--strict", "--json", path])
        #expect(strictJSON.status == 78)
        #expect(try Self.objects(strictJSON.stdout).first?["valid"] as? Bool == true)
    }

    @Test func eachFileIsCheckedAndEachProblemNamesItsFile() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let valid = try cli.directory.write("valid.yaml", Self.validWithAWarning)
        let broken = try cli.directory.write("two.yaml", Self.twoErrorsAndAWarning)
        // The configuration in effect is not what is checked when files are named.
        cli.environment["AURORA_CONFIG"] = valid
        let result = await cli.run(["--config", valid, "config", "check", "two.yaml", "valid.yaml"])
        #expect(result.status == 78)
        #expect(result.stdout == "\(valid): ok (1 warning)\n")
        #expect(result.stderr.contains("aurora: " + Self.probe(broken)))
        #expect(result.stderr.contains(Self.warning(broken)))
        #expect(result.stderr.contains(Self.warning(valid)))
        let json = await cli.run(["config", "check", "--json", broken, valid])
        #expect(json.status == 78)
        let reports = try Self.objects(json.stdout)
        #expect(reports.map { $0["file"] as? String } == [broken, valid])
        #expect(reports.map { $0["valid"] as? Bool } == [false, true])
        #expect(await cli.run(["config", "check", valid, valid]).status == 0)
    }

    /// Every other command still stops at a file with errors (78), naming each of them, not the warnings.
    @Test func otherCommandsPrintEveryErrorAndExit78() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("two.yaml", Self.twoErrorsAndAWarning)
        cli.environment["AURORA_CONFIG"] = path
        let shown = await cli.run(["config", "show"])
        #expect(shown.status == 78)
        #expect(shown.stderr == "aurora: \(Self.duration(path))\naurora: \(Self.probe(path))\n")
    }

    @Test func noConfigurationFileIsValidInTheSameShape() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let json = await cli.run(["config", "check", "--json"])
        #expect(json.status == 0)
        #expect(json.stdout == #"{"valid":true,"file":null,"issues":[],"warnings":[]}"# + "\n")
    }
}
