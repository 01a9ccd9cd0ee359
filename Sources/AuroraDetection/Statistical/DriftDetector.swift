import AuroraCore

/// A lasting shift or a slow drift of the series' level that no single point shows.
///
/// The point detectors judge each point alone: latency that moves from 100 ± 5 ms to 112 ms and stays
/// there is 2.4 sigmas on every point, unremarkable each time, and a temperature sliding 15 degrees
/// over a day is learnt by the profiles as it comes. What is abnormal is the *sum*: this detector
/// runs a two-sided CUSUM on the seasonal detector's standardised residual (the deviation from what
/// the series usually does at that time of day or week, in its robust scales). Each point adds its
/// deviation, clipped to `clip` scales so that one spike cannot fire it alone, less `slack` scales;
/// the sums never fall below zero, so they grow only while the series stays on one side.
///
/// Real residuals are not independent noise: a daily profile that is a little off, a weekly dip the
/// daily profile does not know, accumulate too. So the sums are judged like the novelty yardstick
/// judges points: an excursion fires when it reaches `multiple` times the largest excursion that
/// ended within the last `horizon` points (and at least `decision` scales on a series with no
/// history of them), once, at the point where it does. A fired excursion is remembered as large as
/// it was when it fired, so a shift that lasts for days does not blind the detector to the next one.
///
/// Its score is `deviationScore(sum / yardstick, scale: multiple)`, like `stuck`'s: 0.5, the
/// threshold, at exactly `multiple` times the yardstick, and 0 on every other point. In an ensemble it
/// is a decisive member: a weighted member quiet everywhere but at one point could not carry the mean.
package struct DriftDetector: Detector {
    /// Parameters with the defaults `detection.drift` documents.
    package struct Parameters: Sendable, Equatable {
        /// How many times the largest recent excursion the current one must reach. Four, not
        /// three: on NAB and cloudmon 3 added 18 events to the default ensemble's (2 of them in a
        /// labelled window), 4 added 14 (1); the generated shifts and drifts page alike with both.
        package var multiple: Double = 4
        /// Points over which the largest excursion is remembered (the ensemble's novelty horizon).
        package var horizon: Int = 6_000
        /// Residual scales a point must exceed to add to a sum: shifts of twice this pay off fast,
        /// noise (mostly within one scale) adds nothing on average.
        package var slack: Double = 1
        /// Residual scales a point adds at most: one spike of any size adds `clip − slack`, so it
        /// takes `decision / (clip − slack)` points far out (six at the defaults) to fire.
        package var clip: Double = 3
        /// The least sum, in residual scales, that fires, whatever the yardstick (a series whose
        /// excursions have all been small).
        package var decision: Double = 12
        /// Points with a baseline band before it may fire, which it also never does before the baseline
        /// has seen the series long enough for a daily profile: until then the baseline is mostly a
        /// running level, which a daily cycle or a single spike pulls along, and the residuals trail it
        /// for hours, a lasting deviation of the baseline's making. An excursion under way when both
        /// are over never fires; it only raises the yardstick.
        package var minimumHistory: Int = 300
        /// Score at or above which a point is anomalous.
        package var threshold: Double = 0.5

        /// The defaults.
        package init() {}

        func validated() throws -> Parameters {
            let name = DriftDetector.name
            try RecentMaximum.checkYardstick(multiple: multiple, horizon: horizon, detector: name)
            guard slack >= 0, slack.isFinite, clip > slack, clip.isFinite else {
                throw DetectionError.invalidParameter(detector: name, parameter: "slack/clip", reason: "must be finite, the clip above the slack")
            }
            guard minimumHistory >= 0 else {
                throw DetectionError.invalidParameter(detector: name, parameter: "minimum_history", reason: "must not be negative")
            }
            guard decision > 0, decision.isFinite else {
                throw DetectionError.invalidParameter(detector: name, parameter: "decision", reason: "must be finite and positive")
            }
            guard (0...1).contains(threshold) else { throw DetectionError.invalidParameter(detector: name, parameter: "threshold", reason: "must lie in [0, 1]") }
            return self
        }
    }

    package static let name = "drift"
    static let stateVersion: UInt8 = 1

    /// The parameters this detector runs with.
    package let parameters: Parameters
    package var threshold: Double { parameters.threshold }

    /// The baseline whose residuals are summed: a seasonal detector of its own, with the seasonal
    /// member's parameters, so its expected band is the one the seasonal member reports.
    var baseline: SeasonalDetector
    /// The parameters of its baseline (the seasonal member's).
    package var baselineParameters: SeasonalDetector.Parameters { baseline.parameters }
    /// The sums above and below the baseline, in residual scales.
    var upward = 0.0
    var downward = 0.0
    /// The largest sum of the current excursion, and the sum at which it fired (0: it has not).
    var excursionPeak = 0.0
    var firedAt = 0.0
    /// The largest excursions that ended lately.
    var largest: RecentMaximum
    /// Points with a band seen, saturating at `minimumHistory`.
    var seen = 0

    /// A detector with validated parameters; `seasonal` configures its baseline.
    package init(_ parameters: Parameters = Parameters(), seasonal: SeasonalDetector.Parameters = SeasonalDetector.Parameters()) throws {
        self.parameters = try parameters.validated()
        baseline = try SeasonalDetector(seasonal)
        largest = RecentMaximum(horizon: parameters.horizon)
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        let count = values.count
        // The baseline's scores and band, per call: kept in the detector they would stay allocated for
        // every series of a stored pass (a block each), for nothing between calls.
        var baselineScores = [Double](repeating: 0, count: count)
        var low = baselineScores
        var high = baselineScores
        baselineScores.withUnsafeMutableBufferPointer { baselineScores in
        low.withUnsafeMutableBufferPointer { low in
        high.withUnsafeMutableBufferPointer { high in
            baseline.score(timestamps: timestamps, values: values,
                           into: baselineScores, expectedLow: low, expectedHigh: high)
            for index in 0..<count {
                let learning = !baseline.profileSpanReached(at: timestamps[index])
                scores[index] = accumulate(values[index], low: low[index], high: high[index], learning: learning)
            }
        }
        }
        }
    }

    /// Adds one point to the sums and scores it: 0 unless the excursion fires here.
    private mutating func accumulate(_ value: Double, low: Double, high: Double, learning: Bool) -> Double {
        // No band yet (the baseline's first points) or a gap: nothing to sum, and the horizon still
        // counts the point, as every yardstick does.
        guard value.isFinite, low.isFinite, high.isFinite, high > low else {
            largest.push(0)
            return 0
        }
        if seen < parameters.minimumHistory { seen += 1 }
        let centre = (low + high) / 2
        let scale = (high - low) / (2 * SeasonalDetector.bandScales)
        let clip = parameters.clip
        let deviation = min(max((value - centre) / scale, -clip), clip)
        upward = max(0, upward + deviation - parameters.slack)
        downward = max(0, downward - deviation - parameters.slack)
        let sum = max(upward, downward)
        var ended = 0.0
        if sum == 0 {
            // Back at the baseline: the excursion joins the yardstick, as large as it was when it
            // fired if it did (a shift that lasted days must not hide the next one for the horizon).
            if excursionPeak > 0 { ended = firedAt > 0 ? firedAt : excursionPeak }
            excursionPeak = 0
            firedAt = 0
        } else {
            excursionPeak = max(excursionPeak, sum)
        }
        let yardstick = largest.value
        largest.push(ended)
        // Still learning: the excursion is remembered at its size so far, as if it had fired.
        if learning || seen < parameters.minimumHistory {
            firedAt = max(firedAt, sum)
            return 0
        }
        let multiple = parameters.multiple
        guard firedAt == 0, sum >= max(parameters.decision, multiple * yardstick) else { return 0 }
        firedAt = sum
        return deviationScore(sum / max(yardstick, parameters.decision / multiple), scale: multiple)
    }

    package func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: Self.stateVersion)
        writer.write(blob: try baseline.saveState())
        largest.write(to: &writer)
        writer.write(upward)
        writer.write(downward)
        writer.write(excursionPeak)
        writer.write(firedAt)
        writer.write(seen)
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, versions: 1...Self.stateVersion)
        let baselineState = try reader.readBlob()
        let largest = try RecentMaximum.read(from: &reader, horizon: parameters.horizon)
        let upward = try reader.readDouble()
        let downward = try reader.readDouble()
        let excursionPeak = try reader.readDouble()
        let firedAt = try reader.readDouble()
        let seen = try reader.readInt()
        try reader.finish()
        let usable = { (sum: Double) in sum.isFinite && sum >= 0 }
        guard usable(upward), usable(downward), usable(excursionPeak), usable(firedAt),
              excursionPeak >= max(upward, downward), firedAt <= excursionPeak, seen >= 0 else {
            throw reader.inconsistent("its sums are out of range")
        }
        var baseline = self.baseline
        try baseline.restoreState(baselineState)
        self.baseline = baseline
        self.largest = largest
        (self.upward, self.downward, self.excursionPeak, self.firedAt) = (upward, downward, excursionPeak, firedAt)
        self.seen = min(seen, parameters.minimumHistory)
    }
}
