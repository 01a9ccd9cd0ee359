import AuroraCLITestSupport
import AuroraCore
import AuroraStore
import Foundation
import Testing

/// A target that stopped answering, or a level shift across every series, can put thousands of
/// anomalies in one incident: `incidents show` lists the first and last 25 and says how many it left
/// out; --all lists every one, and --json always does.
@Suite struct IncidentShowLengthTests {
    @Test func aLongIncidentShowsItsEndsAndCountsTheRest() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let db = try Store(path: cli.databasePath).database
        try db.write { db in
            _ = try AnomalyEventStore.record((0..<80).map { index in
                AnomalyRecord(seriesKey: "latency{pod=\"p\(index)\"}", service: "api", start: Int64(index) * 1_000, end: Int64(index) * 1_000 + 1,
                              peakTime: Int64(index) * 1_000, peakValue: 9, expectedLow: 1, expectedHigh: 2, score: 0.8,
                              detectors: "seasonal", recorded: Date(unixMilliseconds: 0), source: "test")
            }, in: db)
            try db.run("""
                INSERT INTO incidents (id, status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                VALUES (1, 'open', 'api', 0, 80000, 0, 0, 0)
                """)
            try db.run("UPDATE anomaly_events SET incident_id = 1")
        }
        let short = await cli.run(["incidents", "show", "1"])
        #expect(short.status == 0, "\(short.stderr)")
        #expect(short.stdout.contains("p0\"}") && short.stdout.contains("p24\"}") && !short.stdout.contains("p25\"}"), "\(short.stdout)")
        #expect(short.stdout.contains("  … 30 more anomalies (--all lists every one)"))
        #expect(!short.stdout.contains("p54\"}") && short.stdout.contains("p55\"}") && short.stdout.contains("p79\"}"))
        let all = await cli.run(["incidents", "show", "1", "--all"])
        #expect((0..<80).allSatisfy { all.stdout.contains("p\($0)\"}") })
        #expect(!all.stdout.contains("more anomalies"))
        let json = await cli.run(["incidents", "show", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["anomalies"] as? [Any])?.count == 80)
    }
}
