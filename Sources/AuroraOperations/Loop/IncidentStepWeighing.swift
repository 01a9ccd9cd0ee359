import Foundation

extension HealingPass.IncidentStep {
    /// What the remediation was decided on when the fault's reality was weighed, for the loop's output:
    /// "fault real 69% (strongest anomaly) × cause 76% → 52%, approval", or "… → under 70% (no rule vouches
    /// for the fault), approval" where the ceiling held it. nil when it was not weighed (through a learned
    /// pattern, or with the cause not measured).
    package var weighing: String? {
        guard let reality = faultReality, let cause = confidence, let acting = actingConfidence else { return nil }
        return "fault \(reality.text) × cause \(String(format: "%.0f%%", cause * 100)) → \(reality.describe(acting: acting, cause: cause))"
            + (tier.map { ", \($0.rawValue)" } ?? "")
    }
}
