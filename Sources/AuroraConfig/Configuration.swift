import AuroraCore

/// The effective configuration: the file's values with every default filled in.
package struct Configuration: Sendable {
    /// The tree under `aurora:`.
    package let root: ConfigValue
    /// The file it came from, or nil for built-in defaults.
    package let source: String?

    package init(root: ConfigValue, source: String?) {
        self.root = root
        self.source = source
    }

    /// The value at a dotted path below `aurora:`.
    package func value(_ path: String) -> ConfigValue? { root.value(at: path) }

    /// The database path, when the file sets one.
    package var databasePath: String? { value("database")?.string }

    /// The setting at a dotted path: the file's value or, when it gives none, the schema's default.
    /// Defaults are written once, in the schema (validation fills them into a loaded configuration;
    /// this also covers one built by hand).
    package func setting(_ path: String) -> ConfigValue? {
        value(path) ?? ConfigSchema.defaultValue(at: path)
    }

    /// A duration setting in seconds. These typed readers are for keys the schema gives a default: a
    /// path without one is a programming error, reported as an internal failure (exit 70).
    package func seconds(_ path: String) throws -> Double { try required(path, \.seconds) }

    /// A number setting (integers read as numbers too).
    package func number(_ path: String) throws -> Double { try required(path, \.double) }

    /// An integer setting.
    package func integer(_ path: String) throws -> Int { try required(path, \.int) }

    /// A boolean setting.
    package func flag(_ path: String) throws -> Bool { try required(path, \.bool) }

    /// A string setting.
    package func text(_ path: String) throws -> String { try required(path, \.string) }

    private func required<Value>(_ path: String, _ read: (ConfigValue) -> Value?) throws -> Value {
        guard let value = setting(path).flatMap(read) else {
            throw SimpleFailure(.software, "internal error: aurora.\(path) has no value and no default in the configuration schema")
        }
        return value
    }

    /// `diagnosis.confidence-tiers`: read here once, for the diagnosis (which labels candidates with it)
    /// and the remediation policy (which decides with it) alike.
    package var confidenceTiers: ConfidenceTiers {
        let defaults = ConfidenceTiers()
        return ConfidenceTiers(
            autoExecute: value("diagnosis.confidence-tiers.auto-execute")?.double ?? defaults.autoExecute,
            autoWithMonitoring: value("diagnosis.confidence-tiers.auto-with-monitoring")?.double ?? defaults.autoWithMonitoring,
            approval: value("diagnosis.confidence-tiers.approval")?.double ?? defaults.approval)
    }
}

/// Rate limits from `aurora.safety`.
package struct SafetySettings: Sendable, Equatable {
    package var maxConcurrentRemediations: Int
    package var maxRemediationsPerHour: Int
    /// Seconds.
    package var cooldownBetweenSameService: Double
    package var maxConsecutiveFailures: Int

    package init(maxConcurrentRemediations: Int, maxRemediationsPerHour: Int, cooldownBetweenSameService: Double,
                maxConsecutiveFailures: Int) {
        self.maxConcurrentRemediations = maxConcurrentRemediations
        self.maxRemediationsPerHour = maxRemediationsPerHour
        self.cooldownBetweenSameService = cooldownBetweenSameService
        self.maxConsecutiveFailures = maxConsecutiveFailures
    }

    /// The `safety:` section (defaults from the schema).
    package init(configuration: Configuration) throws {
        self.init(maxConcurrentRemediations: try configuration.integer("safety.max-concurrent-remediations"),
                  maxRemediationsPerHour: try configuration.integer("safety.max-remediations-per-hour"),
                  cooldownBetweenSameService: try configuration.seconds("safety.cooldown-between-same-service"),
                  maxConsecutiveFailures: try configuration.integer("safety.max-consecutive-failures"))
    }
}
