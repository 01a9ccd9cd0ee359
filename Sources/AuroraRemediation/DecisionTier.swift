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

/// Risk tier × diagnosis confidence → execution mode; the stricter of the two wins.
///
/// Risk alone (architecture "Remediation Types"): low → auto, medium → auto with monitoring,
/// high → approval, critical → escalate (always: critical actions are never executed).
/// Confidence alone (architecture "RCA Confidence Levels"): > 0.9 → auto, 0.7 … 0.9 → auto with
/// monitoring, 0.5 … < 0.7 → approval, < 0.5 (or NaN) → escalate. A request without a diagnosis
/// (an operator's `aurora remediate`) has no confidence and is decided by risk alone.
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

    /// The mode for a confidence alone (0 … 1).
    package static func mode(forConfidence confidence: Double) -> ExecutionMode {
        guard confidence.isFinite else { return .escalate }
        if confidence > 0.9 { return .auto }
        if confidence >= 0.7 { return .autoWithMonitoring }
        if confidence >= 0.5 { return .approval }
        return .escalate
    }

    /// The combined mode, and the rule that decided it (`tier.high`, `confidence.below-0.5`, …).
    package static func decide(tier: RiskTier, confidence: Double?) -> (mode: ExecutionMode, rule: String) {
        let byTier = mode(for: tier)
        if tier == .critical { return (.escalate, "tier.critical") }
        guard let confidence else { return (byTier, "tier.\(tier.rawValue)") }
        let byConfidence = mode(forConfidence: confidence)
        if byConfidence > byTier {
            let band: String
            switch byConfidence {
            case .autoWithMonitoring: band = "0.7-0.9"
            case .approval: band = "0.5-0.7"
            default: band = "below-0.5"
            }
            return (byConfidence, "confidence.\(band)")
        }
        return (byTier, "tier.\(tier.rawValue)")
    }
}
