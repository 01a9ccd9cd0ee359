import Foundation

/// One SLO: its target, the measured value, the sample size, and whether it passes.
package struct ServiceLevel: Sendable, Equatable {
    package enum Comparison: String, Sendable { case below, above }

    package var name: String
    package var unit: String
    package var target: Double
    package var comparison: Comparison
    /// Nil when there is no sample.
    package var value: Double?
    package var samples: Int

    /// Passes when the value meets the target; with no sample nothing failed, so it passes.
    package var passes: Bool {
        guard let value else { return true }
        switch comparison {
        case .below: return value < target
        case .above: return value > target
        }
    }
}

/// An incident as the SLO report counts it.
package struct IncidentFacts: Sendable, Equatable {
    /// Timestamp of the first anomalous point (the start of the failure), seconds.
    package var start: Double
    /// When aurora recorded the first anomaly, seconds.
    package var detected: Double
    /// When it was resolved, seconds, or nil while unresolved.
    package var resolved: Double?
    /// Resolved by a verified automatic remediation (no human action).
    package var resolvedAutomatically: Bool
    package var falsePositive: Bool
    /// Handled through a learned pattern (immunised) rather than a full analysis.
    package var knownPattern: Bool
    /// Resolved because its condition cleared and stayed clear, with nothing done (`diagnosis.recovered-after`).
    /// Counted in precision like any incident, but neither in MTTR nor in auto-resolution: nobody, aurora
    /// included, restored anything, and a transient's few minutes would pull the time to recover toward zero.
    package var recoveredWithoutAction: Bool

    package init(start: Double, detected: Double, resolved: Double?, resolvedAutomatically: Bool, falsePositive: Bool, knownPattern: Bool,
                 recoveredWithoutAction: Bool = false) {
        self.recoveredWithoutAction = recoveredWithoutAction
        self.start = start
        self.detected = detected
        self.resolved = resolved
        self.resolvedAutomatically = resolvedAutomatically
        self.falsePositive = falsePositive
        self.knownPattern = knownPattern
    }
}

/// Targets, from the architecture's table unless configured.
package struct ServiceLevelTargets: Sendable, Equatable {
    package var mttrSeconds: Double = 300
    package var detectionLatencySeconds: Double = 30
    package var precision: Double = 0.95
    package var autoResolution: Double = 0.8
    package var rollbackRate: Double = 0.05

    package init() {}
}

/// Computes the SLO figures from incidents and remediation outcomes.
package enum ServiceLevelReport {
    /// - Parameters:
    ///   - detectionLatencies: seconds from an anomaly's first point to its being recorded.
    ///   - remediations: finished remediations, true when rolled back (or failed and rolled back).
    package static func compute(incidents: [IncidentFacts], detectionLatencies: [Double], executedRemediations: Int,
                               rolledBack: Int, targets: ServiceLevelTargets) -> [ServiceLevel] {
        let resolved = incidents.filter { $0.resolved != nil && !$0.falsePositive && !$0.recoveredWithoutAction }
        let recoveries = resolved.map { max(0, ($0.resolved ?? $0.start) - $0.start) }
        let mttr = recoveries.isEmpty ? nil : recoveries.reduce(0, +) / Double(recoveries.count)
        let latency = detectionLatencies.isEmpty ? nil : detectionLatencies.reduce(0, +) / Double(detectionLatencies.count)
        let precision = incidents.isEmpty ? nil : Double(incidents.filter { !$0.falsePositive }.count) / Double(incidents.count)
        let automatic = resolved.isEmpty ? nil : Double(resolved.filter(\.resolvedAutomatically).count) / Double(resolved.count)
        let rollback = executedRemediations == 0 ? nil : Double(rolledBack) / Double(executedRemediations)
        return [
            ServiceLevel(name: "MTTR", unit: "s", target: targets.mttrSeconds, comparison: .below, value: mttr, samples: recoveries.count),
            ServiceLevel(name: "detection latency", unit: "s", target: targets.detectionLatencySeconds, comparison: .below,
                         value: latency, samples: detectionLatencies.count),
            ServiceLevel(name: "precision", unit: "ratio", target: targets.precision, comparison: .above, value: precision,
                         samples: incidents.count),
            ServiceLevel(name: "auto-resolution", unit: "ratio", target: targets.autoResolution, comparison: .above,
                         value: automatic, samples: resolved.count),
            ServiceLevel(name: "rollback rate", unit: "ratio", target: targets.rollbackRate, comparison: .below, value: rollback,
                         samples: executedRemediations),
        ]
    }

    /// Mean time to recover of known-pattern and new-pattern incidents, apart.
    package static func recoveryByKind(_ incidents: [IncidentFacts]) -> (known: Double?, new: Double?) {
        func mean(_ list: [IncidentFacts]) -> Double? {
            let values = list.compactMap { incident in incident.resolved.map { max(0, $0 - incident.start) } }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        let real = incidents.filter { !$0.falsePositive && !$0.recoveredWithoutAction }
        return (mean(real.filter(\.knownPattern)), mean(real.filter { !$0.knownPattern }))
    }
}
