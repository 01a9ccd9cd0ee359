import AuroraCore
import Foundation

/// What is being decided: one remediation of one action on one service.
public struct PolicyRequest: Sendable, Equatable {
    /// Where in the flow the decision is made.
    public enum Stage: String, Sendable, Equatable {
        /// A new request: the tier gate decides between executing, queueing and escalating.
        case request
        /// An approved item about to be claimed for execution: the approval satisfies the tier gate
        /// (critical still never runs); kill switches, freezes, rate limits and governance are checked again.
        case approvedExecution = "approved-execution"
    }

    /// The target service.
    public var service: String
    /// The action's type.
    public var type: ActionType
    /// The action's tier.
    public var tier: RiskTier
    /// The diagnosis confidence (0 … 1), nil for an operator's request without a diagnosis.
    public var confidence: Double?
    /// The incident, if any (for the per-incident service cap).
    public var incident: String?
    /// `--dry-run` on the request.
    public var dryRun: Bool
    /// Where in the flow.
    public var stage: Stage

    /// Creates a request.
    public init(service: String, type: ActionType, tier: RiskTier, confidence: Double? = nil, incident: String? = nil,
                dryRun: Bool = false, stage: Stage = .request) {
        self.service = service
        self.type = type
        self.tier = tier
        self.confidence = confidence
        self.incident = incident
        self.dryRun = dryRun
        self.stage = stage
    }
}

/// Everything the decision needs from the database, read in the transaction that will act on it.
public struct PolicySnapshot: Sendable, Equatable {
    /// Kill switches currently stored as on (expired ones are ignored here, so passing them is harmless).
    public var killSwitches: [KillSwitch]
    /// Freeze windows stored (global and per service).
    public var freezeWindows: [FreezeWindow]
    /// Counts and times for rate limits, for the request's service.
    public var rateLimits: RateLimitSnapshot
    /// Distinct services that already have a remediation (any state but rejected/refused/expired) for
    /// the request's incident; empty without an incident.
    public var servicesTouchedByIncident: Set<String>

    /// Creates a snapshot.
    public init(killSwitches: [KillSwitch] = [], freezeWindows: [FreezeWindow] = [], rateLimits: RateLimitSnapshot = RateLimitSnapshot(),
                servicesTouchedByIncident: Set<String> = []) {
        self.killSwitches = killSwitches
        self.freezeWindows = freezeWindows
        self.rateLimits = rateLimits
        self.servicesTouchedByIncident = servicesTouchedByIncident
    }
}

/// The configured policy: rate limits, governance and the confidence tiers.
public struct PolicyConfiguration: Sendable, Equatable {
    /// Rate limits.
    public var rateLimits: RateLimits
    /// Governance rules.
    public var governance: GovernancePolicy
    /// What a diagnosis' confidence allows (`diagnosis.confidence-tiers`).
    public var tiers: ConfidenceTiers

    /// Creates a configuration (defaults: the architecture's rate limits and tiers, no governance rules).
    public init(rateLimits: RateLimits = RateLimits(), governance: GovernancePolicy = GovernancePolicy(),
                tiers: ConfidenceTiers = ConfidenceTiers()) {
        self.rateLimits = rateLimits
        self.governance = governance
        self.tiers = tiers
    }
}
