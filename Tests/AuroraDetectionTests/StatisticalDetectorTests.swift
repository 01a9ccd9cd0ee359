import AuroraCore
import Testing
@testable import AuroraDetection

/// Every statistical detector on the same constructed series: what it must flag and what it must not.
struct StatisticalDetectorTests {
    static let names = ["zscore", "mad", "percentile", "seasonal"]

    @Test(arguments: names)
    func flagsASpikeAndLittleElse(name: String) throws {
        let scores = try ConstructedSeries.scores(name, ConstructedSeries.spike(at: 2_000))
        #expect(scores[2_000] >= 0.5, "\(name) missed the spike")
        // Gaussian noise still produces the odd 4–5σ point; a handful in 2000 is the allowance.
        #expect(ConstructedSeries.flagged(scores, in: 100..<2_000).count <= 5)
    }

    @Test(arguments: names)
    func flagsALevelShiftWhereItStarts(name: String) throws {
        let scores = try ConstructedSeries.scores(name, ConstructedSeries.levelShift(at: 2_000))
        #expect(!ConstructedSeries.flagged(scores, in: 2_000..<2_003).isEmpty, "\(name) missed the level shift")
        #expect(ConstructedSeries.flagged(scores, in: 100..<2_000).count <= 5)
    }

    @Test(arguments: names)
    func doesNotFlagASlowDrift(name: String) throws {
        let scores = try ConstructedSeries.scores(name, ConstructedSeries.slowDrift())
        #expect(ConstructedSeries.flagged(scores, in: 100..<3_000).count <= 8, "\(name) flags a slow drift")
    }

    /// The band `seasonal` reports is the usual value at that time of day: on a daily sine it follows
    /// the cycle (narrow, around the hour's value) instead of spanning the whole day; a gap has none.
    @Test
    func seasonalReportsTheExpectedBandAtEachHour() throws {
        var values = ConstructedSeries.seasonal()
        let perDay = ConstructedSeries.pointsPerDay
        values[5 * perDay + 1] = .nan
        let timestamps = (0..<values.count).map { ConstructedSeries.start + Int64($0) * ConstructedSeries.step }
        var detector = try SeasonalDetector()
        var scores = [Double](repeating: 0, count: values.count)
        var low = scores
        var high = scores
        timestamps.withUnsafeBufferPointer { times in
            values.withUnsafeBufferPointer { points in
                scores.withUnsafeMutableBufferPointer { scored in
                    low.withUnsafeMutableBufferPointer { lows in
                        high.withUnsafeMutableBufferPointer { highs in
                            detector.score(timestamps: times, values: points, into: scored, expectedLow: lows, expectedHigh: highs)
                        }
                    }
                }
            }
        }
        #expect(low[0].isNaN && high[0].isNaN, "no band before the scale is known")
        #expect(low[5 * perDay + 1].isNaN, "no band for a gap")
        let dailySwing = values[(3 * perDay)..<(4 * perDay)].max()! - values[(3 * perDay)..<(4 * perDay)].min()!
        for index in stride(from: 4 * perDay, to: 5 * perDay, by: perDay / 8) {
            #expect(low[index] < values[index] && values[index] < high[index], "point \(index)")
            #expect(high[index] - low[index] < dailySwing / 2, "the band at \(index) is the hour's, not the day's")
        }
    }

    /// The small-sample rule against Student's t tables: with 7 degrees of freedom t = 3.0 leaves 1 %
    /// in the upper tail, the normal deviate 2.326; with 29 degrees, t = 2.462 leaves 1 % too. Fewer
    /// points make the same distance less unusual, and many points make it the plain ratio.
    @Test
    func aShortHistoryIsJudgedAsASmallSample() {
        func deviation(t: Double, count: Int) -> Double {
            SeasonalDetector.smallSampleDeviation(t * (1 + 1 / Double(count)).squareRoot(), scale: 1, count: count)
        }
        #expect(Swift.abs(deviation(t: 3.0, count: 8) - 2.326) < 0.01)
        #expect(Swift.abs(deviation(t: 2.462, count: 30) - 2.326) < 0.01)
        #expect(deviation(t: 10, count: 4) < deviation(t: 10, count: 8))
        #expect(deviation(t: 10, count: 8) < deviation(t: 10, count: 29))
        #expect(Swift.abs(deviation(t: 5, count: 10_000) - 5) < 0.01)
        #expect(SeasonalDetector.smallSampleDeviation(5, scale: 0, count: 8) == 0, "equal values so far are no evidence")
        #expect(SeasonalDetector.smallSampleDeviation(.infinity, scale: 1, count: 8) == .infinity)
    }

    @Test
    func seasonalFlagsTheBrokenDayAndNotTheNormalOnes() throws {
        let perDay = ConstructedSeries.pointsPerDay
        let scores = try ConstructedSeries.scores("seasonal", ConstructedSeries.seasonal())
        #expect(ConstructedSeries.flagged(scores, in: 9 * perDay..<10 * perDay).count >= 20)
        #expect(ConstructedSeries.flagged(scores, in: 3 * perDay..<9 * perDay).count <= 5)
    }

    @Test(arguments: ["zscore", "mad", "percentile"])
    func plainDetectorsDoNotMistakeTheDailyCycleForAnomalies(name: String) throws {
        let perDay = ConstructedSeries.pointsPerDay
        let scores = try ConstructedSeries.scores(name, ConstructedSeries.seasonal(brokenDay: nil))
        #expect(ConstructedSeries.flagged(scores, in: 3 * perDay..<12 * perDay).count <= 5)
    }

    @Test(arguments: names)
    func aFlatLineAtTheUsualLevelIsNotAPointAnomaly(name: String) throws {
        // A stuck metric at its normal value has no deviating point; only the seasonal detector can
        // see it, and only when the series has a cycle (the broken-day test).
        var values = ConstructedSeries.noise(3_000)
        for index in 2_000..<3_000 { values[index] = 100 }
        let scores = try ConstructedSeries.scores(name, values)
        #expect(ConstructedSeries.flagged(scores, in: 2_000..<3_000).isEmpty)
    }

    @Test
    func theStuckDetectorSeesTheFlatLineThePointDetectorsCannot() throws {
        // The same series: noise that stops moving. What is anomalous is the behaviour, once.
        var values = ConstructedSeries.noise(3_000)
        for index in 2_000..<3_000 { values[index] = 100 }
        let scores = try ConstructedSeries.scores(StuckDetector.name, values)
        #expect(ConstructedSeries.flagged(scores) == [2_003])
    }

    @Test(arguments: names)
    func constantValuesScoreZeroUntilTheyChange(name: String) throws {
        var values = [Double](repeating: 42, count: 1_500)
        values[1_200] = 43
        let scores = try ConstructedSeries.scores(name, values)
        #expect(scores[0..<1_200].allSatisfy { $0 == 0 })
        #expect(scores[1_200] >= 0.5, "\(name): a constant series that changes is anomalous")
    }

    @Test(arguments: names)
    func nanGapsScoreZeroAndDoNotPoisonLaterScores(name: String) throws {
        var values = ConstructedSeries.spike(at: 2_500)
        for index in 1_000..<1_100 { values[index] = .nan }
        let scores = try ConstructedSeries.scores(name, values)
        #expect(scores.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 })
        #expect(scores[1_000..<1_100].allSatisfy { $0 == 0 })
        #expect(scores[2_500] >= 0.5)
        #expect(ConstructedSeries.flagged(scores, in: 1_100..<2_500).count <= 5)
    }

    @Test(arguments: names)
    func scoringInTwoHalvesWithSaveAndRestoreEqualsScoringAtOnce(name: String) throws {
        let values = ConstructedSeries.seasonal(days: 16)
        let timestamps = ConstructedSeries.timestamps(values.count)
        let whole = try ConstructedSeries.scores(name, values)
        let cut = 2_345
        var first = try DetectorRegistry.standard.make(name, settings: DetectionSettings())
        let head = ConstructedSeries.score(&first, Array(timestamps[..<cut]), Array(values[..<cut]))
        let state = try first.saveState()
        var second = try DetectorRegistry.standard.make(name, settings: DetectionSettings())
        try second.restoreState(state)
        let tail = ConstructedSeries.score(&second, Array(timestamps[cut...]), Array(values[cut...]))
        #expect(head + tail == whole)
    }

    @Test
    func restoringAnotherDetectorsStateFails() throws {
        let zscore = try RollingZScoreDetector()
        var mad = try MADDetector()
        #expect(throws: DetectionError.self) { try mad.restoreState(try zscore.saveState()) }
        #expect(throws: DetectionError.self) { try mad.restoreState([1, 2, 3]) }
    }

    @Test
    func invalidParametersAreRejected() {
        var parameters = MADDetector.Parameters()
        parameters.window = 1
        #expect(throws: DetectionError.self) { try MADDetector(parameters) }
        #expect(throws: DetectionError.self) { try DetectorRegistry.standard.make("nope", settings: DetectionSettings()) }
    }
}
