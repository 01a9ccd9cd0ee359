import AuroraCore
import AuroraDetection

/// One detector parameter: its key in `aurora.yaml`, its range and summary, and the field of the
/// engine's parameter type it sets. The schema (validation, `aurora init`'s documentation, defaults
/// read from the engine's own parameter values) and the decoding onto the engine are both made from
/// these tables, so a key cannot be documented and then forgotten, or decoded under another name.
struct DetectorParameter<Parameters> {
    enum Field {
        case integer(WritableKeyPath<Parameters, Int>, min: Int, max: Int)
        case number(WritableKeyPath<Parameters, Double>, min: Double, max: Double)
        /// A duration, written like `15m` and kept in milliseconds.
        case duration(WritableKeyPath<Parameters, Int64>)
    }

    let name: String
    let field: Field
    let summary: String

    init(_ name: String, _ field: Field, _ summary: String) {
        self.name = name
        self.field = field
        self.summary = summary
    }

    /// The schema key, its default the value in `defaults` (the engine's own).
    func configKey(defaults: Parameters) -> ConfigKey {
        switch field {
        case let .integer(path, low, high):
            ConfigKey(name, .integer(min: low, max: high), default: String(defaults[keyPath: path]), summary)
        case let .number(path, low, high):
            ConfigKey(name, .number(min: low, max: high), default: ConfigSchema.number(defaults[keyPath: path]), summary)
        case let .duration(path):
            ConfigKey(name, .duration, default: DurationText.format(Double(defaults[keyPath: path]) / 1000), summary)
        }
    }

    /// Sets the field from `block[name]` when the block has it (validated already).
    func apply(_ block: ConfigValue, to parameters: inout Parameters) {
        switch field {
        case let .integer(path, _, _): if let value = block[name]?.int { parameters[keyPath: path] = value }
        case let .number(path, _, _): if let value = block[name]?.double { parameters[keyPath: path] = value }
        case let .duration(path): if let seconds = block[name]?.seconds { parameters[keyPath: path] = Int64((seconds * 1000).rounded()) }
        }
    }
}

/// The parameter tables of the configurable detectors.
enum DetectorParameters {
    typealias ZScore = RollingZScoreDetector.Parameters
    typealias MAD = MADDetector.Parameters
    typealias Percentile = PercentileBandDetector.Parameters
    typealias Seasonal = SeasonalDetector.Parameters
    typealias Stuck = StuckDetector.Parameters
    typealias Drift = DriftDetector.Parameters
    typealias Ensemble = EnsembleDetector.Parameters

    /// The ensemble's own parameters, at the top of the `detection:` section.
    static var ensemble: [DetectorParameter<Ensemble>] { [
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Combined score at or above which a point is anomalous."),
        .init("quorum", .integer(\.quorum, min: 1, max: 100), "Members that must agree: by their own verdict, a deviation that lasted, or a value held far outside the range (magnitude-from)."),
        .init("novelty-horizon", .integer(\.noveltyHorizon, min: 0, max: 10_000_000),
              "Points over which the largest recent deviation is remembered (0: off)."),
        .init("novelty-growth", .number(\.noveltyGrowth, min: 0, max: 1_000_000),
              "How many times one sixteenth of the horizon may raise the remembered deviation (0: unbounded)."),
        .init("novelty-floor", .number(\.noveltyFloor, min: 0, max: 1_000_000),
              "Remembered deviation a fresh series grows from (1: a member at its own threshold)."),
        .init("magnitude-from", .number(\.magnitudeFrom, min: 0, max: 1_000_000),
              "Interquartile ranges from the series' median beyond which a value held for an hour keeps its weight however often it recurs (0: off)."),
        .init("magnitude-full", .number(\.magnitudeFull, min: 0, max: 1_000_000),
              "Interquartile ranges at which that floor reaches full weight."),
        .init("sustained-from", .number(\.sustainedFrom, min: 0, max: 1_000_000),
              "Member deviations every point of a half-hour run must reach to be judged against earlier lasting deviations, not spikes (0: off)."),
        .init("event-gap", .integer(\.eventGap, min: 0, max: 100_000), "Normal points tolerated inside one event."),
    ] }

    static var zscore: [DetectorParameter<ZScore>] { [
        .init("window", .integer(\.window, min: 2, max: 10_000_000), "Points in the rolling window."),
        .init("sigmas", .number(\.sigmas, min: 0.1, max: 1000), "Deviation (standard deviations) that scores 0.5."),
        .init("minimum-points", .integer(\.minimumPoints, min: 1, max: 10_000_000), "Points needed before scoring starts."),
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Score at or above which a point is anomalous."),
    ] }

    static var mad: [DetectorParameter<MAD>] { [
        .init("window", .integer(\.window, min: 2, max: 10_000_000), "Points in the sliding window (median and MAD)."),
        .init("sigmas", .number(\.sigmas, min: 0.1, max: 1000), "Deviation (scaled MADs) that scores 0.5."),
        .init("scale-floor", .number(\.scaleFloor, min: 0, max: 10),
              "Floor of the MAD as a fraction of the window's standard deviation (quantised series)."),
        .init("minimum-points", .integer(\.minimumPoints, min: 1, max: 10_000_000), "Points needed before scoring starts."),
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Score at or above which a point is anomalous."),
    ] }

    static var percentile: [DetectorParameter<Percentile>] { [
        .init("window", .integer(\.window, min: 2, max: 10_000_000), "Points in the sliding window."),
        .init("low-quantile", .number(\.lowQuantile, min: 0, max: 1), "Lower edge of the band."),
        .init("high-quantile", .number(\.highQuantile, min: 0, max: 1), "Upper edge of the band."),
        .init("tolerance", .number(\.tolerance, min: 0.001, max: 1000), "Excess beyond the band (band widths) that scores 0.5."),
        .init("width-floor", .number(\.widthFloor, min: 0, max: 10), "Floor of the band width as a fraction of the standard deviation."),
        .init("minimum-points", .integer(\.minimumPoints, min: 1, max: 10_000_000), "Points needed before scoring starts."),
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Score at or above which a point is anomalous."),
    ] }

    static var seasonal: [DetectorParameter<Seasonal>] { [
        .init("bin-minutes", .integer(\.binMinutes, min: 1, max: 1440), "Width of one daily/weekly profile bin."),
        .init("adaptation", .number(\.adaptation, min: 0.0001, max: 1), "Weight of a new observation in its bin."),
        .init("minimum-periods", .integer(\.minimumPeriods, min: 1, max: 1000), "Whole days (weeks) seen before a profile is trusted."),
        .init("window", .integer(\.window, min: 2, max: 10_000_000), "Residuals kept for the robust scale."),
        .init("sigmas", .number(\.sigmas, min: 0.1, max: 1000), "Residual deviation (scaled MADs) that scores 0.5."),
        .init("scale-floor", .number(\.scaleFloor, min: 0, max: 10), "Floor of the residual scale."),
        .init("weekly-reach", .number(\.weeklyReach, min: 0, max: 1_000_000),
              "Scaled MADs from a weekly bin's mean beyond which it learns a value clipped (0: whole)."),
        .init("minimum-points", .integer(\.minimumPoints, min: 1, max: 10_000_000),
              "Points before the robust scale is trusted (before them only a jump a small sample cannot explain scores)."),
        .init("integer-scale", .number(\.integerScale, min: 0, max: 1_000_000),
              "Least residual scale of a series of whole numbers (1/√12: the spread rounding adds; 0: none)."),
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Score at or above which a point is anomalous."),
    ] }

    static var stuck: [DetectorParameter<Stuck>] { [
        .init("multiple", .number(\.multiple, min: 1, max: 1000), "How many times the longest recent run of one value the current run must exceed."),
        .init("horizon", .integer(\.horizon, min: 16, max: 10_000_000), "Points over which the longest run is remembered."),
        .init("minimum-points", .integer(\.minimumPoints, min: 2, max: 10_000_000), "Points a run must reach to fire."),
        .init("minimum-duration", .duration(\.minimumMilliseconds), "Time a run must last to fire."),
        .init("minimum-changes", .integer(\.minimumChanges, min: 0, max: 10_000_000),
              "Value changes seen before it may fire (a constant series is not stuck)."),
        .init("minimum-history", .integer(\.minimumHistory, min: 0, max: 10_000_000), "Points seen before it may fire."),
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Score at or above which a point is anomalous."),
    ] }

    static var drift: [DetectorParameter<Drift>] { [
        .init("multiple", .number(\.multiple, min: 1, max: 1000), "How many times the largest recent excursion of the residual sum the current one must reach."),
        .init("horizon", .integer(\.horizon, min: 16, max: 10_000_000), "Points over which the largest excursion is remembered."),
        .init("slack", .number(\.slack, min: 0, max: 1000), "Residual scales a point must exceed to add to the sum."),
        .init("clip", .number(\.clip, min: 0.001, max: 1000), "Residual scales one point adds at most (one spike cannot fire it alone)."),
        .init("decision", .number(\.decision, min: 0.001, max: 1_000_000), "Least sum, in residual scales, that fires."),
        .init("minimum-history", .integer(\.minimumHistory, min: 0, max: 10_000_000), "Points with a baseline before it may fire."),
        .init("threshold", .number(\.threshold, min: 0, max: 1), "Score at or above which a point is anomalous."),
    ] }

    /// Applies the detector parameter blocks present in `section` (the `detection:` section or one
    /// of its overrides).
    static func apply(_ section: ConfigValue, to settings: inout DetectionSettings) {
        if let block = section["zscore"] { for parameter in zscore { parameter.apply(block, to: &settings.zscore) } }
        if let block = section["mad"] { for parameter in mad { parameter.apply(block, to: &settings.mad) } }
        if let block = section["percentile"] { for parameter in percentile { parameter.apply(block, to: &settings.percentile) } }
        if let block = section["seasonal"] { for parameter in seasonal { parameter.apply(block, to: &settings.seasonal) } }
        if let block = section["stuck"] { for parameter in stuck { parameter.apply(block, to: &settings.stuck) } }
        if let block = section["drift"] { for parameter in drift { parameter.apply(block, to: &settings.drift) } }
    }
}
