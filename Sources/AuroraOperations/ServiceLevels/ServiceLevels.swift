import AuroraConfig
import AuroraCore
import AuroraLearning
import AuroraStore
import Foundation

/// The self-healing loop's service-level objectives, measured from the database against the `slo:` targets.
package enum ServiceLevels {
    /// The `slo:` targets.
    package static func targets(_ configuration: Configuration) throws -> ServiceLevelTargets {
        var targets = ServiceLevelTargets()
        targets.mttrSeconds = try configuration.seconds("slo.mttr")
        targets.detectionLatencySeconds = try configuration.seconds("slo.detection-latency")
        targets.precision = try configuration.number("slo.precision")
        targets.autoResolution = try configuration.number("slo.auto-resolution")
        targets.rollbackRate = try configuration.number("slo.rollback-rate")
        return targets
    }

    /// The objectives over incidents that started at or after `since` (Unix ms) and, when `service` is
    /// given, involve it; MTTR apart for known-pattern and new-pattern incidents; and how many of them
    /// recovered without action (left out of MTTR and auto-resolution).
    package static func measure(since: Int64, service: String?, context: OperationsContext) throws
        -> (objectives: [ServiceLevel], recovery: (known: Double?, new: Double?), recoveredWithoutAction: Int)
    {
        let rows = try context.store.database.read { db in try ServiceLevelStore.rows(since: since, service: service, in: db) }
        // The data's own clock: over a dump, a resolved incident's recovery is evidenced by its last
        // anomalous point, not by when someone ran `aurora heal` (which could be months later).
        let incidents = rows.incidents.map { row in
            let resolved = row.resolved.map { DataClock.resolution(start: row.start, anomalyEnd: row.anomalyEnd, resolved: $0, dataEnd: rows.dataEnd) }
            return IncidentFacts(start: Double(row.start) / 1000, detected: Double(row.detected) / 1000, resolved: resolved.map { Double($0) / 1000 },
                          resolvedAutomatically: row.resolvedAutomatically, falsePositive: row.falsePositive, knownPattern: row.knownPattern,
                                 recoveredWithoutAction: row.recoveredWithoutAction)
        }
        let report = ServiceLevelReport.compute(incidents: incidents, detectionLatencies: rows.detectionLatencies,
                                                executedRemediations: rows.executedRemediations, rolledBack: rows.rolledBack,
                                                targets: try targets(context.configuration))
        return (report, ServiceLevelReport.recoveryByKind(incidents), incidents.filter(\.recoveredWithoutAction).count)
    }
}
