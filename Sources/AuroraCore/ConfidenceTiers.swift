import Foundation

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

/// Confidence thresholds of the tiers (`diagnosis.confidence-tiers`).
///
/// One value serves both ends: the diagnosis labels its candidates with it, and the remediation policy
/// decides with it, so an operator who moves a line moves it everywhere. It lives in the core because
/// both engines need it and neither depends on the other.
package struct ConfidenceTiers: Sendable, Equatable {
    /// Above this: auto-execute.
    package var autoExecute: Double
    /// Above this (up to `autoExecute`): auto-execute with monitoring.
    package var autoWithMonitoring: Double
    /// At or above this (up to `autoWithMonitoring`): approval; below: escalate.
    package var approval: Double

    /// Defaults from the architecture: > 0.9 auto, 0.7–0.9 with monitoring, 0.5–0.7 approval, < 0.5 escalate.
    /// Lines given out of order are lowered so that they stay ordered (a lower tier never starts above a higher one).
    package init(autoExecute: Double = 0.9, autoWithMonitoring: Double = 0.7, approval: Double = 0.5) {
        self.autoExecute = autoExecute
        self.autoWithMonitoring = min(autoWithMonitoring, autoExecute)
        self.approval = min(approval, self.autoWithMonitoring)
    }

    /// The tier of a confidence in [0, 1]; one that is not a number is escalated.
    package func tier(for confidence: Double) -> ConfidenceTier {
        guard !confidence.isNaN else { return .escalate }
        if confidence > autoExecute { return .autoExecute }
        if confidence >= autoWithMonitoring { return .autoWithMonitoring }
        if confidence >= approval { return .approval }
        return .escalate
    }

    /// The band of `tier` as a rule name reads it: `0.7-0.9`, `0.5-0.7`, `below-0.5`, `above-0.9`.
    package func band(_ tier: ConfidenceTier) -> String {
        switch tier {
        case .autoExecute: "above-\(Self.text(autoExecute))"
        case .autoWithMonitoring: "\(Self.text(autoWithMonitoring))-\(Self.text(autoExecute))"
        case .approval: "\(Self.text(approval))-\(Self.text(autoWithMonitoring))"
        case .escalate: "below-\(Self.text(approval))"
        }
    }

    /// A threshold in the shortest form that reads back the same (0.7, 0.65).
    static func text(_ value: Double) -> String {
        String(format: "%g", value)
    }
}
