import AuroraCLITestSupport
import AuroraCore
import Foundation
import Testing

/// `aurora detect` on a short dump: events raised before the series filled the detector's memory say
/// so (`history_points`, `short_history`) and a note tells the operator to weigh them; a long history
/// or no event says nothing.
@Suite struct ShortHistoryNoteTests {
    /// 5-minute points of noise with a spike at `spike`.
    static func dump(count: Int, spike: Int) -> String {
        var generator = Xoshiro256(seed: 3)
        var text = "timestamp,value\n"
        for index in 0..<count {
            let minutes = index * 5
            let value = 100 + generator.nextNormal() + (index == spike ? 40 : 0)
            text += String(format: "2026-03-%02d %02d:%02d:00,%.3f\n", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60, value)
        }
        return text
    }

    /// The spike dump, and a configuration whose memory is 100 points, so the spike at 200 is judged on
    /// a long history.
    static func spikeOnALongHistory(in cli: CLIHarness) throws -> (configuration: String, file: String) {
        let configuration = try cli.directory.write("memory.yaml", """
            aurora:
              detection:
                novelty-horizon: 100
            """)
        return (configuration, try cli.directory.write("api_latency.csv", dump(count: 300, spike: 200)))
    }

    static func events(_ jsonLines: String) -> [[String: Any]] {
        jsonLines.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    @Test func anEventOnAShortDumpIsMarkedAndNoted() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("api_latency.csv", Self.dump(count: 300, spike: 200))
        let result = await cli.run(["detect", "--no-store", "--jsonl", file])
        #expect(result.status == 0, "\(result.stderr)")
        let events = Self.events(result.stdout)
        #expect(events.count == 1, "\(result.stdout)")
        #expect(events.first?["history_points"] as? Int == 200)
        #expect(events.first?["short_history"] as? Bool == true)
        #expect(result.stderr.contains("note: 1 of 1 event came from 1 series with less history than the detector remembers (6000 points)"),
                "\(result.stderr)")
    }

    @Test func aLongHistoryOrNoEventSaysNothing() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let (configuration, file) = try Self.spikeOnALongHistory(in: cli)
        let long = await cli.run(["--config", configuration, "detect", "--no-store", "--jsonl", file])
        #expect(long.status == 0, "\(long.stderr)")
        #expect(Self.events(long.stdout).map { $0["short_history"] as? Bool } == [false], "\(long.stdout)")
        #expect(!long.stderr.contains("less history"), "\(long.stderr)")

        let quiet = try cli.directory.write("quiet.csv", Self.dump(count: 300, spike: -1))
        let none = await cli.run(["detect", "--no-store", "--jsonl", quiet])
        #expect(Self.events(none.stdout).isEmpty, "\(none.stdout)")
        #expect(!none.stderr.contains("less history"), "\(none.stderr)")
    }
}
