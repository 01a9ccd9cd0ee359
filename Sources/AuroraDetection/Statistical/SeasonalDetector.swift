import AuroraCore
import Foundation

/// Seasonality-aware deviation: a point is compared with what the series usually does at that time
/// of day (or of the week), and the residual is scored robustly (median and MAD of recent residuals).
///
/// Service metrics follow the day and the week; a plain rolling detector flags every morning ramp.
/// The detector keeps a daily and a weekly profile (an exponentially weighted mean per time-of-period
/// bin, in UTC) and uses the weekly one once two weeks have been seen, the daily one after two days,
/// and before that the recent level, so short series still get a sensible score.
package struct SeasonalDetector: Detector {
    /// Parameters with the defaults `detection:` documents.
    package struct Parameters: Sendable, Equatable {
        /// Width of one profile bin, in minutes (48 bins a day by default).
        package var binMinutes: Int = 30
        /// Weight of a new observation in its bin's mean (also the weight of a new point in the level).
        package var adaptation: Double = 0.05
        /// Whole periods that must be seen before a profile is trusted.
        package var minimumPeriods: Int = 2
        /// Residuals kept for the robust scale (about 3.5 days of 5-minute data: long enough that one
        /// bad afternoon does not widen the scale it is judged by).
        package var window: Int = 1_000
        /// The residual deviation (in scaled MADs) that scores 0.5.
        package var sigmas: Double = 5
        /// Floor of the residual scale as a fraction of the residuals' standard deviation.
        package var scaleFloor: Double = 0.25
        /// Residuals needed before the robust scale is trusted. Before them a point is judged as a
        /// small sample (`smallSampleDeviation`), so a fresh series pages only for a jump a few points
        /// cannot explain.
        package var minimumPoints: Int = 30
        /// Score at or above which a point is anomalous.
        package var threshold: Double = 0.5
        /// Points in a row, all beyond half of `sigmas` on the same side, that make a level shift the new
        /// normal: the detector fires at the shift, then moves its expectation by the shift instead
        /// of paging again and again for days while the profiles catch up (0 never re-bases). 48
        /// points is four hours of 5-minute data: longer than a burst or an outage that recovers,
        /// so those still page at both ends. Cross-validated: 12 points cost NAB 4 points (bursts
        /// re-based, then their end paged); 48 left both corpora within 0.2 points. Never
        /// re-basing (0) is no live default: hourly traffic that doubles for good then pages again
        /// and again for twelve days; and a run much longer than 100 points seldom completes (the
        /// profiles learn meanwhile and the residual falls back), so it acts like 0.
        package var shiftConfirmation: Int = 48
        /// The time the confirming run must also span (milliseconds). A burst is a duration, not a
        /// point count: on minute data 48 points are 48 minutes, and a burst longer than that was
        /// re-based and then paged again when it ended. Eight hours: 96 points of 5-minute data
        /// (still inside the ~110-point run a doubling leaves), while hourly data is bound by the 48
        /// points. Cross-validated: 6 to 12 hours score alike, 4 hours no better than none
        /// (docs/detection-experiments.md).
        package var shiftConfirmationMilliseconds: Int64 = 8 * 3_600_000
        /// How far from its own mean, in scaled MADs of the residuals, a weekly bin learns an
        /// observation: a value beyond is learnt clipped to that distance (0 learns it whole). A weekly
        /// bin of hourly data sees one observation a week and averages its first twenty, so a fault
        /// learnt whole is half of the bin's expectation the week after, and the normal value at that
        /// hour pages as a drop ("echo"), week after week. Sixty MADs (twelve times the alarm level)
        /// still let a weekly pattern that is real in: a new weekly job stops paging as fast as
        /// before. Chosen by category-left-out cross-validation over NAB and cloudmon: NAB +0.6,
        /// cloudmon +1.0 left-out, every standard fold choosing it (docs/detection-experiments.md).
        package var weeklyReach: Double = 60
        /// The least residual scale of a series whose values have all been whole numbers (counts,
        /// replicas, queue depths, integer percentages): the standard deviation that rounding to whole
        /// numbers adds by itself, 1/√12 of the step (Sheppard's correction). Such a series' MAD is often
        /// the jitter of its profile around the value it mostly holds, so one step (a replica more, an 11
        /// where it is mostly 10) scored as a dozen sigmas and paged every few hours; at 1/√12 one step is
        /// 3.5 scales, two steps page. Only once the series has moved: a whole-number series that was
        /// constant until now has shown no spread, and its first move still pages. 0 turns it off. Chosen by category-left-out cross-validation over
        /// NAB and cloudmon: every profile of both corpora gains, and the folds choose it
        /// (docs/detection-experiments.md).
        package var integerScale: Double = 1 / 12.0.squareRoot()

        /// The defaults.
        package init() {}

        func validated() throws -> Parameters {
            let name = SeasonalDetector.name
            guard binMinutes > 0, (24 * 60) % binMinutes == 0 else {
                throw DetectionError.invalidParameter(detector: name, parameter: "bin_minutes", reason: "must divide a day (1440 minutes)")
            }
            guard adaptation > 0, adaptation <= 1 else { throw DetectionError.invalidParameter(detector: name, parameter: "adaptation", reason: "must lie in (0, 1]") }
            guard minimumPeriods >= 1 else { throw DetectionError.invalidParameter(detector: name, parameter: "minimum_periods", reason: "must be at least 1") }
            guard window >= 3 else { throw DetectionError.invalidParameter(detector: name, parameter: "window", reason: "must be at least 3") }
            guard shiftConfirmation >= 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "shift_confirmation", reason: "must not be negative") }
            guard shiftConfirmationMilliseconds >= 0 else {
                throw DetectionError.invalidParameter(detector: name, parameter: "shift_confirmation_span", reason: "must not be negative")
            }
            guard weeklyReach >= 0, weeklyReach.isFinite else {
                throw DetectionError.invalidParameter(detector: name, parameter: "weekly_reach", reason: "must be finite and not negative")
            }
            guard integerScale >= 0, integerScale.isFinite else {
                throw DetectionError.invalidParameter(detector: name, parameter: "integer_scale", reason: "must be finite and not negative")
            }
            guard sigmas > 0 else { throw DetectionError.invalidParameter(detector: name, parameter: "sigmas", reason: "must be positive") }
            guard (0...1).contains(threshold) else { throw DetectionError.invalidParameter(detector: name, parameter: "threshold", reason: "must lie in [0, 1]") }
            return self
        }
    }

    package static let name = "seasonal"
    /// Version 5 adds whether every value so far was a whole number (earlier versions restore as not).
    private static let stateVersion: UInt8 = 5
    private static let day: Int64 = 86_400_000
    private static let week: Int64 = 7 * 86_400_000

    /// The parameters this detector runs with.
    package let parameters: Parameters
    package var threshold: Double { parameters.threshold }

    private var dailyMean: [Double]
    private var dailyCount: [Double]
    private var weeklyMean: [Double]
    private var weeklyCount: [Double]
    private var level = 0.0
    private var levelCount = 0.0
    private var firstTimestamp: Int64 = 0
    private var seenAny = false
    private var residuals: SortedWindow
    /// The level shift learnt so far: the profiles and level live in the series' frame before every
    /// confirmed shift, and the expectation adds this.
    private var offset = 0.0
    /// Consecutive points beyond `sigmas` on one side (sign gives the side), their residual sum, and
    /// when the run began.
    private var shiftRun = 0
    private var shiftSum = 0.0
    private var shiftStart: Int64 = 0
    /// Whether every finite value so far was a whole number (`integerScale` applies while it holds).
    private var integral = true

    /// A detector with validated parameters.
    package init(_ parameters: Parameters = Parameters()) throws {
        self.parameters = try parameters.validated()
        let binsPerDay = 24 * 60 / parameters.binMinutes
        dailyMean = [Double](repeating: 0, count: binsPerDay)
        dailyCount = [Double](repeating: 0, count: binsPerDay)
        weeklyMean = [Double](repeating: 0, count: binsPerDay * 7)
        weeklyCount = [Double](repeating: 0, count: binsPerDay * 7)
        residuals = SortedWindow(capacity: parameters.window)
    }

    /// The expected value at a timestamp from the profile currently in use, or nil before any point.
    package func expectedValue(at timestamp: Int64) -> Double? {
        guard seenAny else { return nil }
        return expectation(at: timestamp).value
    }

    /// Whether the series has been seen long enough for its daily profile (`minimumPeriods` days): before,
    /// the expectation is mostly the running level, which a daily cycle or one spike pulls along and
    /// the residuals then trail for hours.
    func profileSpanReached(at timestamp: Int64) -> Bool {
        seenAny && elapsed(timestamp, since: firstTimestamp) >= Int64(parameters.minimumPeriods) * Self.day
    }

    private func expectation(at timestamp: Int64) -> (value: Double, weeklyBin: Int, dailyBin: Int) {
        let (weeklyBin, dailyBin) = bins(of: timestamp)
        return expectation(at: timestamp, weeklyBin: weeklyBin, dailyBin: dailyBin)
    }

    /// The weekly and daily bin of a timestamp (UTC; the Unix epoch began on a Thursday, which only
    /// rotates the weekly bins).
    private func bins(of timestamp: Int64) -> (weekly: Int, daily: Int) {
        let binWidth = Int64(parameters.binMinutes) * 60_000
        let weekPhase = ((timestamp % Self.week) + Self.week) % Self.week
        let weeklyBin = Int(weekPhase / binWidth)
        return (weeklyBin, weeklyBin % dailyMean.count)
    }

    private func expectation(at timestamp: Int64, weeklyBin: Int, dailyBin: Int) -> (value: Double, weeklyBin: Int, dailyBin: Int) {
        let span = elapsed(timestamp, since: firstTimestamp)
        let periods = Double(parameters.minimumPeriods)
        if span >= Int64(parameters.minimumPeriods) * Self.week, weeklyCount[weeklyBin] >= periods {
            return (weeklyMean[weeklyBin], weeklyBin, dailyBin)
        }
        if span >= Int64(parameters.minimumPeriods) * Self.day, dailyCount[dailyBin] >= periods {
            return (dailyMean[dailyBin], weeklyBin, dailyBin)
        }
        return (level, weeklyBin, dailyBin)
    }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        run(timestamps: timestamps, values: values, scores: scores, band: nil)
    }

    /// Half-width of the expected band, in residual scales: the usual 3σ of "expected", well inside
    /// the member's alarm (`sigmas`, 5) and its sustained level (0.7 of it), so a point this member
    /// flags always lies outside the band it reports.
    static let bandScales = 3.0

    package var reportsExpectedBand: Bool { true }

    package mutating func score(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>,
        expectedLow: UnsafeMutableBufferPointer<Double>,
        expectedHigh: UnsafeMutableBufferPointer<Double>
    ) {
        run(timestamps: timestamps, values: values, scores: scores, band: (expectedLow, expectedHigh))
    }

    private mutating func run(
        timestamps: UnsafeBufferPointer<Int64>,
        values: UnsafeBufferPointer<Double>,
        scores: UnsafeMutableBufferPointer<Double>,
        band: (low: UnsafeMutableBufferPointer<Double>, high: UnsafeMutableBufferPointer<Double>)?
    ) {
        let minimum = max(3, min(parameters.minimumPoints, parameters.window))
        let alpha = parameters.adaptation
        // From this many observations on, 1/n is below the adaptation weight and the mean is
        // exponential; before it, a running average.
        let settled = 1 / alpha
        let binWidth = Int64(parameters.binMinutes) * 60_000
        var binStart = Int64.max - binWidth
        var cachedWeeklyBin = 0
        var cachedDailyBin = 0
        let confirmation = parameters.shiftConfirmation
        let weeklyReach = parameters.weeklyReach
        for index in 0..<values.count {
            let observed = values[index]
            if let band {
                band.low[index] = .nan
                band.high[index] = .nan
            }
            guard observed.isFinite else { scores[index] = 0; continue }
            if integral && observed.rounded() != observed { integral = false }
            let timestamp = timestamps[index]
            if !seenAny {
                seenAny = true
                firstTimestamp = timestamp
                level = observed
            }
            // Consecutive points usually share a bin: reuse it instead of three integer divisions.
            if timestamp < binStart || elapsed(timestamp, since: binStart) >= binWidth {
                (cachedWeeklyBin, cachedDailyBin) = bins(of: timestamp)
                binStart = timestamp &- ((timestamp % binWidth) + binWidth) % binWidth
            }
            let (profiled, weeklyBin, dailyBin) = expectation(at: timestamp, weeklyBin: cachedWeeklyBin, dailyBin: cachedDailyBin)
            let residual = observed - (profiled + offset)
            // How far the weekly bin may learn from its mean: unbounded until the scale is known.
            var reach = Double.infinity
            if residuals.count >= minimum {
                let (median, mad) = residuals.medianAndMAD()
                // The integer floor only where the residuals vary: a whole-number series that has never moved
                // has shown no spread at all, and its first move is the infinite deviation it always was.
                let spreadOfResiduals = residuals.standardDeviation
                let scale = max(mad * MADDetector.normalConsistency, parameters.scaleFloor * spreadOfResiduals,
                                integral && spreadOfResiduals > 0 ? parameters.integerScale : 0)
                // In scaled MADs: the standard-deviation floor of `scale` grows with the fault itself and
                // would let most of it in. A series without a MAD (quantised) uses its floored scale.
                if weeklyReach > 0 { reach = weeklyReach * (mad > 0 ? mad * MADDetector.normalConsistency : scale) }
                let deviation = standardised(Swift.abs(residual - median), by: scale)
                scores[index] = deviationScore(deviation, scale: parameters.sigmas)
                if let band {
                    let center = profiled + offset + median
                    band.low[index] = center - Self.bandScales * scale
                    band.high[index] = center + Self.bandScales * scale
                }
                // Half the alarm level: while the run lasts the profiles are already learning the new
                // level, so the residual shrinks and would break a run held to the full `sigmas`.
                if confirmation > 0 { noteShift(residual - median, beyond: deviation >= parameters.sigmas / 2, confirmation: confirmation, at: timestamp) }
            } else if residuals.count >= Self.shortHistoryMinimum {
                // Before `minimum` residuals the scale is a guess: judged as a small sample, so only a
                // deviation far beyond what a few points can explain scores (a live series with two
                // minutes of 15 s samples still pages for a jump of twenty spreads).
                let (median, mad) = residuals.medianAndMAD()
                let sampleSpread = residuals.sampleStandardDeviation
                let spread = max(mad * MADDetector.normalConsistency, sampleSpread, integral && sampleSpread > 0 ? parameters.integerScale : 0)
                let deviation = Self.smallSampleDeviation(Swift.abs(residual - median), scale: spread, count: residuals.count)
                scores[index] = deviationScore(deviation, scale: parameters.sigmas)
            } else {
                scores[index] = 0
            }
            residuals.push(residual)
            // Profiles and level learn in the frame before every confirmed shift.
            let value = observed - offset
            // Bin means start as plain averages and settle into exponential weighting, so the first
            // periods are not dominated by the very first observation.
            dailyCount[dailyBin] += 1
            dailyMean[dailyBin] += (value - dailyMean[dailyBin]) * (dailyCount[dailyBin] < settled ? 1 / dailyCount[dailyBin] : alpha)
            // The weekly bin learns at most `reach` from its own mean (an empty bin learns the value).
            let weeklyValue = weeklyCount[weeklyBin] > 0
                ? min(max(value, weeklyMean[weeklyBin] - reach), weeklyMean[weeklyBin] + reach)
                : value
            weeklyCount[weeklyBin] += 1
            weeklyMean[weeklyBin] += (weeklyValue - weeklyMean[weeklyBin]) * (weeklyCount[weeklyBin] < settled ? 1 / weeklyCount[weeklyBin] : alpha)
            levelCount += 1
            level += (value - level) * (levelCount < settled ? 1 / levelCount : alpha)
        }
    }

    /// Residuals needed before a point is scored at all: with fewer, even the small-sample rule below
    /// could not tell a jump from the spread.
    static let shortHistoryMinimum = 3

    /// The deviation, on the normal scale the steady-state score uses, of a point `distance` from the
    /// median of only `count` earlier residuals whose spread is estimated as `scale`.
    ///
    /// A new point against a mean and scale estimated from n points follows Student's t with n − 1
    /// degrees of freedom (the prediction interval widened by √(1 + 1/n)); Wallace's (1959)
    /// approximation turns t into the normal deviate with the same upper tail, so the member's one
    /// threshold keeps its false-alarm rate however short the history. With 3 residuals a point must
    /// be thousands of spreads away to reach 5 sigmas, with 8 about 19, with 29 about 6.5. No spread
    /// at all (a few equal values) is no evidence yet: 0.
    static func smallSampleDeviation(_ distance: Double, scale: Double, count: Int) -> Double {
        guard count >= 2, scale > 0, distance > 0 else { return 0 }
        let freedom = Double(count - 1)
        let t = distance / (scale * (1 + 1 / Double(count)).squareRoot())
        if t.isInfinite { return .infinity }
        return (8 * freedom + 1) / (8 * freedom + 3) * (freedom * log1p(t * t / freedom)).squareRoot()
    }

    /// Counts a run of same-side deviations beyond half of `sigmas`; a run of `confirmation` points
    /// spanning `shiftConfirmationMilliseconds` is a level shift: the expectation moves by the run's
    /// mean residual, and the residual window forgets the old level so the new one is judged by the
    /// series' usual spread, not by the jump.
    private mutating func noteShift(_ residual: Double, beyond: Bool, confirmation: Int, at timestamp: Int64) {
        guard beyond, residual.isFinite, residual != 0 else { shiftRun = 0; shiftSum = 0; return }
        let side = residual > 0 ? 1 : -1
        if shiftRun == 0 || (shiftRun > 0) != (side > 0) { shiftRun = 0; shiftSum = 0; shiftStart = timestamp }
        shiftRun += side
        shiftSum += residual
        guard Swift.abs(shiftRun) >= confirmation,
              elapsed(timestamp, since: shiftStart) >= parameters.shiftConfirmationMilliseconds else { return }
        let shift = shiftSum / Double(Swift.abs(shiftRun))
        offset += shift
        residuals.shiftAll(by: -shift, last: Swift.abs(shiftRun))
        shiftRun = 0
        shiftSum = 0
    }

    package func saveState() throws -> [UInt8] { state(layout: Self.stateVersion) }

    /// The state in the current layout, or in layout 4 (without `integral`) or 3 (the same fields written
    /// whole): the tests' way to make the states older versions saved, which must still restore.
    func state(layout: UInt8) -> [UInt8] {
        let compact = layout >= 4
        var writer = StateWriter(tag: Self.name, version: compact ? min(layout, Self.stateVersion) : 3)
        writer.write(parameters.binMinutes)
        if compact {
            ProfileCoding.write(mean: dailyMean, count: dailyCount, to: &writer)
            ProfileCoding.write(mean: weeklyMean, count: weeklyCount, to: &writer)
        } else {
            for profile in [dailyMean, dailyCount, weeklyMean, weeklyCount] { writer.write(profile) }
        }
        writer.write(level)
        writer.write(levelCount)
        writer.write(firstTimestamp)
        writer.write(seenAny)
        if compact { residuals.writeCompact(to: &writer) } else { residuals.write(to: &writer) }
        writer.write(offset)
        writer.write(shiftRun)
        writer.write(shiftSum)
        writer.write(shiftStart)
        if layout >= 5 { writer.write(integral) }
        return writer.bytes
    }

    package mutating func restoreState(_ bytes: [UInt8]) throws {
        // Version 4 is version 3 encoded compactly (profiles and residual window); version 5 adds `integral`. Version 1 (before
        // level-shift re-basing) lacks the three shift fields: it restores with none. Version 2 lacks
        // the run's start: a run in progress then counts as long enough in time.
        let version: UInt8 = [Self.stateVersion, 4, 3, 2].first { (try? StateReader(bytes, tag: Self.name, version: $0)) != nil } ?? 1
        let compact = version >= 4
        let current = version >= 2
        var reader = try StateReader(bytes, tag: Self.name, version: version)
        let binMinutes = try reader.readInt()
        guard binMinutes == parameters.binMinutes else {
            throw DetectionError.stateMismatch(detector: Self.name, reason: "saved with \(binMinutes)-minute bins, configured \(parameters.binMinutes)")
        }
        let dailyMean, dailyCount, weeklyMean, weeklyCount: [Double]
        if compact {
            (dailyMean, dailyCount) = try ProfileCoding.read(bins: self.dailyMean.count, from: &reader)
            (weeklyMean, weeklyCount) = try ProfileCoding.read(bins: self.weeklyMean.count, from: &reader)
        } else {
            (dailyMean, dailyCount) = (try reader.readDoubles(), try reader.readDoubles())
            (weeklyMean, weeklyCount) = (try reader.readDoubles(), try reader.readDoubles())
        }
        let level = try reader.readDouble()
        let levelCount = try reader.readDouble()
        let first = try reader.readInt64()
        let seen = try reader.readBool()
        let residuals = compact ? try SortedWindow.readCompact(from: &reader, capacity: parameters.window, owner: Self.name)
            : try SortedWindow.read(from: &reader, capacity: parameters.window, owner: Self.name)
        let offset = current ? try reader.readDouble() : 0
        let shiftRun = current ? try reader.readInt() : 0
        let shiftSum = current ? try reader.readDouble() : 0
        let shiftStart = version >= 3 ? try reader.readInt64() : Int64.min
        // A state from before version 5 does not say whether its values were whole: not, so a series
        // already watched keeps the scale it had (a fractional series must never get the integer floor).
        let integral = version >= 5 ? try reader.readBool() : false
        try reader.finish()
        guard dailyMean.count == self.dailyMean.count, dailyCount.count == dailyMean.count,
              weeklyMean.count == self.weeklyMean.count, weeklyCount.count == weeklyMean.count else {
            throw DetectionError.stateMismatch(detector: Self.name, reason: "profile sizes differ")
        }
        (self.dailyMean, self.dailyCount, self.weeklyMean, self.weeklyCount) = (dailyMean, dailyCount, weeklyMean, weeklyCount)
        (self.level, self.levelCount, self.firstTimestamp, self.seenAny, self.residuals) = (level, levelCount, first, seen, residuals)
        (self.offset, self.shiftRun, self.shiftSum, self.shiftStart) = (offset, shiftRun, shiftSum, shiftStart)
        self.integral = integral
    }
}
