import AuroraCore

/// A streaming, causal anomaly scorer for one series.
///
/// The score of a point depends only on that point and the points before it (no look-ahead), and the
/// same input always gives the same scores. State is per series, kept in the value itself, and can be
/// saved and restored so `aurora detect` continues where the last run stopped.
///
/// Points arrive in blocks so the hot loop is specialised per detector: an indirect call per point
/// costs more than a z-score itself.
package protocol Detector: Sendable {
    /// The name used on the command line (`--detector zscore`) and in output.
    static var name: String { get }

    /// The score at or above which a point counts as anomalous for this detector's own verdict.
    var threshold: Double { get }

    /// Scores a block of points, writing one score in [0, 1] per point into `scores`.
    /// The three buffers have the same count; timestamps are Unix milliseconds.
    mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    )

    /// Scores like `score(timestamps:values:into:)` and also writes, per point, the band of values
    /// this detector expected there (`low`, `high`; NaN where it has no view, which is the default).
    /// The ensemble reports an event's expected range from it: a seasonal series' range at that hour,
    /// not the range of its whole day.
    mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>,
        expectedLow: UnsafeMutableBufferPointer<Double>,
        expectedHigh: UnsafeMutableBufferPointer<Double>
    )

    /// Whether `score(…expectedLow:expectedHigh:)` reports a band (the ensemble asks the first member
    /// that does, whatever the configured order).
    var reportsExpectedBand: Bool { get }

    /// The detector's state, to continue later from exactly this point.
    func saveState() throws -> [UInt8]

    /// Restores state written by `saveState()`; throws a `dataError` failure when it does not fit.
    mutating func restoreState(_ bytes: [UInt8]) throws
}

extension Detector {
    package var reportsExpectedBand: Bool { false }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>,
        expectedLow: UnsafeMutableBufferPointer<Double>,
        expectedHigh: UnsafeMutableBufferPointer<Double>
    ) {
        score(timestamps: timestamps, values: values, into: scores)
        expectedLow.update(repeating: .nan)
        expectedHigh.update(repeating: .nan)
    }
}
