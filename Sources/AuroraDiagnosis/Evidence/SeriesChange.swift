import AuroraCore

/// How one series changed in the incident window compared with the period before it.
///
/// Scores are robust z-scores: (value − history median) / history IQR-scale, the idea behind BARO and
/// N-Sigma. `magnitude` is a *sustained* score (exceeded by a good share of the window's points), so
/// a one-off spike does not look like a fault.
public struct SeriesChange: Sendable, Equatable {
    /// The series.
    public var key: SeriesKey
    /// Service, metric and role read from the key.
    public var identity: SeriesIdentity
    /// Median of the history.
    public var baselineMedian: Double
    /// Robust spread of the history (IQR / 1.349, floored).
    public var baselineScale: Double
    /// Sustained robust z-score of the window (≥ 0).
    public var magnitude: Double
    /// Which way the sustained change goes.
    public var direction: ChangeDirection
    /// Largest absolute z-score in the window (what BARO ranks by).
    public var peak: Double
    /// First sustained excursion beyond the onset threshold, Unix milliseconds.
    public var onset: Int64?
    /// The window's value at the sustained magnitude (in the series' own unit).
    public var level: Double
    /// Points used from the history and from the window.
    public var historyPoints: Int
    /// Points inside the window.
    public var windowPoints: Int

    /// The direction in the role's terms: `up` means more latency, errors, load or resource use, even
    /// for a headroom metric such as `disk_free` that falls as the disk fills.
    public var pressure: ChangeDirection { identity.inverted ? direction.opposite : direction }

    /// The level relative to the baseline: 2.0 means doubled.
    public var ratio: Double {
        abs(baselineMedian) > 1e-12 ? level / baselineMedian : (level > 0 ? .infinity : 1)
    }
}
