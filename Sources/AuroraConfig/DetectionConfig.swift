import AuroraDetection

/// `aurora.detection`: detector parameters, the ensemble, rules and per-series overrides. Every
/// default is read from the engine's own `DetectionSettings`, so the documentation cannot drift.
extension ConfigSchema {
    static let detectionDefaults = DetectionSettings()

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
    }

    static let zscoreKeys: [ConfigKey] = {
        let p = detectionDefaults.zscore
        return [
            ConfigKey("window", .integer(min: 2, max: 10_000_000), default: String(p.window), "Points in the rolling window."),
            ConfigKey("sigmas", .number(min: 0.1, max: 1000), default: number(p.sigmas), "Deviation (standard deviations) that scores 0.5."),
            ConfigKey("minimum-points", .integer(min: 1, max: 10_000_000), default: String(p.minimumPoints), "Points needed before scoring starts."),
            ConfigKey("threshold", .number(min: 0, max: 1), default: number(p.threshold), "Score at or above which a point is anomalous."),
        ]
    }()

    static let madKeys: [ConfigKey] = {
        let p = detectionDefaults.mad
        return [
            ConfigKey("window", .integer(min: 2, max: 10_000_000), default: String(p.window), "Points in the sliding window (median and MAD)."),
            ConfigKey("sigmas", .number(min: 0.1, max: 1000), default: number(p.sigmas), "Deviation (scaled MADs) that scores 0.5."),
            ConfigKey("scale-floor", .number(min: 0, max: 10), default: number(p.scaleFloor),
                      "Floor of the MAD as a fraction of the window's standard deviation (quantised series)."),
            ConfigKey("minimum-points", .integer(min: 1, max: 10_000_000), default: String(p.minimumPoints), "Points needed before scoring starts."),
            ConfigKey("threshold", .number(min: 0, max: 1), default: number(p.threshold), "Score at or above which a point is anomalous."),
        ]
    }()

    static let percentileKeys: [ConfigKey] = {
        let p = detectionDefaults.percentile
        return [
            ConfigKey("window", .integer(min: 2, max: 10_000_000), default: String(p.window), "Points in the sliding window."),
            ConfigKey("low-quantile", .number(min: 0, max: 1), default: number(p.lowQuantile), "Lower edge of the band."),
            ConfigKey("high-quantile", .number(min: 0, max: 1), default: number(p.highQuantile), "Upper edge of the band."),
            ConfigKey("tolerance", .number(min: 0.001, max: 1000), default: number(p.tolerance), "Excess beyond the band (band widths) that scores 0.5."),
            ConfigKey("width-floor", .number(min: 0, max: 10), default: number(p.widthFloor), "Floor of the band width as a fraction of the standard deviation."),
            ConfigKey("minimum-points", .integer(min: 1, max: 10_000_000), default: String(p.minimumPoints), "Points needed before scoring starts."),
            ConfigKey("threshold", .number(min: 0, max: 1), default: number(p.threshold), "Score at or above which a point is anomalous."),
        ]
    }()

    static let seasonalKeys: [ConfigKey] = {
        let p = detectionDefaults.seasonal
        return [
            ConfigKey("bin-minutes", .integer(min: 1, max: 1440), default: String(p.binMinutes), "Width of one daily/weekly profile bin."),
            ConfigKey("adaptation", .number(min: 0.0001, max: 1), default: number(p.adaptation), "Weight of a new observation in its bin."),
            ConfigKey("minimum-periods", .integer(min: 1, max: 1000), default: String(p.minimumPeriods), "Whole days (weeks) seen before a profile is trusted."),
            ConfigKey("window", .integer(min: 2, max: 10_000_000), default: String(p.window), "Residuals kept for the robust scale."),
            ConfigKey("sigmas", .number(min: 0.1, max: 1000), default: number(p.sigmas), "Residual deviation (scaled MADs) that scores 0.5."),
            ConfigKey("scale-floor", .number(min: 0, max: 10), default: number(p.scaleFloor), "Floor of the residual scale."),
            ConfigKey("minimum-points", .integer(min: 1, max: 10_000_000), default: String(p.minimumPoints), "Points needed before scoring starts."),
            ConfigKey("threshold", .number(min: 0, max: 1), default: number(p.threshold), "Score at or above which a point is anomalous."),
        ]
    }()

    /// Detector parameter blocks, shared by the section and its overrides.
    static var detectorBlocks: [ConfigKey] {
        [
            ConfigKey("zscore", .object(zscoreKeys), "Rolling z-score."),
            ConfigKey("mad", .object(madKeys), "Robust median/MAD over a sliding window."),
            ConfigKey("percentile", .object(percentileKeys), "Percentile band."),
            ConfigKey("seasonal", .object(seasonalKeys), "Seasonality-aware deviation (daily and weekly profiles)."),
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
        let ensemble = detectionDefaults.ensemble
        return [
            ConfigKey("detectors", .list(.string), default: "[" + detectionDefaults.ensembleMembers.joined(separator: ", ") + "]",
                      "Members of the default ensemble (see `aurora detect --list-detectors`)."),
            ConfigKey("weights", .map(.number(min: 0, max: 1000)), "Weight of each member (default 1).", example: "{ seasonal: 1, zscore: 0.5 }"),
            ConfigKey("threshold", .number(min: 0, max: 1), default: number(ensemble.threshold), "Combined score at or above which a point is anomalous."),
            ConfigKey("quorum", .integer(min: 1, max: 100), default: String(ensemble.quorum), "Members whose own verdict must agree."),
            ConfigKey("novelty-horizon", .integer(min: 0, max: 10_000_000), default: String(ensemble.noveltyHorizon),
                      "Points over which the largest recent deviation is remembered (0: off)."),
            ConfigKey("event-gap", .integer(min: 0, max: 100_000), default: String(ensemble.eventGap), "Normal points tolerated inside one event."),
        ] + detectorBlocks + [
            ConfigKey("rules", .list(.object(ruleKeys)), "Threshold, rate-of-change, absent-data and pattern rules.", example: """
            - name: checkout-latency-high
              match: latency_ms{service="checkout"}
              above: 500
              for: 5m
              severity: critical
            """),
            ConfigKey("overrides", .list(.object(overrideKeys)), "Per-series parameter overrides, applied in order.", example: """
            - match: '{service="batch"}'
              zscore: { window: 5000 }
            """),
        ]
    }
}
