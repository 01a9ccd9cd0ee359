/// The shape of a configuration value: what the validator checks and what `aurora init` documents.
package indirect enum ConfigType: Sendable {
    case integer(min: Int, max: Int)
    case number(min: Double, max: Double)
    /// `300s`, `5m`, `1h30m`.
    case duration
    case boolean
    case string
    /// One of a fixed set of words.
    case choice([String])
    case list(ConfigType)
    /// A fixed set of keys. A section (`safety`, `detection.zscore`) is always filled with its defaults.
    /// A block inside an entry of a map or list (an action's `health-check`, `http` or `rollback`) is filled
    /// only when the file gives it: its presence means something, so an action without a health check must
    /// not grow one in `aurora config show`.
    case object([ConfigKey])
    /// Free-form keys (service names, action names), each value of one type.
    case map(ConfigType)

    /// Whether this is a block of fixed keys.
    package var isObject: Bool {
        if case .object = self { return true }
        return false
    }

    /// How the type is named in messages.
    package var name: String {
        switch self {
        case .integer: return "an integer"
        case .number: return "a number"
        case .duration: return "a duration such as 300s, 5m or 1h30m"
        case .boolean: return "true or false"
        case .string: return "a string"
        case .choice(let words): return "one of " + words.joined(separator: ", ")
        case .list: return "a list"
        case .object: return "a mapping"
        case .map: return "a mapping"
        }
    }
}

/// One key of a configuration object.
package struct ConfigKey: Sendable {
    package let name: String
    package let type: ConfigType
    /// The default, written as YAML would spell it; nil when the key is optional with no default.
    package let defaultValue: String?
    /// One line for `aurora init`'s comments.
    package let summary: String
    /// Redacted by `aurora config show`.
    package let isSecret: Bool
    /// A commented example for `aurora init` when the key has no default (a map, an optional list).
    package let example: String?

    package init(_ name: String, _ type: ConfigType, default defaultValue: String? = nil, _ summary: String,
                secret: Bool = false, example: String? = nil) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.summary = summary
        self.isSecret = secret
        self.example = example
    }
}

/// The whole configuration schema. Each capability contributes its section here.
package enum ConfigSchema {
    /// The keys under the root key `aurora:`.
    package static var sections: [ConfigKey] { [
        ConfigKey("database", .string, "Path of the SQLite database (default: $XDG_STATE_HOME/aurora/aurora.db).",
                  example: "/var/lib/aurora/aurora.db"),
        ConfigKey("safety", .object(safetyKeys), "Rate limits that bound autonomous remediation."),
        ConfigKey("detection", .object(detectionKeys), "Anomaly detection: the ensemble, detector parameters, rules, overrides."),
        ConfigKey("diagnosis", .object(diagnosisKeys), "Incidents and root-cause analysis."),
        ConfigKey("learning", .object(learningKeys), "Learning from resolved incidents, and immunisation."),
        ConfigKey("slo", .object(sloKeys), "Targets of the service-level objectives `aurora slo` reports."),
        ConfigKey("services", .map(.object(serviceKeys)), "The service dependency graph, to trace a fault upstream.",
                  example: "checkout: { depends-on: [payments, postgres] }"),
        ConfigKey("remediation", .object(remediationKeys), "Remediation actions and their executors."),
        ConfigKey("governance", .object(governanceKeys), "Who may do what: allow/deny rules, approvals, dry-run mode."),
        ConfigKey("freeze", .object(freezeKeys), "Recurring change freezes."),
        ConfigKey("sources", .object(sourcesKeys), "Live metric sources for `aurora watch` and `aurora ingest --prometheus`."),
        ConfigKey("watch", .object(watchKeys), "The long-running loop `aurora watch`: pace, warm start, lease, webhook listener."),
        ConfigKey("alertmanager", .object(alertmanagerKeys), "Where `aurora watch` publishes incidents as alerts (Alertmanager API v2)."),
    ] }

    /// `aurora.safety`: the architecture document's rate limits.
    package static let safetyKeys: [ConfigKey] = [
        ConfigKey("max-concurrent-remediations", .integer(min: 1, max: 1000), default: "5",
                  "Remediations that may run at the same time, across all services."),
        ConfigKey("max-remediations-per-hour", .integer(min: 1, max: 100_000), default: "20",
                  "Remediations started in any rolling hour."),
        ConfigKey("cooldown-between-same-service", .duration, default: "300s",
                  "Minimum time between two remediations of the same service."),
        ConfigKey("max-consecutive-failures", .integer(min: 1, max: 1000), default: "3",
                  "After this many failed remediations in a row, the service's kill switch trips itself."),
    ]

    /// The root object.
    package static var root: ConfigType { .object(sections) }
}
