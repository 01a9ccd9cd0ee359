import AuroraCLITestSupport
import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Issue 17, point 5: one single-series file does not flood the incident list, and its name is not
/// split into a service that does not exist.
@Suite struct SingleSeriesFileTests {
    /// `heal` names the incident of a series without a service as `detect` does, not as `incident 1 ()`.
    @Test func healSaysAnUnlabelledSeriesHasNoKnownService() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", DetectCommandTests.nabCSV())
        let result = await cli.run(["heal", file])
        #expect(result.stdout.contains("incident 1 (service unknown)"), "\(result.stdout)")
        #expect(!result.stdout.contains("()"))
    }

    @Test func onlyAnEventStrongEnoughOpensAnIncidentAndWeakerOnesJoinIt() throws {
        let directory = try TemporaryDirectory("aurora-incidents")
        defer { directory.remove() }
        let store = try Store(path: directory.file("a.db"))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func event(_ start: Int64, score: Double) -> AnomalyRecord {
            AnomalyRecord(seriesKey: "Twitter_volume_TEST", service: nil, start: start, end: start + 60_000, peakTime: start,
                          peakValue: 100, expectedLow: 0, expectedHigh: 10, score: score, detectors: "seasonal",
                          recorded: now, source: "Twitter_volume_TEST.csv")
        }
        let opened = try store.database.write { db in
            try AnomalyEventStore.record([event(0, score: 0.3), event(86_400_000, score: 0.9), event(86_460_000, score: 0.3),
                                          event(2 * 86_400_000, score: 0.35)], in: db)
            return try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000, openingScore: 0.5), at: now, in: db)
        }
        #expect(opened == [1])
        let incidents = try store.database.read { try IncidentStore.list(in: $0) }
        #expect(incidents.count == 1)
        #expect(try store.database.read { try AnomalyEventStore.events(incident: 1, in: $0) }.map(\.score) == [0.9, 0.3])
        // Without a floor every event opens its own incident, as before.
        let all = try store.database.write { db in try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000), at: now, in: db) }
        #expect(all.count == 2)
    }

    @Test func aNABFileIsNamedAfterItselfWithNoInventedService() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        var csv = "timestamp,value\n"
        for minute in 0..<2000 {
            let value = minute == 1900 ? 900.0 : 40 + Double((minute * 7) % 9)
            csv += "\(1_425_168_000 + minute * 60),\(value)\n"
        }
        let file = try cli.directory.write("Twitter_volume_TEST.csv", csv)
        let detected = await cli.run(["detect", file, "--json"])
        #expect(detected.stdout.contains(#""series":"Twitter_volume_TEST""#), "\(detected.stdout)")
        let listed = await cli.run(["incidents", "list"])
        #expect(listed.stdout.contains("  unknown  "), "\(listed.stdout)")
        let diagnosed = await cli.run(["diagnose"])
        #expect(diagnosed.stdout.contains("incident 1 — service unknown"), "\(diagnosed.stdout)")
        #expect(diagnosed.stdout.contains("#1 Twitter_volume_TEST:"), "\(diagnosed.stdout)")
        #expect(!diagnosed.stdout.contains("Twitter ("), "split into a fake service: \(diagnosed.stdout)")
        #expect(!diagnosed.stdout.contains("— \n"), "a header with nothing after the dash: \(diagnosed.stdout)")
    }
}
