import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, points 5 and 10: diagnose ends with a summary and, on a terminal, draws the root
/// candidate's series around the incident.
@Suite struct DiagnoseSummaryTests {
    @Test func diagnoseEndsWithASummaryAndDrawsTheRootSeriesOnATerminal() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("fleet")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        cli.environment["AURORA_CONFIG"] = folder + "/aurora.yaml"
        #expect(await cli.run(["detect", folder + "/fleet.csv", "--quiet"]).status == 0)
        let plain = await cli.run(["diagnose"])
        let last = try #require(plain.stdout.split(separator: "\n").last)
        #expect(last.hasPrefix("summary: 1 incident diagnosed — postgres: "), "\(plain.stdout)")
        #expect(last.contains("next: aurora heal --stored"))
        #expect(!plain.stdout.contains("around the incident"), "no picture in a pipe")
        let terminal = await cli.run(["diagnose", "1", "--no-color"], terminal: true)
        let picture = try #require(terminal.stdout.split(separator: "\n").first { $0.contains("around the incident") })
        #expect(picture.contains("█") && picture.contains("▁"), "\(picture)")
    }
}
