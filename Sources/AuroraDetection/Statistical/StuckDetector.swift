import AuroraCore

/// A stuck (frozen) value: the series repeats one value for far longer than it ever has lately.
///
/// A sensor, exporter or collector that stops updating often keeps reporting its last reading. The
/// point detectors cannot see that: every frozen point sits at the series' usual level. What is
/// abnormal is the behaviour, so this detector learns how long the series' runs of identical
/// consecutive values last (exact equality; a missing or non-finite value is a gap that neither ends
/// nor extends a run) and fires when the current run exceeds `multiple` times the longest run that
/// ended within the last `horizon` points, has lasted `minimumPoints` points and
/// `minimumMilliseconds`, and the series has changed value at least `minimumChanges` times in at
/// least `minimumHistory` points. A noisy series that never repeats fires after a few frozen points;
/// a count series whose zeros run long every night, or a slowly moving counter, has long runs in
/// its yardstick and stays quiet; a series constant from its start never qualifies.
///
/// Runs of zero have a yardstick of their own. Zero is where a count or a rate rests when nothing
/// happens, so its runs say nothing about how long a reading may hold: with one yardstick, a count
/// series whose zeros run eight hours every night could freeze at a daytime value for a whole day
/// before it fired. A run of zero is judged against earlier runs of zero, any other run against
/// earlier runs of other values.
///
/// The score is `deviationScore(run / longest, scale: multiple)`, so like the other detectors 0.5
/// (the threshold) stands for a run exactly `multiple` times the yardstick, and a run that the
/// minimums held back scores higher. It is written once per run, at the point where the run
/// qualifies; every other point scores 0: the operator (and NAB) wants the onset, not the same
/// alarm on every frozen point. A run that fired is remembered as long as it was when it fired, so
/// a freeze that recurs raises the yardstick step by step instead of silencing the next one at once.
package struct StuckDetector: Detector {
    /// Parameters with the defaults `detection:` documents.
    package struct Parameters: Sendable, Equatable {
        /// How many times the longest recent run the current run must exceed. Three, not two: where
        /// runs end at random (a count series' zeros between events), a new run is longer than `c`
        /// times the longest of the last `n` with probability about `c! / n^c`: of simulated sparse
        /// count series (17 days of 5-minute data) 9 % page at 2, under 2 % at 3. A noisy series
        /// that freezes is held back by `minimumPoints` either way.
        package var multiple: Double = 3
        /// Finite points over which the longest run is remembered: over a month of 5-minute data, a
        /// week of minute data, long enough that a series' quietest night and weekend are in the yardstick.
        package var horizon: Int = 10_000
        /// Points a run must have reached to fire (a noisy series repeats a value twice by chance).
        package var minimumPoints: Int = 4
        /// Time a run must have lasted to fire, from its first point (milliseconds): on minute data
        /// four points are not yet a frozen collector.
        package var minimumMilliseconds: Int64 = 15 * 60_000
        /// Value changes seen before the detector may fire: a series that has barely moved gives no
        /// yardstick (a constant series is not stuck, it is constant).
        package var minimumChanges: Int = 30
        /// Points seen before the detector may fire.
        package var minimumHistory: Int = 300
        /// Score at or above which a point is anomalous.
        package var threshold: Double = 0.5

        /// The defaults.
        package init() {}

        func validated() throws -> Parameters {
            let name = StuckDetector.name
            try RecentMaximum.checkYardstick(multiple: multiple, horizon: horizon, detector: name)
            guard minimumPoints >= 2 else { throw DetectionError.invalidParameter(detector: name, parameter: "minimum_points", reason: "must be at least 2") }
            guard minimumMilliseconds >= 0, minimumChanges >= 0, minimumHistory >= 0 else {
                throw DetectionError.invalidParameter(detector: name, parameter: "minimum_duration/minimum_changes/minimum_history", reason: "must not be negative")
            }
            guard (0...1).contains(threshold) else { throw DetectionError.invalidParameter(detector: name, parameter: "threshold", reason: "must lie in [0, 1]") }
            return self
        }
    }

    package static let name = "stuck"
    static let stateVersion: UInt8 = 2

    /// The parameters this detector runs with.
    package let parameters: Parameters
    package var threshold: Double { parameters.threshold }

    /// The longest recent runs of values other than zero, and of zero.
    var longest: RecentMaximum
    var longestAtZero: RecentMaximum
    /// The value of the current run (NaN before the first finite point).
    var runValue = Double.nan
    /// Finite points in the current run.
    var runLength = 0
    /// Timestamp of the current run's first point.
    var runStart: Int64 = 0
    /// The run length at which the current run fired (0: it has not).
    var firedLength = 0
    /// Value changes seen, saturating at `minimumChanges` (all the detector needs to know).
    var changes = 0
    /// Finite points seen, saturating at `minimumHistory`.
    var seen = 0

    /// A detector with validated parameters.
    package init(_ parameters: Parameters = Parameters()) throws {
        self.parameters = try parameters.validated()
        longest = RecentMaximum(horizon: parameters.horizon)
        longestAtZero = RecentMaximum(horizon: parameters.horizon)
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let multiple = parameters.multiple
        let minimumPoints = parameters.minimumPoints
        let minimumDuration = parameters.minimumMilliseconds
        let minimumChanges = parameters.minimumChanges
        let minimumHistory = parameters.minimumHistory
        for index in 0..<values.count {
            let value = values[index]
            scores[index] = 0
            // A gap in the data is not a change of value: a collector that drops points and then
            // repeats the last reading is still stuck.
            guard value.isFinite else { continue }
            if seen < minimumHistory { seen += 1 }
            var ended = 0
            var endedAtZero = 0
            if value == runValue {
                runLength += 1
            } else {
                if runLength > 0 {
                    let length = firedLength > 0 ? firedLength : runLength
                    if runValue == 0 { endedAtZero = length } else { ended = length }
                    if changes < minimumChanges { changes += 1 }
                }
                runValue = value
                runLength = 1
                runStart = timestamps[index]
                firedLength = 0
            }
            // Both yardsticks see every point, so their horizons count the same points.
            longest.push(Double(ended))
            longestAtZero.push(Double(endedAtZero))
            let yardstick = runValue == 0 ? longestAtZero.value : longest.value
            guard firedLength == 0, runLength >= minimumPoints, changes >= minimumChanges, seen >= minimumHistory,
                  Double(runLength) > multiple * yardstick,
                  elapsed(timestamps[index], since: runStart) >= minimumDuration else { continue }
            // A yardstick of 0 means every run that ended has left the horizon: the current one has
            // lasted longer than it, which is as stuck as a series gets.
            scores[index] = deviationScore(Double(runLength) / max(yardstick, 1), scale: multiple)
            firedLength = runLength
        }
    }
}
