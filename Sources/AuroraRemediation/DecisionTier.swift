import AuroraCore
/// How much human involvement a remediation needs.
package enum ExecutionMode: String, Sendable, CaseIterable, Comparable, Codable {
    /// Runs without a human.
    case auto
    /// Runs without a human; its health is watched more closely and reported.
    case autoWithMonitoring = "auto-with-monitoring"
    /// Waits in the queue for an approval.
    case approval
    /// A human must act; aurora never executes it.
    case escalate

    private var rank: Int {
        switch self {
        case .auto: 0
        case .autoWithMonitoring: 1
        case .approval: 2
        case .escalate: 3
        }
    }

    /// Orders from least to most human involvement.
    package static func < (lhs: ExecutionMode, rhs: ExecutionMode) -> Bool { lhs.rank < rhs.rank }
}

extension ExecutionMode {
    /// The mode a confidence tier allows on its own.
    package init(_ tier: ConfidenceTier) {
        switch tier {
        case .autoExecute: self = .auto
        case .autoWithMonitoring: self = .autoWithMonitoring
        case .approval: self = .approval
        case .escalate: self = .escalate
        }
    }
}

/// Risk tier × diagnosis confidence → execution mode; the stricter of the two wins.
///
/// Risk alone (architecture "Remediation Types"): low → auto, medium → auto with monitoring,
/// high → approval, critical → escalate (always: critical actions are never executed).
/// Confidence alone: the configured tiers (`diagnosis.confidence-tiers`, the same value that labels the
/// diagnosis); by default > 0.9 → auto, 0.7 … 0.9 → auto with monitoring, 0.5 … < 0.7 → approval,
/// < 0.5 (or NaN) → escalate. A request without a diagnosis (an operator's `aurora remediate`) has no
/// confidence and is decided by risk alone.
package enum TierMatrix {
    /// The mode for a risk tier alone.
    package static func mode(for tier: RiskTier) -> ExecutionMode {
        switch tier {
        case .low: .auto
        case .medium: .autoWithMonitoring
        case .high: .approval
        case .critical: .escalate
        }
    }

    /// The mode for a confidence alone (0 … 1) under `tiers`.
    package static func mode(forConfidence confidence: Double, tiers: ConfidenceTiers) -> ExecutionMode {
        guard confidence.isFinite else { return .escalate }
        return ExecutionMode(tiers.tier(for: confidence))
    }

    /// The combined mode, and the rule that decided it (`tier.high`, `confidence.below-0.5`, … with the
    /// configured lines in the name).
    package static func decide(tier: RiskTier, confidence: Double?, tiers: ConfidenceTiers) -> (mode: ExecutionMode, rule: String) {
        let byTier = mode(for: tier)
        if tier == .critical { return (.escalate, "tier.critical") }
        guard let confidence else { return (byTier, "tier.\(tier.rawValue)") }
        let byConfidence = mode(forConfidence: confidence, tiers: tiers)
        if byConfidence > byTier {
            let band = confidence.isFinite ? tiers.tier(for: confidence) : .escalate
            return (byConfidence, "confidence.\(tiers.band(band))")
        }
        return (byTier, "tier.\(tier.rawValue)")
    }
}
