/// What a diagnosis may lead to, by confidence.
package enum ConfidenceTier: String, Sendable, Equatable, CaseIterable, Codable {
    /// Remediate without asking.
    case autoExecute = "auto"
    /// Remediate without asking, and watch the result closely.
    case autoWithMonitoring = "auto-with-monitoring"
    /// Ask a human first.
    case approval
    /// Hand the incident to a human.
    case escalate
}

/// Confidence thresholds of the tiers (the configuration may change them).
package struct ConfidenceTiers: Sendable, Equatable {
    /// Above this: auto-execute.
    package var autoExecute: Double
    /// Above this (up to `autoExecute`): auto-execute with monitoring.
    package var autoWithMonitoring: Double
    /// At or above this (up to `autoWithMonitoring`): approval; below: escalate.
    package var approval: Double

    /// Defaults from the architecture: > 0.9 auto, 0.7–0.9 with monitoring, 0.5–0.7 approval, < 0.5 escalate.
    package init(autoExecute: Double = 0.9, autoWithMonitoring: Double = 0.7, approval: Double = 0.5) {
        self.autoExecute = autoExecute
        self.autoWithMonitoring = min(autoWithMonitoring, autoExecute)
        self.approval = min(approval, self.autoWithMonitoring)
    }

    /// The tier of a confidence in [0, 1].
    package func tier(for confidence: Double) -> ConfidenceTier {
        if confidence > autoExecute { return .autoExecute }
        if confidence >= autoWithMonitoring { return .autoWithMonitoring }
        if confidence >= approval { return .approval }
        return .escalate
    }
}
