/// The parameter sets cross-validation may choose between, for one detector configuration.
///
/// The first candidate is always the settings as given (the defaults, or the configuration's), so
/// the in-sample score is the score of what `aurora detect` runs. The others flip one stated
/// choice at a time, each at the alternative an operator could argue for:
/// - the voter's alert suppression: 10 or 50 points, or 1, 2, 4 or 8 hours;
/// - the seasonal detector's level-shift re-basing: after 48 confirming points spanning at least
///   8 hours (the default's span), or never;
/// - the novelty yardstick's growth: bounded (8 times per sixteenth of the horizon) or unbounded,
///   the largest deviation of the horizon however rare;
/// - the magnitude floor: a value held 20 to 50 interquartile ranges from the series' median keeps
///   its novelty weight, or no floor;
/// - the seasonal weekly profile's reach: a weekly bin learns a value at most 60 scaled MADs from
///   its mean, or whole;
/// - the seasonal detector's integer scale: a series of whole numbers is judged on a scale of at least
///   1/√12 (what rounding adds), or on its MAD alone;
/// - sustained novelty: a run of deviations of at least 0.7 member deviations lasting half an hour
///   is judged against earlier lasting ones, or only point novelty;
/// - the `drift` member (a CUSUM of the seasonal residual): in the ensemble, or not.
/// The threshold itself is chosen by NAB's sweep on the training categories.
package enum TuningCandidates {
    /// Named settings to try for the ensemble (`detectors == nil`) or the named detectors.
    package static func candidates(for settings: DetectionSettings, detectors: [String]?) -> [(label: String, settings: DetectionSettings)] {
        var result: [(label: String, settings: DetectionSettings)] = [("default", settings)]
        for (suppressionLabel, points, milliseconds) in [("10", 10, Int64(0)), ("50", 50, Int64(0)), ("1h", 50, Int64(3_600_000)), ("2h", 50, Int64(2 * 3_600_000)), ("4h", 50, Int64(4 * 3_600_000)), ("8h", 50, Int64(8 * 3_600_000))] {
            for confirmation in [0, 48] {
                var candidate = settings
                candidate.ensemble.suppressionPoints = points
                candidate.ensemble.suppressionMilliseconds = milliseconds
                candidate.seasonal.shiftConfirmation = confirmation
                guard candidate.ensemble != settings.ensemble || candidate.seasonal != settings.seasonal else { continue }
                result.append(("suppression=\(suppressionLabel),shift=\(confirmation)", candidate))
            }
        }
        // Each stated choice flipped: off when the settings have it, on (at the shipped value) when not.
        func flip(_ on: Bool, _ offLabel: String, _ onLabel: String, _ change: (inout DetectionSettings) -> Void) {
            var candidate = settings
            change(&candidate)
            result.append((on ? offLabel : onLabel, candidate))
        }
        let bounded = settings.ensemble.noveltyGrowth > 0
        flip(bounded, "growth=unbounded", "growth=8") { $0.ensemble.noveltyGrowth = bounded ? 0 : 8 }
        let floored = settings.ensemble.magnitudeFrom > 0
        flip(floored, "magnitude=off", "magnitude=20") {
            $0.ensemble.magnitudeFrom = floored ? 0 : 20
            if !floored { $0.ensemble.magnitudeFull = max(50, settings.ensemble.magnitudeFull) }
        }
        let reached = settings.seasonal.weeklyReach > 0
        flip(reached, "weekly-reach=off", "weekly-reach=60") { $0.seasonal.weeklyReach = reached ? 0 : 60 }
        let whole = settings.seasonal.integerScale > 0
        flip(whole, "integer-scale=off", "integer-scale=0.29") { $0.seasonal.integerScale = whole ? 0 : 1 / 12.0.squareRoot() }
        let lasting = settings.ensemble.sustainedFrom > 0
        flip(lasting, "sustained=off", "sustained=0.7") { $0.ensemble.sustainedFrom = lasting ? 0 : 0.7 }
        if detectors == nil {
            let drifting = settings.ensembleMembers.contains(DriftDetector.name)
            flip(drifting, "drift=off", "drift=on") {
                $0.ensembleMembers = drifting ? $0.ensembleMembers.filter { $0 != DriftDetector.name } : $0.ensembleMembers + [DriftDetector.name]
            }
        }
        return result
    }
}
