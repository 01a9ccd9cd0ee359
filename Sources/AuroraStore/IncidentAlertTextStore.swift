import AuroraCore
import Foundation

/// What an incident's alert says (its annotations), as the watcher made it from its latest step: the
/// diagnosis in one line, its strongest evidence, what was done or is awaited, and the confidence.
package struct IncidentAlertText: Sendable, Equatable {
    /// The diagnosis in one line (`root cause api (latency): …`, `not diagnosed: …`).
    package var summary: String
    /// The strongest evidence; nil when the diagnosis has none (the alert then says when and where).
    package var description: String?
    /// What was done or is awaited (`restart-api: queued for approval (…): aurora approve 7`).
    package var action: String
    /// The diagnosis' confidence, when it has one.
    package var confidence: Double?
    /// False when the cause rests on series that stopped reporting: its confidence (0) is no measurement.
    package var confidenceMeasured: Bool
    /// The confidence the remediation was decided on (the fault real and its cause right), when the loop
    /// decided one: lower than `confidence` when the incident rests on an anomaly alone.
    package var actingConfidence: Double?

    package init(summary: String, description: String?, action: String, confidence: Double?, confidenceMeasured: Bool = true,
                 actingConfidence: Double? = nil) {
        self.summary = summary
        self.description = description
        self.action = action
        self.confidence = confidence
        self.confidenceMeasured = confidenceMeasured
        self.actingConfidence = actingConfidence
    }
}

/// The alert text of each incident, kept in the database so that a restarted watcher posts what the
/// previous one did (Alertmanager shows the annotations of the latest post).
package enum IncidentAlertTextStore {
    /// Records each incident's text; a row that would not change is not written. Call inside a write
    /// transaction.
    package static func record(_ texts: [Int64: IncidentAlertText], at now: Date, in db: Database) throws {
        for (incident, text) in texts.sorted(by: { $0.key < $1.key }) {
            try db.run("""
                INSERT INTO incident_alert_text (incident_id, summary, description, action, confidence, confidence_measured,
                    acting_confidence, updated_ms)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?8, ?7)
                ON CONFLICT(incident_id) DO UPDATE SET summary = ?2, description = ?3, action = ?4, confidence = ?5,
                    confidence_measured = ?6, acting_confidence = ?8, updated_ms = ?7
                WHERE summary IS NOT ?2 OR description IS NOT ?3 OR action IS NOT ?4 OR confidence IS NOT ?5
                    OR confidence_measured IS NOT ?6 OR acting_confidence IS NOT ?8
                """, [.integer(incident), .text(text.summary), .optional(text.description), .text(text.action),
                      .optional(text.confidence), .integer(text.confidenceMeasured ? 1 : 0), .integer(now.unixMilliseconds),
                      .optional(text.actingConfidence)])
        }
    }

    /// The stored text of each of `incidents` that has one.
    package static func texts(of incidents: [Int64], in db: Database) throws -> [Int64: IncidentAlertText] {
        var found: [Int64: IncidentAlertText] = [:]
        for row in try AnomalyEventStore.perIncident(incidents, """
            SELECT incident_id, summary, description, action, confidence, confidence_measured, acting_confidence
            FROM incident_alert_text WHERE incident_id IN (?)
            """, in: db) {
            guard let id = row[0].int64 else { continue }
            found[id] = IncidentAlertText(summary: row[1].string ?? "", description: row[2].string, action: row[3].string ?? "",
                                          confidence: row[4].double, confidenceMeasured: (row[5].int64 ?? 1) != 0,
                                          actingConfidence: row[6].double)
        }
        return found
    }
}
