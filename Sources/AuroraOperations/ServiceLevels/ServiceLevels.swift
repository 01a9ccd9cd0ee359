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
        let rows = try context.store.database.read { db in try ServiceLevelStore.rows(since: since, service: service, in: db) }
        // The data's own clock: over a dump, a resolved incident's recovery is evidenced by its last
        // anomalous point, not by when someone ran `aurora heal` (which could be months later).
        let incidents = rows.incidents.map { row in
            let resolved = row.resolved.map { DataClock.resolution(start: row.start, anomalyEnd: row.anomalyEnd, resolved: $0, dataEnd: rows.dataEnd) }
            return IncidentFacts(start: Double(row.start) / 1000, detected: Double(row.detected) / 1000, resolved: resolved.map { Double($0) / 1000 },
                          resolvedAutomatically: row.resolvedAutomatically, falsePositive: row.falsePositive, knownPattern: row.knownPattern)
        }
        let report = ServiceLevelReport.compute(incidents: incidents, detectionLatencies: rows.detectionLatencies,
                                                executedRemediations: rows.executedRemediations, rolledBack: rows.rolledBack,
                                                targets: targets(context.configuration))
        return (report, ServiceLevelReport.recoveryByKind(incidents))
    }
}
