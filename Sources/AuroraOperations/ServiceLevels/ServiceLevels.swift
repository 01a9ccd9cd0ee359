import AuroraConfig
import AuroraCore
import AuroraLearning
import AuroraStore
import Foundation

/// The self-healing loop's service-level objectives, measured from the database against the `slo:` targets.
package enum ServiceLevels {
    /// The `slo:` targets.
    package static func targets(_ configuration: Configuration) -> ServiceLevelTargets {
        var targets = ServiceLevelTargets()
        if let value = configuration.value("slo.mttr")?.seconds { targets.mttrSeconds = value }
        if let value = configuration.value("slo.detection-latency")?.seconds { targets.detectionLatencySeconds = value }
        if let value = configuration.value("slo.precision")?.double { targets.precision = value }
        if let value = configuration.value("slo.auto-resolution")?.double { targets.autoResolution = value }
        if let value = configuration.value("slo.rollback-rate")?.double { targets.rollbackRate = value }
        return targets
    }

    /// The objectives over incidents that started at or after `since` (Unix ms) and, when `service` is
    /// given, involve it; and MTTR apart for known-pattern and new-pattern incidents.
    package static func measure(since: Int64, service: String?, context: OperationsContext) throws
        -> (objectives: [ServiceLevel], recovery: (known: Double?, new: Double?))
    {
        let facts = try context.store.database.read { db in try ServiceLevelFacts.gather(since: since, service: service, in: db) }
        let report = ServiceLevelReport.compute(incidents: facts.incidents, detectionLatencies: facts.detectionLatencies,
                                                executedRemediations: facts.executedRemediations, rolledBack: facts.rolledBack,
                                                targets: targets(context.configuration))
        return (report, ServiceLevelReport.recoveryByKind(facts.incidents))
    }
}

/// What the SLO report reads from the database.
package struct ServiceLevelFacts {
    package var incidents: [IncidentFacts] = []
    package var detectionLatencies: [Double] = []
    package var executedRemediations = 0
    package var rolledBack = 0

    package static func gather(since: Int64, service: String?, in db: Database) throws -> ServiceLevelFacts {
        var facts = ServiceLevelFacts()
        let rows = try db.query("""
            SELECT id, services, start_ms, detected_ms, resolved_ms, auto_resolved, false_positive, learned_pattern_id, end_ms
            FROM incidents WHERE start_ms >= ? ORDER BY id
            """, [.integer(since)])
        var kept: [Int64] = []
        let dataEnd = try SeriesStore.newestPoint(in: db)
        for row in rows {
            let services = (row[1].string ?? "").split(separator: ",").map(String.init)
            if let service, !services.contains(service) { continue }
            kept.append(row[0].int64 ?? 0)
            // The data's own clock: over a dump, a resolved incident's recovery is evidenced by its last
            // anomalous point, not by when someone ran `aurora heal` (which could be months later).
            let start = row[2].int64 ?? 0
            let resolved = row[4].int64.map {
                DataClock.resolution(start: start, anomalyEnd: row[8].int64 ?? start, resolved: $0, dataEnd: dataEnd)
            }
            facts.incidents.append(IncidentFacts(
                start: Double(start) / 1000, detected: Double(row[3].int64 ?? 0) / 1000,
                resolved: resolved.map { Double($0) / 1000 }, resolvedAutomatically: (row[5].int64 ?? 0) != 0,
                falsePositive: (row[6].int64 ?? 0) != 0, knownPattern: row[7].int64 != nil))
        }
        for row in try db.query("SELECT start_ms, recorded_ms, service FROM anomaly_events WHERE start_ms >= ?", [.integer(since)]) {
            if let service, row[2].string != service { continue }
            facts.detectionLatencies.append(max(0, Double((row[1].int64 ?? 0) - (row[0].int64 ?? 0)) / 1000))
        }
        let (executed, rolledBack) = try RemediationFacts.counts(since: since, service: service, in: db)
        facts.executedRemediations = executed
        facts.rolledBack = rolledBack
        return facts
    }
}

/// Executed and rolled-back remediations: every remediation that started running and finished.
enum RemediationFacts {
    static func counts(since: Int64, service: String?, in db: Database) throws -> (executed: Int, rolledBack: Int) {
        var sql = """
            SELECT count(*), coalesce(sum(state = 'rolled_back'), 0) FROM remediations
            WHERE started_ms IS NOT NULL AND started_ms >= ? AND state IN ('succeeded', 'failed', 'rolled_back')
            """
        var values: [SQLValue] = [.integer(since)]
        if let service {
            sql += " AND service = ?"
            values.append(.text(service))
        }
        guard let row = try db.query(sql, values).first else { return (0, 0) }
        return (Int(row[0].int64 ?? 0), Int(row[1].int64 ?? 0))
    }
}
