import AuroraCore
import AuroraLive
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Whether an alert's diagnosis confidence is a measurement: from the text the watcher stored from its
/// step, and without one from the stored diagnosis (its top candidate's `confidenceMeasured`).
@Suite struct IncidentAlertConfidenceTests {
    @Test func aStoredDiagnosisOfSeriesThatStoppedReportingIsNotMeasured() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("a.db")).database
        let silent = #"{"candidates":[{"rank":1,"service":"api","confidence":0,"confidenceMeasured":false,"tier":"escalate"}]}"#
        let measured = #"{"candidates":[{"rank":1,"service":"db","confidence":0.8,"confidenceMeasured":true,"tier":"approval"}]}"#
        try db.write { db in
            try db.run("""
                INSERT INTO incidents (id, status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms)
                VALUES (1, 'open', 'api', 0, 1, 0, 0, 0), (2, 'open', 'db', 10, 11, 0, 0, 0)
                """)
            try IncidentStore.recordDiagnosis(1, json: silent, cause: nil, confidence: 0, tier: .escalate, pattern: nil, remediation: nil,
                                              escalate: true, summary: "root cause: api", at: Date(unixMilliseconds: 20), in: db)
            try IncidentStore.recordDiagnosis(2, json: measured, cause: nil, confidence: 0.8, tier: .approval, pattern: nil, remediation: nil,
                                              escalate: false, summary: "root cause: db", at: Date(unixMilliseconds: 20), in: db)
        }
        let restarted = try IncidentAlerts.current(now: Date(unixMilliseconds: 60_000), validity: 240, in: db)
        let first = try #require(restarted.first { $0.incident == 1 })
        #expect(first.service == "api" && first.confidence == 0 && !first.confidenceMeasured)
        #expect(restarted.first { $0.incident == 2 }?.confidenceMeasured == true)

        // The text the watcher stored from its step says the same.
        try db.write { db in
            try IncidentAlertTextStore.record([2: IncidentAlertText(summary: "root cause api: Stopped reporting", description: nil, action: "escalated to a human",
                                                                    confidence: 0, confidenceMeasured: false)], at: Date(unixMilliseconds: 30), in: db)
        }
        let running = try IncidentAlerts.current(now: Date(unixMilliseconds: 60_000), validity: 240, in: db)
        #expect(running.first { $0.incident == 2 }?.confidenceMeasured == false)
        #expect(running.first { $0.incident == 2 }?.actingConfidence == nil)
        #expect(restarted.allSatisfy { $0.actingConfidence == nil }, "an incident no loop step decided has no acting confidence")
    }

    /// The confidence the watcher's step acted on is kept with the alert's text (schema 18), so a restarted
    /// watcher posts it again; a change of it alone is a change of the text.
    @Test func theActingConfidenceIsKeptWithTheAlertsText() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let db = try Store(path: folder.file("a.db")).database
        try db.write { db in
            try db.run("INSERT INTO incidents (id, status, services, start_ms, end_ms, opened_ms, detected_ms, updated_ms) VALUES (1, 'open', 'api', 0, 1, 0, 0, 0)")
            try IncidentAlertTextStore.record([1: IncidentAlertText(summary: "root cause api (latency)", description: nil, action: "failover: queued for approval",
                                                                    confidence: 0.95, actingConfidence: 0.6)], at: Date(unixMilliseconds: 30), in: db)
        }
        let posted = try #require(try IncidentAlerts.current(now: Date(unixMilliseconds: 60_000), validity: 240, in: db).first)
        #expect(posted.confidence == 0.95 && posted.actingConfidence == 0.6)
        try db.write { db in
            try IncidentAlertTextStore.record([1: IncidentAlertText(summary: "root cause api (latency)", description: nil, action: "failover: queued for approval",
                                                                    confidence: 0.95, actingConfidence: 0.3)], at: Date(unixMilliseconds: 40), in: db)
        }
        #expect(try IncidentAlertTextStore.texts(of: [1], in: db)[1]?.actingConfidence == 0.3)
        #expect(try db.scalar("SELECT updated_ms FROM incident_alert_text WHERE incident_id = 1")?.int64 == 40)
    }
}
