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

    /// The setting at a dotted path: the file's value or, when it gives none, the schema's default.
    /// Defaults are written once, in the schema (validation fills them into a loaded configuration;
    /// this also covers one built by hand).
    public func setting(_ path: String) -> ConfigValue? {
        value(path) ?? ConfigSchema.defaultValue(at: path)
    }

    /// A duration setting in seconds. These typed readers are for keys the schema gives a default: a
    /// path without one is a programming error, reported as an internal failure (exit 70).
    public func seconds(_ path: String) throws -> Double { try required(path, \.seconds) }

    /// A number setting (integers read as numbers too).
    public func number(_ path: String) throws -> Double { try required(path, \.double) }

    /// An integer setting.
    public func integer(_ path: String) throws -> Int { try required(path, \.int) }

    /// A boolean setting.
    public func flag(_ path: String) throws -> Bool { try required(path, \.bool) }

    /// A string setting.
    public func text(_ path: String) throws -> String { try required(path, \.string) }

    private func required<Value>(_ path: String, _ read: (ConfigValue) -> Value?) throws -> Value {
        guard let value = setting(path).flatMap(read) else {
            throw SimpleFailure(.software, "internal error: aurora.\(path) has no value and no default in the configuration schema")
        }
        return value
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

    /// The `safety:` section (defaults from the schema).
    public init(configuration: Configuration) throws {
        self.init(maxConcurrentRemediations: try configuration.integer("safety.max-concurrent-remediations"),
                  maxRemediationsPerHour: try configuration.integer("safety.max-remediations-per-hour"),
                  cooldownBetweenSameService: try configuration.seconds("safety.cooldown-between-same-service"),
                  maxConsecutiveFailures: try configuration.integer("safety.max-consecutive-failures"))
    }
}
