import AuroraCore

/// How one series changed in the incident window compared with the period before it.
///
/// Scores are robust z-scores: (value − history median) / history IQR-scale, the idea behind BARO and
/// N-Sigma. `magnitude` is a *sustained* score (exceeded by a good share of the window's points), so
/// a one-off spike does not look like a fault.
package struct SeriesChange: Sendable, Equatable {
    /// The series.
    package var key: SeriesKey
    /// Service, metric and role read from the key.
    package var identity: SeriesIdentity
    /// Median of the history.
    package var baselineMedian: Double
    /// Robust spread of the history (IQR / 1.349, floored).
    package var baselineScale: Double
    /// Sustained robust z-score of the window (≥ 0).
    package var magnitude: Double
    /// Which way the sustained change goes.
    package var direction: ChangeDirection
    /// Largest absolute z-score in the window (what BARO ranks by).
    package var peak: Double
    /// First sustained excursion beyond the onset threshold, Unix milliseconds.
    package var onset: Int64?
    /// The window's value at the sustained magnitude (in the series' own unit).
    package var level: Double
    /// Points used from the history and from the window.
    package var historyPoints: Int
    /// Points inside the window.
    package var windowPoints: Int

    /// The direction in the role's terms: `up` means more latency, errors, load or resource use, even
    /// for a headroom metric such as `disk_free` that falls as the disk fills.
    package var pressure: ChangeDirection { identity.inverted ? direction.opposite : direction }

    /// The level relative to the baseline: 2.0 means doubled.
    package var ratio: Double {
        abs(baselineMedian) > 1e-12 ? level / baselineMedian : (level > 0 ? .infinity : 1)
    }
}
