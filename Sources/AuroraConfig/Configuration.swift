import AuroraCore

/// The effective configuration: the file's values with every default filled in.
package struct Configuration: Sendable {
    /// The tree under `aurora:`.
    package let root: ConfigValue
    /// The file it came from, or nil for built-in defaults.
    package let source: String?
    /// Keys the file gives where they do nothing (a health check's `http.retries`): accepted, so that
    /// such files keep loading, and told to the operator on stderr by whoever loads the file.
    package let warnings: [ConfigIssue]

    package init(root: ConfigValue, source: String?, warnings: [ConfigIssue] = []) {
        self.root = root
        self.source = source
        self.warnings = warnings
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

    /// A duration setting in seconds. These typed readers are the one way to read a setting the schema
    /// gives a default: the file's value, else the schema's default (never a fallback written at the call
    /// site). A value of the wrong type (a configuration built by hand, or a key read as the wrong type) is
    /// a configuration error naming the key; a path with no value and no default is a programming error,
    /// reported as an internal failure (exit 70).
    package func seconds(_ path: String) throws -> Double { try required(path, \.seconds) }

    /// A number setting (integers read as numbers too).
    package func number(_ path: String) throws -> Double { try required(path, \.double) }

    /// An integer setting.
    package func integer(_ path: String) throws -> Int { try required(path, \.int) }

    /// A boolean setting.
    package func flag(_ path: String) throws -> Bool { try required(path, \.bool) }

    /// A string setting.
    package func text(_ path: String) throws -> String { try required(path, \.string) }

    /// An optional string setting (a key the schema gives no default): nil when absent, an error naming
    /// the key when it is not a string.
    package func optionalText(_ path: String) throws -> String? {
        guard let given = value(path) else { return nil }
        return try Self.typed(given, at: path, schemaPath: path, source: source, \.string)
    }

    /// A duration setting of one entry of a map or list section (an action under `remediation.actions`):
    /// the entry's value, else the default the schema gives `pattern` (`remediation.actions.*.timeout`,
    /// `*` standing for any entry); `entryPath` names the entry in messages.
    package static func seconds(_ key: String, of entry: ConfigValue, at entryPath: String, pattern: String) throws -> Double {
        try setting(key, of: entry, at: entryPath, pattern: pattern, \.seconds)
    }

    /// A string setting of one entry of a map or list section (see `seconds(_:of:at:pattern:)`).
    package static func text(_ key: String, of entry: ConfigValue, at entryPath: String, pattern: String) throws -> String {
        try setting(key, of: entry, at: entryPath, pattern: pattern, \.string)
    }

    /// An integer setting of one entry of a map or list section (see `seconds(_:of:at:pattern:)`).
    package static func integer(_ key: String, of entry: ConfigValue, at entryPath: String, pattern: String) throws -> Int {
        try setting(key, of: entry, at: entryPath, pattern: pattern, \.int)
    }

    /// A list setting of one entry of a map or list section (see `seconds(_:of:at:pattern:)`).
    package static func list(_ key: String, of entry: ConfigValue, at entryPath: String, pattern: String) throws -> [ConfigValue] {
        try setting(key, of: entry, at: entryPath, pattern: pattern, \.list)
    }

    private static func setting<Value>(_ key: String, of entry: ConfigValue, at entryPath: String, pattern: String,
                                       _ read: (ConfigValue) -> Value?) throws -> Value {
        if let given = entry[key] { return try typed(given, at: "\(entryPath).\(key)", schemaPath: pattern, source: nil, read) }
        guard let fallback = ConfigSchema.defaultValue(at: pattern).flatMap(read) else {
            throw SimpleFailure(.software, "internal error: aurora.\(pattern) has no default in the configuration schema")
        }
        return fallback
    }

    private func required<Value>(_ path: String, _ read: (ConfigValue) -> Value?) throws -> Value {
        if let given = value(path) { return try Self.typed(given, at: path, schemaPath: path, source: source, read) }
        guard let fallback = ConfigSchema.defaultValue(at: path).flatMap(read) else {
            throw SimpleFailure(.software, "internal error: aurora.\(path) has no value and no default in the configuration schema")
        }
        return fallback
    }

    private static func typed<Value>(_ given: ConfigValue, at path: String, schemaPath: String, source: String?,
                                     _ read: (ConfigValue) -> Value?) throws -> Value {
        guard let value = read(given) else {
            let expected = ConfigSchema.key(at: schemaPath)?.type.name ?? "another type"
            throw SimpleFailure(.configuration, "\(source.map { "\($0): " } ?? "")aurora.\(path): expected \(expected)")
        }
        return value
    }

    /// `diagnosis.confidence-tiers`: read here once, for the diagnosis (which labels candidates with it)
    /// and the remediation policy (which decides with it) alike.
    package var confidenceTiers: ConfidenceTiers {
        get throws {
            ConfidenceTiers(autoExecute: try number("diagnosis.confidence-tiers.auto-execute"),
                            autoWithMonitoring: try number("diagnosis.confidence-tiers.auto-with-monitoring"),
                            approval: try number("diagnosis.confidence-tiers.approval"))
        }
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
