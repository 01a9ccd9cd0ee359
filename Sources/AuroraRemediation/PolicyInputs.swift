import AuroraCore
import Foundation

/// What is being decided: one remediation of one action on one service.
package struct PolicyRequest: Sendable, Equatable {
    /// Where in the flow the decision is made.
    package enum Stage: String, Sendable, Equatable {
        /// A new request: the tier gate decides between executing, queueing and escalating.
        case request
        /// An approved item about to be claimed for execution: the approval satisfies the tier gate
        /// (critical still never runs); kill switches, freezes, rate limits and governance are checked again.
        case approvedExecution = "approved-execution"
    }

    /// The target service.
    package var service: String
    /// The action's type.
    package var type: ActionType
    /// The action's tier.
    package var tier: RiskTier
    /// The diagnosis confidence (0 … 1), nil for an operator's request without a diagnosis.
    package var confidence: Double?
    /// The incident, if any (for the per-incident service cap).
    package var incident: String?
    /// `--dry-run` on the request.
    package var dryRun: Bool
    /// Where in the flow.
    package var stage: Stage
    /// For the loop's own requests (`aurora heal`, `aurora watch`): the time of the incident's last anomalous
    /// point. A fault that was last seen longer than `PolicyConfiguration.staleAfter` ago is not remediated
    /// automatically. nil for an operator's request (`aurora remediate`): a person chose to act.
    package var evidenceEnd: Date?

    /// Creates a request.
    package init(service: String, type: ActionType, tier: RiskTier, confidence: Double? = nil, incident: String? = nil,
                dryRun: Bool = false, stage: Stage = .request, evidenceEnd: Date? = nil) {
        self.service = service
        self.type = type
        self.tier = tier
        self.confidence = confidence
        self.incident = incident
        self.dryRun = dryRun
        self.stage = stage
        self.evidenceEnd = evidenceEnd
    }
}

/// Everything the decision needs from the database, read in the transaction that will act on it.
package struct PolicySnapshot: Sendable, Equatable {
    /// Kill switches currently stored as on (expired ones are ignored here, so passing them is harmless).
    package var killSwitches: [KillSwitch]
    /// Freeze windows stored (global and per service).
    package var freezeWindows: [FreezeWindow]
    /// Counts and times for rate limits, for the request's service.
    package var rateLimits: RateLimitSnapshot
    /// Distinct services that already have a remediation (any state but rejected/refused/expired) for
    /// the request's incident; empty without an incident.
    package var servicesTouchedByIncident: Set<String>

    /// Creates a snapshot.
    package init(killSwitches: [KillSwitch] = [], freezeWindows: [FreezeWindow] = [], rateLimits: RateLimitSnapshot = RateLimitSnapshot(),
                servicesTouchedByIncident: Set<String> = []) {
        self.killSwitches = killSwitches
        self.freezeWindows = freezeWindows
        self.rateLimits = rateLimits
        self.servicesTouchedByIncident = servicesTouchedByIncident
    }
}

/// The configured policy: rate limits, governance and the confidence tiers.
package struct PolicyConfiguration: Sendable, Equatable {
    /// Rate limits.
    package var rateLimits: RateLimits
    /// Governance rules.
    package var governance: GovernancePolicy
    /// What a diagnosis' confidence allows (`diagnosis.confidence-tiers`).
    package var tiers: ConfidenceTiers
    /// Seconds after an incident's last anomalous point from which the loop no longer remediates it by
    /// itself (`remediation.stale-after`); nil: no limit.
    package var staleAfter: Double?

    /// Creates a configuration (defaults: the architecture's rate limits and tiers, no governance rules, no
    /// staleness limit).
    package init(rateLimits: RateLimits = RateLimits(), governance: GovernancePolicy = GovernancePolicy(),
                tiers: ConfidenceTiers = ConfidenceTiers(), staleAfter: Double? = nil) {
        self.rateLimits = rateLimits
        self.governance = governance
        self.tiers = tiers
        self.staleAfter = staleAfter
    }
}
