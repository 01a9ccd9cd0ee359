import AuroraCore
import Foundation

/// What the data says about an unresolved incident's quiet (read by the loop's `QuietRecovery`).
package struct IncidentQuiet: Sendable, Equatable {
    package var incident: Int64
    /// Since when the incident has been quiet, Unix ms: the end of the latest anomaly on any of its series
    /// (its own end at least; the same series firing again, even as another incident, means the condition
    /// has not cleared), or the return of a series that had stopped reporting, whichever is later. A
    /// silence's event ends when the series were found missing, not when they came back.
    package var quietSince: Int64
    /// How far every series the incident rests on has reported (the oldest newest point among them),
    /// Unix ms; nil when one of them is not stored at all (nothing tells whether it recovered).
    package var reportingThrough: Int64?
}

extension IncidentStore {
    /// The timeline kind of a resolution without action (the condition cleared and stayed clear): the SLO
    /// report and `incidents show` tell it from a resolution by a remediation or a person by it.
    package static let recoveredKind = "recovered"

    /// The quiet of unresolved incident `id`. The series it rests on are its events' series and, for an
    /// absent-data event, every series of that event's service that reported within `departure` ms before
    /// it began (those that left with it): until they report again, the silence is not over, and its quiet
    /// starts with their first point after the event (the points of a return retention dropped are long past:
    /// the event's end stands for it).
    package static func quiet(of id: Int64, departure: Int64, in db: Database) throws -> IncidentQuiet? {
        guard let end = try db.scalar("SELECT end_ms FROM incidents WHERE id = ?", [.integer(id)])?.int64 else { return nil }
        // The UNIQUE (series_key, start_ms) index serves the same-series lookup.
        let later = try db.scalar("""
            SELECT max(o.end_ms) FROM anomaly_events e JOIN anomaly_events o ON o.series_key = e.series_key
            WHERE e.incident_id = ?
            """, [.integer(id)])?.int64
        let rows = try db.query("""
            SELECT e.detectors, e.service, e.start_ms, s.id, s.last_ms, e.end_ms
            FROM anomaly_events e LEFT JOIN series s ON s.key = e.series_key WHERE e.incident_id = ?
            """, [.integer(id)])
        var through: Int64? = Int64.max
        var since = max(end, later ?? end)
        for row in rows {
            guard row[3].int64 != nil else { through = nil; break }
            through = min(through ?? .max, row[4].int64 ?? .min)
            guard row[0].string == AbsenceStore.detector, let start = row[2].int64, let eventEnd = row[5].int64 else { continue }
            // One statement however many series the service has (an index seek per series): the oldest
            // newest point among them, and the latest first point after the event (the last to come back;
            // recent points are newer than the stored history, so the history is asked first).
            let departed = try db.query("""
                SELECT min(s.last_ms), max(CASE WHEN s.last_ms > ?3 THEN coalesce(
                    (SELECT min(ts) FROM points p WHERE p.series_id = s.id AND p.ts > ?3),
                    (SELECT min(ts) FROM recent_points r WHERE r.series_id = s.id AND r.ts > ?3), ?3) END)
                FROM series s WHERE s.service IS ?1 AND s.last_ms >= ?2
                """, [.optional(row[1].string), .integer(start - departure), .integer(eventEnd)]).first
            if let last = departed?[0].int64 { through = min(through ?? .max, last) }
            if let back = departed?[1].int64 { since = max(since, back) }
        }
        if rows.isEmpty { through = nil }
        return IncidentQuiet(incident: id, quietSince: since, reportingThrough: through)
    }

    /// Whether a remediation of the incident is queued, approved, running, or failed and waits for a person
    /// (the loop leaves such an incident to the person or the remediation).
    package static func hasRemediationInHand(_ id: Int64, in db: Database) throws -> Bool {
        try db.scalar("""
            SELECT count(*) FROM remediations
            WHERE incident = ? AND state IN ('queued', 'approved', 'running', 'failed', 'rolled_back', 'interrupted')
            """, [.text(String(id))])?.int64 ?? 0 > 0
    }

    /// Whether a person reopened the incident (`incidents reopen`: a timeline entry of kind `open`; the
    /// first opening is `opened`). It is theirs to resolve: the loop resolving it again at its next pass
    /// would undo what they did.
    package static func wasReopened(_ id: Int64, in db: Database) throws -> Bool {
        try db.scalar("SELECT count(*) FROM incident_timeline WHERE incident_id = ? AND kind = 'open'", [.integer(id)])?.int64 ?? 0 > 0
    }

    /// Resolves unresolved incident `id` as recovered without action: status, timeline (`recoveredKind`),
    /// how it was resolved (not automatically: nothing was done). False when it was resolved meanwhile.
    /// Call inside a write transaction, with the audit entry.
    package static func recordRecovery(_ id: Int64, message: String, actor: String, at now: Date, in db: Database) throws -> Bool {
        let changed = try db.run("""
            UPDATE incidents SET status = 'resolved', resolved_ms = ?2, updated_ms = ?2, resolved_by = ?3, auto_resolved = 0
            WHERE id = ?1 AND status IN ('open', 'diagnosed', 'escalated', 'remediating')
            """, [.integer(id), .integer(now.unixMilliseconds), .text(actor)])
        if changed == 1 { try appendTimeline(id, kind: recoveredKind, message: message, at: now, in: db) }
        return changed == 1
    }

    /// How each resolved incident of `ids` was resolved, by id: the message of its latest resolution
    /// entry, and whether that was a recovery without action.
    package static func resolutions(of ids: [Int64], in db: Database) throws -> [Int64: (message: String, recovered: Bool)] {
        var found: [Int64: (message: String, recovered: Bool)] = [:]
        for id in ids {
            if let row = try db.query("""
                SELECT kind, message FROM incident_timeline WHERE incident_id = ? AND kind IN ('resolved', ?)
                ORDER BY id DESC LIMIT 1
                """, [.integer(id), .text(recoveredKind)]).first {
                found[id] = (row[1].string ?? "", row[0].string == recoveredKind)
            }
        }
        return found
    }
}
