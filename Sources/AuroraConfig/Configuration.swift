import AuroraCore

/// The effective configuration: the file's values with every default filled in.
public struct Configuration: Sendable {
    /// The tree under `aurora:`.
    public let root: ConfigValue
    /// The file it came from, or nil for built-in defaults.
    public let source: String?

    public init(root: ConfigValue, source: String?) {
        self.root = root
        self.source = source
    }

    /// The value at a dotted path below `aurora:`.
    public func value(_ path: String) -> ConfigValue? { root.value(at: path) }

    /// The database path, when the file sets one.
    public var databasePath: String? { value("database")?.string }

    /// The `safety:` rate limits.
    public var safety: SafetySettings {
        SafetySettings(
            maxConcurrentRemediations: value("safety.max-concurrent-remediations")?.int ?? 5,
            maxRemediationsPerHour: value("safety.max-remediations-per-hour")?.int ?? 20,
            cooldownBetweenSameService: value("safety.cooldown-between-same-service")?.seconds ?? 300,
            maxConsecutiveFailures: value("safety.max-consecutive-failures")?.int ?? 3)
    }

    /// `diagnosis.confidence-tiers`: read here once, for the diagnosis (which labels candidates with it)
    /// and the remediation policy (which decides with it) alike.
    public var confidenceTiers: ConfidenceTiers {
        let defaults = ConfidenceTiers()
        return ConfidenceTiers(
            autoExecute: value("diagnosis.confidence-tiers.auto-execute")?.double ?? defaults.autoExecute,
            autoWithMonitoring: value("diagnosis.confidence-tiers.auto-with-monitoring")?.double ?? defaults.autoWithMonitoring,
            approval: value("diagnosis.confidence-tiers.approval")?.double ?? defaults.approval)
    }
}

/// Rate limits from `aurora.safety`.
public struct SafetySettings: Sendable, Equatable {
    public var maxConcurrentRemediations: Int
    public var maxRemediationsPerHour: Int
    /// Seconds.
    public var cooldownBetweenSameService: Double
    public var maxConsecutiveFailures: Int

    public init(maxConcurrentRemediations: Int, maxRemediationsPerHour: Int, cooldownBetweenSameService: Double,
                maxConsecutiveFailures: Int) {
        self.maxConcurrentRemediations = maxConcurrentRemediations
        self.maxRemediationsPerHour = maxRemediationsPerHour
        self.cooldownBetweenSameService = cooldownBetweenSameService
        self.maxConsecutiveFailures = maxConsecutiveFailures
    }
}
