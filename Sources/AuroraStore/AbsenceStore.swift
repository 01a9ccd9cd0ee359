import AuroraCore
import Foundation

/// Absent-data events (a series gone from the live source's answers), recorded so that a target that
/// keeps going away does not grow its incident by one event per departure.
package enum AbsenceStore {
    /// The detectors column of an absent-data event.
    package static let detector = "absent"

    /// Records that `absence`'s series disappeared. When the series' previous disappearance is an
    /// event of an incident still unresolved that ended at most `gap` ms before this one began (the
    /// incident grouping would put the new event into it), that event is extended to `absence.end`
    /// (and the incident's span with it) instead: a scrape that keeps failing is the same incident, and
    /// the same event, as Alertmanager keeps one alert per fingerprint in its group however often it
    /// fires. The extended incident's span moves, so the watcher diagnoses it again. Returns true when
    /// a new event was recorded (it is grouped like any other).
    @discardableResult
    package static func record(_ absence: AnomalyRecord, gap: Int64, at now: Date, in db: Database) throws -> Bool {
        let previous = try db.query("""
            SELECT e.id, e.incident_id FROM anomaly_events e JOIN incidents i ON i.id = e.incident_id
            WHERE e.series_key = ?1 AND e.detectors = ?2 AND i.status <> 'resolved' AND i.end_ms + ?3 >= ?4
            ORDER BY e.start_ms DESC LIMIT 1
            """, [.text(absence.seriesKey), .text(detector), .integer(gap), .integer(absence.start)]).first
        guard let previous, let event = previous[0].int64, let incident = previous[1].int64 else {
            return try AnomalyEventStore.record([absence], in: db) == 1
        }
        try db.run("UPDATE anomaly_events SET end_ms = max(end_ms, ?2), peak_ms = ?2, source = ?3 WHERE id = ?1",
                   [.integer(event), .integer(absence.end), .text(absence.source)])
        try db.run("UPDATE incidents SET end_ms = max(end_ms, ?2), updated_ms = ?3 WHERE id = ?1",
                   [.integer(incident), .integer(absence.end), .integer(now.unixMilliseconds)])
        return false
    }
}
