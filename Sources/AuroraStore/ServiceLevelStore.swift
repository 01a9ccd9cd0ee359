import AuroraCore
import Foundation

/// What the service-level report reads: incident outcomes, detection latencies, executed and
/// rolled-back remediations, since a time and optionally for one service.
package struct ServiceLevelRows: Sendable {
    /// One incident's times (Unix ms) and how it ended.
    package struct Incident: Sendable {
        package var start: Int64
        package var detected: Int64
        package var resolved: Int64?
        /// The incident's last anomalous point.
        package var anomalyEnd: Int64
        package var resolvedAutomatically: Bool
        package var falsePositive: Bool
        /// Handled through a learned pattern (immunised).
        package var knownPattern: Bool
        /// Resolved because it recovered without action (`diagnosis.recovered-after`), as last resolved.
        package var recoveredWithoutAction = false
    }

    package var incidents: [Incident] = []
    /// The newest stored point (the data's own "now"), if any.
    package var dataEnd: Int64?
    /// Seconds from each anomaly's first point to aurora recording it.
    package var detectionLatencies: [Double] = []
    /// Remediations that started running and finished (succeeded, failed, rolled back).
    package var executedRemediations = 0
    package var rolledBack = 0
}

/// The SLO report's reads.
package enum ServiceLevelStore {
    /// Incidents that started at or after `since` (Unix ms) involving `service` (all when nil), their
    /// anomaly events' detection latencies, and the remediations started since then.
    package static func rows(since: Int64, service: String?, in db: Database) throws -> ServiceLevelRows {
        var facts = ServiceLevelRows()
        let rows = try db.query("""
            SELECT id, services, start_ms, detected_ms, resolved_ms, auto_resolved, false_positive, learned_pattern_id, end_ms,
                   (SELECT kind FROM incident_timeline t WHERE t.incident_id = incidents.id AND t.kind IN ('resolved', ?2)
                    ORDER BY t.id DESC LIMIT 1) = ?2
            FROM incidents WHERE start_ms >= ?1 ORDER BY id
            """, [.integer(since), .text(IncidentStore.recoveredKind)])
        facts.dataEnd = try SeriesStore.newestPoint(in: db)
        for row in rows {
            let services = ServiceListColumn.decode(row[1].string ?? "")
            if let service, !services.contains(service) { continue }
            facts.incidents.append(ServiceLevelRows.Incident(
                start: row[2].int64 ?? 0, detected: row[3].int64 ?? 0, resolved: row[4].int64, anomalyEnd: row[8].int64 ?? row[2].int64 ?? 0,
                resolvedAutomatically: (row[5].int64 ?? 0) != 0, falsePositive: (row[6].int64 ?? 0) != 0, knownPattern: row[7].int64 != nil,
                recoveredWithoutAction: row[4].int64 != nil && (row[9].int64 ?? 0) != 0))
        }
        for row in try db.query("SELECT start_ms, recorded_ms, service FROM anomaly_events WHERE start_ms >= ?", [.integer(since)]) {
            if let service, row[2].string != service { continue }
            facts.detectionLatencies.append(max(0, Double((row[1].int64 ?? 0) - (row[0].int64 ?? 0)) / 1000))
        }
        var sql = """
            SELECT count(*), coalesce(sum(state = 'rolled_back'), 0) FROM remediations
            WHERE started_ms IS NOT NULL AND started_ms >= ? AND state IN ('succeeded', 'failed', 'rolled_back')
            """
        var values: [SQLValue] = [.integer(since)]
        if let service {
            sql += " AND service = ?"
            values.append(.text(service))
        }
        if let row = try db.query(sql, values).first {
            facts.executedRemediations = Int(row[0].int64 ?? 0)
            facts.rolledBack = Int(row[1].int64 ?? 0)
        }
        return facts
    }
}
