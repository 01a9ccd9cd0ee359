import AuroraCore
/// Allow/deny rules from the configuration, a cap on services per incident, and dry-run mode.
///
/// Evaluation: the first matching **deny** rule refuses; otherwise, when any **allow** rule exists,
/// one must match (else `governance.default-deny`); with no allow rules everything not denied is
/// allowed (`governance.default-allow`). Then the per-incident service cap applies.
package struct GovernancePolicy: Sendable, Equatable {
    /// One rule. An empty set matches anything in that dimension.
    package struct Rule: Sendable, Equatable {
        /// Allow or deny.
        package enum Effect: String, Sendable, Equatable { case allow, deny }
        /// The rule's name, reported in decisions (`deny-db-in-business-hours`).
        package var name: String
        /// Allow or deny.
        package var effect: Effect
        /// Action types it matches (empty: all).
        package var types: Set<ActionType>
        /// Services it matches (empty: all).
        package var services: Set<String>
        /// Tiers it matches (empty: all).
        package var tiers: Set<RiskTier>

        /// Creates a rule.
        package init(name: String, effect: Effect, types: Set<ActionType> = [], services: Set<String> = [], tiers: Set<RiskTier> = []) {
            self.name = name
            self.effect = effect
            self.types = types
            self.services = services
            self.tiers = tiers
        }

        /// Whether it matches a remediation.
        package func matches(type: ActionType, service: String, tier: RiskTier) -> Bool {
            (types.isEmpty || types.contains(type)) && (services.isEmpty || services.contains(service)) && (tiers.isEmpty || tiers.contains(tier))
        }
    }

    /// The rules, in configuration order.
    package var rules: [Rule]
    /// At most this many distinct services remediated for one incident (nil: no cap).
    package var maxServicesPerIncident: Int?
    /// When true nothing executes: every decision that would execute becomes a dry run.
    package var dryRun: Bool

    /// Creates a policy (default: no rules, no cap, not dry-run).
    package init(rules: [Rule] = [], maxServicesPerIncident: Int? = nil, dryRun: Bool = false) {
        self.rules = rules
        self.maxServicesPerIncident = maxServicesPerIncident
        self.dryRun = dryRun
    }
}
