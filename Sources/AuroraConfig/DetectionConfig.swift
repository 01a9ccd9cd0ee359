import AuroraDetection

/// `aurora.detection`: detector parameters, the ensemble, rules and per-series overrides. Every
/// default is read from the engine's own `DetectionSettings`, so the documentation cannot drift.
extension ConfigSchema {
    static let detectionDefaults = DetectionSettings()

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }

    static let zscoreKeys = DetectorParameters.zscore.map { $0.configKey(defaults: detectionDefaults.zscore) }
    static let madKeys = DetectorParameters.mad.map { $0.configKey(defaults: detectionDefaults.mad) }
    static let percentileKeys = DetectorParameters.percentile.map { $0.configKey(defaults: detectionDefaults.percentile) }
    static let seasonalKeys = DetectorParameters.seasonal.map { $0.configKey(defaults: detectionDefaults.seasonal) }
    static let stuckKeys = DetectorParameters.stuck.map { $0.configKey(defaults: detectionDefaults.stuck) }
    static let driftKeys = DetectorParameters.drift.map { $0.configKey(defaults: detectionDefaults.drift) }

    /// Detector parameter blocks, shared by the section and its overrides.
    static var detectorBlocks: [ConfigKey] {
        [
            ConfigKey("zscore", .object(zscoreKeys), "Rolling z-score."),
            ConfigKey("mad", .object(madKeys), "Robust median/MAD over a sliding window."),
            ConfigKey("percentile", .object(percentileKeys), "Percentile band."),
            ConfigKey("seasonal", .object(seasonalKeys), "Seasonality-aware deviation (daily and weekly profiles)."),
            ConfigKey("stuck", .object(stuckKeys), "Stuck (frozen) value: a run of one value far longer than the series' longest lately (opt-in)."),
            ConfigKey("drift", .object(driftKeys),
                      "Drift: a lasting shift or slow drift no single point shows, the seasonal residual summed (CUSUM) past the series' largest sums lately (opt-in)."),
        ]
    }

    static let ruleKeys: [ConfigKey] = [
        ConfigKey("name", .string, "The rule's name (shown as the voting detector)."),
        ConfigKey("match", .string, "Series it applies to: metric{label=\"value\"} (equality matchers only)."),
        ConfigKey("service", .string, "The service the rule concerns (default: the series' service label)."),
        ConfigKey("severity", .choice(["info", "warning", "critical"]), default: "warning", "Severity of what it finds."),
        ConfigKey("above", .number(min: -1e300, max: 1e300), "Fires while the value is above this."),
        ConfigKey("below", .number(min: -1e300, max: 1e300), "Fires while the value is below this (with `above`: outside the range)."),
        ConfigKey("for", .duration, default: "0s", "How long the condition must hold before the rule fires (Prometheus `for:`)."),
        ConfigKey("max-rate-per-second", .number(min: 0, max: 1e300), "Fires when the value changes faster than this per second."),
        ConfigKey("direction", .choice(["increase", "decrease", "either"]), default: "either", "Which changes count for the rate rule."),
        ConfigKey("absent-for", .duration, "Fires when no point arrives for this long."),
        ConfigKey("label-patterns", .map(.string), "Regular expressions that labels must match (pattern rule)."),
        ConfigKey("value-pattern", .string, "Regular expression the printed value must match (pattern rule)."),
    ]

    static var overrideKeys: [ConfigKey] {
        [
            ConfigKey("match", .string, "Prometheus selector of the series the override applies to."),
            ConfigKey("detectors", .list(.string), "Ensemble members for these series."),
            ConfigKey("threshold", .number(min: 0, max: 1), "Ensemble threshold for these series."),
        ] + detectorBlocks.map { ConfigKey($0.name, optionalBlock($0.type), $0.summary) }
    }

    /// A parameter block whose keys have no defaults (an override only changes what it names).
    static func optionalBlock(_ type: ConfigType) -> ConfigType {
        guard case .object(let keys) = type else { return type }
        return .object(keys.map { ConfigKey($0.name, $0.type, $0.summary) })
    }

    static var detectionKeys: [ConfigKey] {
        return [
            ConfigKey("detectors", .list(.string), default: "[" + detectionDefaults.ensembleMembers.joined(separator: ", ") + "]",
                      "Members of the default ensemble (see `aurora detect --list-detectors`)."),
            ConfigKey("weights", .map(.number(min: 0, max: 1000)), "Weight of each member (default 1).", example: "{ seasonal: 1, zscore: 0.5 }"),
        ] + DetectorParameters.ensemble.map { $0.configKey(defaults: detectionDefaults.ensemble) } + detectorBlocks + [
            ConfigKey("rules", .list(.object(ruleKeys)), "Threshold, rate-of-change, absent-data and pattern rules.", example: """
            - name: checkout-latency-high
              match: latency_ms{service="checkout"}
              above: 500
              for: 5m
              severity: critical
            """),
            ConfigKey("overrides", .list(.object(overrideKeys)), "Per-series parameter overrides, applied in order.", example: """
            - match: '{__name__=~".*errors.*"}'
              seasonal: { scale-floor: 1 }
            """),
        ]
    }
}
