import Foundation

/// One SLO: its target, the measured value, the sample size, and whether it passes.
public struct ServiceLevel: Sendable, Equatable {
    public enum Comparison: String, Sendable { case below, above }

    public var name: String
    public var unit: String
    public var target: Double
    public var comparison: Comparison
    /// Nil when there is no sample.
    public var value: Double?
    public var samples: Int

    /// Passes when the value meets the target; with no sample nothing failed, so it passes.
    public var passes: Bool {
        guard let value else { return true }
        switch comparison {
        case .below: return value < target
        case .above: return value > target
        }
    }
}

/// An incident as the SLO report counts it.
public struct IncidentFacts: Sendable, Equatable {
    /// Timestamp of the first anomalous point (the start of the failure), seconds.
    public var start: Double
    /// When aurora recorded the first anomaly, seconds.
    public var detected: Double
    /// When it was resolved, seconds, or nil while unresolved.
    public var resolved: Double?
    /// Resolved by a verified automatic remediation (no human action).
    public var resolvedAutomatically: Bool
    public var falsePositive: Bool
    /// Handled through a learned pattern (immunised) rather than a full analysis.
    public var knownPattern: Bool

    public init(start: Double, detected: Double, resolved: Double?, resolvedAutomatically: Bool, falsePositive: Bool, knownPattern: Bool) {
        self.start = start
        self.detected = detected
        self.resolved = resolved
        self.resolvedAutomatically = resolvedAutomatically
        self.falsePositive = falsePositive
        self.knownPattern = knownPattern
    }
}

/// Targets, from the architecture's table unless configured.
public struct ServiceLevelTargets: Sendable, Equatable {
    public var mttrSeconds: Double = 300
    public var detectionLatencySeconds: Double = 30
    public var precision: Double = 0.95
    public var autoResolution: Double = 0.8
    public var rollbackRate: Double = 0.05

    public init() {}
}

/// Computes the SLO figures from incidents and remediation outcomes.
public enum ServiceLevelReport {
    /// - Parameters:
    ///   - detectionLatencies: seconds from an anomaly's first point to its being recorded.
    ///   - remediations: finished remediations, true when rolled back (or failed and rolled back).
    public static func compute(incidents: [IncidentFacts], detectionLatencies: [Double], executedRemediations: Int,
                               rolledBack: Int, targets: ServiceLevelTargets) -> [ServiceLevel] {
        let resolved = incidents.filter { $0.resolved != nil && !$0.falsePositive }
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
    public static func recoveryByKind(_ incidents: [IncidentFacts]) -> (known: Double?, new: Double?) {
        func mean(_ list: [IncidentFacts]) -> Double? {
            let values = list.compactMap { incident in incident.resolved.map { max(0, $0 - incident.start) } }
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        let real = incidents.filter { !$0.falsePositive }
        return (mean(real.filter(\.knownPattern)), mean(real.filter { !$0.knownPattern }))
    }
}
