import AuroraCLITestSupport
import AuroraCore
import Foundation
import Testing

/// An incident opened by anomalies of a series the detector had seen only briefly says so in
/// `incidents show` (text and JSON); the same anomaly on a long history does not.
@Suite struct IncidentShortHistoryTests {
    @Test func anIncidentOfAShortDumpShowsItsHistory() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("api_latency.csv", ShortHistoryNoteTests.dump(count: 300, spike: 200))
        let detect = await cli.run(["detect", file])
        #expect(detect.status == 0, "\(detect.stderr)")
        let text = await cli.run(["incidents", "show", "1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("history    short: every anomaly came from series with less history"), "\(text.stdout)")
        #expect(text.stdout.contains("short history (200 points)"), "\(text.stdout)")
        let json = await cli.run(["incidents", "show", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let anomalies = try #require(object["anomalies"] as? [[String: Any]])
        #expect(anomalies.map { $0["short_history"] as? Bool } == [true])
        #expect(anomalies.map { $0["history_points"] as? Int } == [200])
    }

    @Test func theSameAnomalyOnALongHistoryShowsNone() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let (configuration, file) = try ShortHistoryNoteTests.spikeOnALongHistory(in: cli)
        let detect = await cli.run(["--config", configuration, "detect", file])
        #expect(detect.status == 0, "\(detect.stderr)")
        let text = await cli.run(["--config", configuration, "incidents", "show", "1"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(!text.stdout.contains("short"), "\(text.stdout)")
    }
}
