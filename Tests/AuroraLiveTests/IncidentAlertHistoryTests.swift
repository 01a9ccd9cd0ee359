import AuroraCore
import AuroraLive
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// The watcher's alerts carry the `history` annotation for an incident whose every anomaly came from a
/// short history, and only for it; and the likeliest anomaly's confidence where one has any.
@Suite struct IncidentAlertHistoryTests {
    @Test func onlyAnIncidentOfShortHistoriesIsMarked() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("a.db")).database
        func event(_ series: String, _ start: Int64, short: Bool) -> AnomalyRecord {
            AnomalyRecord(seriesKey: series, service: "api", start: start, end: start + 1, peakTime: start, peakValue: 9, expectedLow: 1,
                          expectedHigh: 2, score: 0.8, detectors: "seasonal", recorded: Date(unixMilliseconds: start), source: "test",
                          historyPoints: short ? 50 : 9_000, shortHistory: short)
        }
        try db.write { db in
            _ = try AnomalyEventStore.record([event("a", 0, short: true), event("b", 1, short: true), event("c", 10, short: true),
                                              event("d", 11, short: false)], in: db)
            try db.run("""
                INSERT INTO incidents (id, status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                VALUES (1, 'open', 'api', 0, 1, 0, 0, 0), (2, 'open', 'api', 10, 11, 0, 0, 0)
                """)
            try db.run("UPDATE anomaly_events SET incident_id = CASE WHEN start_ms < 10 THEN 1 ELSE 2 END")
        }
        let alerts = try IncidentAlerts.current(now: Date(unixMilliseconds: 60_000), validity: 240, in: db)
        #expect(Dictionary(uniqueKeysWithValues: alerts.map { ($0.incident, $0.shortHistory) }) == [1: true, 2: false])
    }

    @Test func anAlertCarriesItsLikeliestAnomalysConfidence() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("a.db")).database
        func event(_ series: String, _ start: Int64, confidence: Double?) -> AnomalyRecord {
            AnomalyRecord(seriesKey: series, service: "api", start: start, end: start + 1, peakTime: start, peakValue: 9, expectedLow: 1,
                          expectedHigh: 2, score: 0.8, detectors: "seasonal", recorded: Date(unixMilliseconds: start), source: "test",
                          confidence: confidence)
        }
        try db.write { db in
            _ = try AnomalyEventStore.record([event("a", 0, confidence: 0.35), event("b", 1, confidence: 0.62), event("c", 2, confidence: nil),
                                              event("d", 10, confidence: nil)], in: db)
            try db.run("""
                INSERT INTO incidents (id, status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                VALUES (1, 'open', 'api', 0, 2, 0, 0, 0), (2, 'open', 'api', 10, 11, 0, 0, 0)
                """)
            try db.run("UPDATE anomaly_events SET incident_id = CASE WHEN start_ms < 10 THEN 1 ELSE 2 END")
        }
        let alerts = try IncidentAlerts.current(now: Date(unixMilliseconds: 60_000), validity: 240, in: db)
        #expect(alerts.first { $0.incident == 1 }?.anomalyConfidence == 0.62)
        #expect(alerts.first { $0.incident == 2 }.map { $0.anomalyConfidence == nil } == true, "a rule's anomaly has no fitted confidence")
    }
}
