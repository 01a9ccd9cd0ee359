import AuroraCore

/// Every detection parameter, with the defaults the `detection:` configuration section documents.
///
/// Defaults (and why):
/// - `zscore`: window 1000, 4σ. A long window keeps a spike from inflating its own baseline quickly.
/// - `mad`: window 500, 5 scaled MADs, scale floored at 0.25σ of the window (quantised series).
/// - `percentile`: 1st–99th percentile of the last 1000 points; half a band width outside scores 0.5.
/// - `seasonal`: 30-minute bins of a daily and a weekly profile (after two periods), residuals of
///   the last 1000 points scored like `mad`.
/// - `ensemble`: `seasonal` alone, plus the configured rules as decisive members. Service metrics
///   are seasonal, and the seasonal detector falls back to the recent level on series too short for
///   a profile, so it covers the plain case too. Averaging other detectors in (z-score, MAD,
///   percentile, at weights from 1:1 to 1:10) lowered the measured NAB score every time: a member
///   that stays quiet while the seasonal detector fires only dilutes the combined score. They stay
///   one `ensembleMembers`/`weights` entry away. Novelty over 6000 points (its yardstick growing at
///   most eightfold per sixteenth of them, so repeats of a first huge fault still page), threshold 0.25,
///   quorum 1, alert suppression for 2 hours at factor 0.2 (chosen by category-left-out
///   cross-validation over NAB and cloudmon: see `docs/detection-evaluation.md`).
/// - `seasonal` re-bases after a level shift confirmed by 48 points in a row spanning at least 8 hours.
/// - `stuck`: a run of one value three times the longest of the last 10,000 points; opt-in (a decisive
///   member when named): on NAB and cloudmon it cost NAB 0.2–0.6 points left-out and moved cloudmon by
///   nothing, and no fold chose it (`docs/detection-experiments.md`).
/// - `drift`: a CUSUM of the seasonal residual four times the largest excursion of the last 6,000
///   points; opt-in (a decisive member when named): it pages a lasting 2.4σ shift within 20 points and
///   a slow decline twice as early, but on NAB and cloudmon, which label neither, it costs NAB 1.2
///   points left-out and no fold chooses it (`docs/detection-experiments.md`).
///
/// Per-series overrides: `overrides` are applied in order to the settings of every series whose key
/// matches the predicate (the configuration's selectors), so later overrides win.
package struct DetectionSettings: Sendable {
    /// Rolling z-score parameters.
    package var zscore = RollingZScoreDetector.Parameters()
    /// MAD parameters.
    package var mad = MADDetector.Parameters()
    /// Percentile band parameters.
    package var percentile = PercentileBandDetector.Parameters()
    /// Seasonal parameters.
    package var seasonal = SeasonalDetector.Parameters()
    /// Stuck-value parameters.
    package var stuck = StuckDetector.Parameters()
    /// Drift (lasting shift) parameters; its baseline takes `seasonal`.
    package var drift = DriftDetector.Parameters()
    /// Ensemble combination parameters.
    package var ensemble = EnsembleDetector.Parameters()
    /// Detectors that make up the default ensemble, by registry name.
    package var ensembleMembers: [String] = ["seasonal"]
    /// Weight of each detector in the ensemble by name; a missing name weighs 1.
    package var weights: [String: Double] = [:]
    /// Detectors whose own verdict makes a point anomalous, like a rule's, instead of entering the
    /// weighted mean. `stuck` scores a run once, at its onset, and 0 on every other point: averaged
    /// with a member that is quiet there (a frozen value sits at the usual level) and weighed by
    /// novelty it could never reach the ensemble's threshold, and as a member of the mean it would
    /// halve every other member's score.
    /// `drift` is decisive for the same reason.
    package var decisiveMembers: Set<String> = [StuckDetector.name, DriftDetector.name]
    /// Parameters of detectors registered outside this module (isolation forest, LSTM…), by
    /// detector name then parameter name, for their factories to read.
    package var custom: [String: [String: Double]] = [:]
    /// Configured rules; each applies only to the series it selects.
    package var rules: [any Rule] = []
    /// Per-series overrides, applied in order.
    package var overrides: [Override] = []

    /// The defaults.
    package init() {}

    /// A change applied to the settings of the series a predicate selects.
    package struct Override: Sendable {
        /// Whether the override concerns a series.
        package var applies: @Sendable (SeriesKey) -> Bool
        /// The change.
        package var change: @Sendable (inout DetectionSettings) -> Void

        /// An override.
        package init(applies: @escaping @Sendable (SeriesKey) -> Bool, change: @escaping @Sendable (inout DetectionSettings) -> Void) {
            self.applies = applies
            self.change = change
        }
    }

    /// The settings for one series, with every matching override applied.
    package func resolved(for key: SeriesKey) -> DetectionSettings {
        var settings = self
        settings.overrides = []
        for override in overrides where override.applies(key) { override.change(&settings) }
        return settings
    }

    /// The weight of a detector in the ensemble.
    package func weight(of name: String) -> Double { weights[name] ?? 1 }
}
