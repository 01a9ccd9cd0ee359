import AuroraCore
import Foundation

/// What an incident's diagnosis depends on, as stored now: read by the loop to decide whether the
/// incident's stored diagnosis still holds (see `incidents.diagnosis_basis`, migration 11).
package struct DiagnosisBasisRow: Sendable, Equatable {
    package var incident: Int64
    package var status: IncidentStatus
    package var start: Int64
    package var end: Int64
    /// Anomaly events grouped into the incident.
    package var events: Int
    /// When the analysis (or the learned-pattern match) last ran.
    package var diagnosed: Date?
    /// The basis the loop recorded when it last took the incident's diagnosis.
    package var recorded: String?
    /// For each absent-data event of the incident, the series of its service whose newest point is older
    /// than the event's start, summed: the series that stopped and have not reported since (with any that
    /// stopped long before, a constant). It falls when one of them reports again, the news that the
    /// stored diagnosis ("none has reported since") is out of date, which no event brings.
    package var stillSilent: Int = 0
}

extension IncidentStore {
    /// The diagnosis basis of every incident in `statuses`, by id: one query (the event count reads the
    /// `anomaly_events_incident` index only; the silent series of an absent-data event read the
    /// `series_service` index and one row per series of its service: a few milliseconds for 10,000).
    package static func diagnosisBases(statuses: [IncidentStatus], in db: Database) throws -> [Int64: DiagnosisBasisRow] {
        let placeholders = statuses.map { _ in "?" }.joined(separator: ",")
        let rows = try db.query("""
            SELECT i.id, i.status, i.start_ms, i.end_ms,
                   (SELECT COUNT(*) FROM anomaly_events e WHERE e.incident_id = i.id), i.diagnosed_ms, i.diagnosis_basis,
                   (SELECT COUNT(*) FROM anomaly_events e JOIN series s ON s.service IS e.service AND s.last_ms < e.start_ms
                    WHERE e.incident_id = i.id AND e.detectors = ?)
            FROM incidents i WHERE i.status IN (\(placeholders))
            """, [.text(AbsenceStore.detector)] + statuses.map { .text($0.rawValue) })
        var bases: [Int64: DiagnosisBasisRow] = [:]
        for row in rows {
            let id = row[0].int64 ?? 0
            bases[id] = DiagnosisBasisRow(incident: id, status: IncidentStatus(rawValue: row[1].string ?? "") ?? .open,
                                          start: row[2].int64 ?? 0, end: row[3].int64 ?? 0, events: Int(row[4].int64 ?? 0),
                                          diagnosed: row[5].int64.map { Date(unixMilliseconds: $0) }, recorded: row[6].string,
                                          stillSilent: Int(row[7].int64 ?? 0))
        }
        return bases
    }

    /// A token that changes whenever a learned pattern is added, forgotten or learns again (a new or
    /// changed pattern may immunise an open incident).
    package static func learnedPatternsGeneration(in db: Database) throws -> String {
        let row = try db.query("""
            SELECT COUNT(*), COALESCE(SUM(occurrences + successes + failures + false_positives), 0), COALESCE(MAX(last_seen_ms), 0),
                   COALESCE(MAX(id), 0)
            FROM learned_patterns
            """).first
        return (0..<4).map { String(row?[$0].int64 ?? 0) }.joined(separator: "/")
    }

    /// The incident's current status, if it exists.
    package static func status(of id: Int64, in db: Database) throws -> IncidentStatus? {
        try db.scalar("SELECT status FROM incidents WHERE id = ?", [.integer(id)])?.string.flatMap(IncidentStatus.init(rawValue:))
    }

    /// Records the basis the loop took the incident's diagnosis on (nil: none to reuse).
    package static func recordDiagnosisBasis(_ id: Int64, _ basis: String?, in db: Database) throws {
        try db.run("UPDATE incidents SET diagnosis_basis = ?2 WHERE id = ?1", [.integer(id), .optional(basis)])
    }

    /// Notes that the incident was diagnosed again with the same conclusion and nothing else to store
    /// (a learned pattern matched again).
    package static func markDiagnosed(_ id: Int64, at now: Date, in db: Database) throws {
        try db.run("UPDATE incidents SET diagnosed_ms = ?2 WHERE id = ?1", [.integer(id), .integer(now.unixMilliseconds)])
    }
}
