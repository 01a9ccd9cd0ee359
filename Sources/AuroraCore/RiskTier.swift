/// How much damage an action can do when it goes wrong; decides how much human involvement it needs.
package enum RiskTier: String, Sendable, CaseIterable, Comparable, Codable {
    /// Reversible and local: scale up, clear a cache.
    case low
    /// Briefly disruptive: restart a service, reset a pool.
    case medium
    /// Disruptive or hard to reverse: fail over a database, redirect traffic.
    case high
    /// Irreversible or security-sensitive: never executed by aurora, only recorded and escalated.
    case critical

    private var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    /// Orders tiers from least to most dangerous.
    package static func < (lhs: RiskTier, rhs: RiskTier) -> Bool { lhs.rank < rhs.rank }
}
