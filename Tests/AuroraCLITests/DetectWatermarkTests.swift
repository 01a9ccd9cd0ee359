import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, point 6: `detect FILE` stores the watermark with the points, so the next plain
/// `aurora detect` does not report the same events again.
@Suite struct DetectWatermarkTests {
    @Test func aPlainDetectAfterDetectFileReportsNothingTwice() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("fleet")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        let first = await cli.run(["detect", folder + "/fleet-history.csv", "--json"])
        #expect(first.status == 0)
        let again = await cli.run(["detect", "--json"])
        #expect(again.status == 0)
        #expect(again.stdout.contains(#"{"events":[]}"#), "\(again.stdout)")
        #expect(again.stderr.contains("no new points since the last run"), "\(again.stderr)")
        // New points after the file are scored from where it stopped, and the fault is found.
        #expect(await cli.run(["ingest", folder + "/fleet-incident.csv", "--quiet"]).status == 0)
        let next = await cli.run(["detect", "--json"])
        #expect(next.stdout.contains("postgres"), "\(next.stdout)")
        let incidents = await cli.run(["incidents", "list", "--json"])
        #expect(incidents.stdout.components(separatedBy: "\"id\"").count - 1 == 1, "\(incidents.stdout)")
    }
}
