import AuroraCore
import Foundation
import Testing
@testable import AuroraDetection

/// The stuck-value detector: a frozen series fires once, near the freeze; series whose runs of one
/// value are routine (constant, night zeros, sparse events, a slow counter) never do.
struct StuckDetectorTests {
    /// A daily sine of 30 ± 5 with noise σ 2 on 5-minute data; from `freeze` the value stays at its
    /// last reading for `frozen` points.
    static func frozenNoise(seed: UInt64, count: Int = 3_000, freeze: Int = 2_000, frozen: Int = 200) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        var values: [Double] = []
        for index in 0..<count {
            if (freeze..<freeze + frozen).contains(index) {
                values.append(values[freeze - 1])
            } else {
                let phase = 2 * Double.pi * Double(index % ConstructedSeries.pointsPerDay) / Double(ConstructedSeries.pointsPerDay)
                values.append(30 + 5 * sin(phase) + 2 * generator.nextNormal())
            }
        }
        return values
    }

    /// Thirty days of a count series that is busy by day and almost silent at night (tweets about a
    /// small company): its zeros run for hours every night, longer some nights than others.
    static func nightZeros(seed: UInt64) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        let perDay = ConstructedSeries.pointsPerDay
        return (0..<30 * perDay).map { index in
            let phase = 2 * Double.pi * Double(index % perDay) / Double(perDay)
            // 6 an interval at midday, 0.02 from dusk to dawn.
            let rate = max(0.02, -6 * cos(phase))
            return generator.nextPoisson(mean: rate)
        }
    }

    static func parameters(_ change: (inout StuckDetector.Parameters) -> Void) -> StuckDetector.Parameters {
        var parameters = StuckDetector.Parameters()
        change(&parameters)
        return parameters
    }

    static func scores(_ values: [Double], timestamps: [Int64]? = nil) throws -> [Double] {
        try ConstructedSeries.scores(StuckDetector.name, values, timestamps: timestamps)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func aFrozenNoisySeriesFiresOnceNearTheFreeze(seed: UInt64) throws {
        let scores = try Self.scores(Self.frozenNoise(seed: seed))
        let fired = ConstructedSeries.flagged(scores)
        // The run starts with the last live reading (1,999); it qualifies at four points and 15 minutes.
        #expect(fired.count == 1, "seed \(seed): fired at \(fired)")
        #expect(fired.allSatisfy { (2_000...2_006).contains($0) }, "seed \(seed): fired at \(fired)")
        #expect(scores.allSatisfy { $0 == 0 || $0 >= 0.5 }, "one score per run, at its onset")
    }

    @Test
    func aFreezeThatRecursRaisesTheYardstickInsteadOfPagingForever() throws {
        // The same 2-hour freeze every day: it pages the first days, then it is what the series does.
        var values = Self.frozenNoise(seed: 9, count: 12 * ConstructedSeries.pointsPerDay, freeze: 400, frozen: 0)
        for day in 2..<12 {
            let start = day * ConstructedSeries.pointsPerDay + 100
            for index in start..<start + 24 { values[index] = values[start - 1] }
        }
        let fired = ConstructedSeries.flagged(try Self.scores(values))
        #expect(!fired.isEmpty)
        #expect(fired.count <= 3, "fired at \(fired)")
    }

    @Test
    func aSeriesConstantFromItsStartNeverFires() throws {
        #expect(ConstructedSeries.flagged(try Self.scores([Double](repeating: 42, count: 5_000))).isEmpty)
        // A few changes do not tell how long this series' runs usually are either.
        var steps = [Double](repeating: 7, count: 5_000)
        for index in stride(from: 100, to: 5_000, by: 200) { steps[index] = 8 }
        #expect(ConstructedSeries.flagged(try Self.scores(steps)).isEmpty)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func nightZerosOfACountSeriesNeverFire(seed: UInt64) throws {
        let values = Self.nightZeros(seed: seed)
        let fired = ConstructedSeries.flagged(try Self.scores(values))
        #expect(fired.isEmpty, "seed \(seed): fired at \(fired)")
    }

    /// The same count series, its collector frozen at a daytime reading for six hours: judged against
    /// the night's zero runs it would fire only after three nights' worth (about a day), so not at all;
    /// runs of zero have their own yardstick, so it fires within two hours (three times the longest
    /// run of one daytime value, a few 1s at dusk).
    @Test(arguments: [1, 2, 3] as [UInt64])
    func aCountSeriesWithNightZerosThatFreezesByDayFiresWithinTwoHours(seed: UInt64) throws {
        var values = Self.nightZeros(seed: seed)
        let perDay = ConstructedSeries.pointsPerDay
        // Day 20 at noon: the value of that point holds for six hours.
        let freeze = 20 * perDay + perDay / 2
        var reading = values[freeze - 1]
        if reading == 0 { reading = 5 }
        for index in freeze..<freeze + perDay / 4 { values[index] = reading }
        let fired = ConstructedSeries.flagged(try Self.scores(values))
        #expect(fired.count == 1 && (freeze..<freeze + 24).contains(fired[0]), "seed \(seed): fired at \(fired), freeze at \(freeze)")
    }

    /// A state saved with one yardstick for every run (the first release) still restores, and then
    /// judges as that release did until its runs leave the horizon.
    @Test
    func aStateOfTheFirstLayoutRestores() throws {
        let values = Self.nightZeros(seed: 4)
        let timestamps = ConstructedSeries.timestamps(values.count)
        var first: any Detector = try StuckDetector()
        _ = ConstructedSeries.score(&first, Array(timestamps[..<3_000]), Array(values[..<3_000]))
        let saved = try #require(first as? StuckDetector)
        var restored = try StuckDetector()
        try restored.restoreState(saved.state(layout: 1))
        #expect(restored.longest == saved.longest)
        #expect(restored.longestAtZero == saved.longest)
        #expect(restored.runLength == saved.runLength)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func zerosBetweenSparseEventsNeverFire(seed: UInt64) throws {
        // Crash counts: an hourly series that is 0 except for a crash every day or two.
        var generator = Xoshiro256(seed: seed)
        let values = (0..<2_000).map { _ in generator.nextUnit() < 0.03 ? Double(1 + generator.next() % 50) : 0 }
        let hourly = (0..<2_000).map { ConstructedSeries.start + Int64($0) * 3_600_000 }
        #expect(ConstructedSeries.flagged(try Self.scores(values, timestamps: hourly)).isEmpty)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aSlowCounterNeverFires(seed: UInt64) throws {
        // A cumulative counter of rare events: it moves every few points, by chance more slowly at times.
        var generator = Xoshiro256(seed: seed)
        var total = 1_000.0
        let values = (0..<8_000).map { _ in
            total += generator.nextPoisson(mean: 0.3)
            return total
        }
        #expect(ConstructedSeries.flagged(try Self.scores(values)).isEmpty)
    }

    @Test
    func aGapInTheDataNeitherEndsNorExtendsARun() throws {
        var values = Self.frozenNoise(seed: 3, freeze: 2_000, frozen: 200)
        // Missing points inside the freeze, then the freeze goes on: one run, one alarm.
        for index in 2_001..<2_003 { values[index] = .nan }
        let scores = try Self.scores(values)
        let fired = ConstructedSeries.flagged(scores)
        #expect(fired.count == 1, "fired at \(fired)")
        #expect(fired.allSatisfy { (2_003...2_010).contains($0) }, "fired at \(fired)")
        #expect(scores[2_001] == 0 && scores[2_002] == 0)
    }

    @Test(arguments: [1, 1_999, 2_003, 2_100, 2_999])
    func savingAndRestoringInTwoHalvesEqualsOneRun(cut: Int) throws {
        let run = try ConstructedSeries.oneRunAndTwoHalves(StuckDetector.name, Self.frozenNoise(seed: 4), cut: cut)
        #expect(run.halves == run.whole)
        #expect(run.halvesState == run.wholeState)
    }

    @Test
    func aStateThatContradictsItselfIsRefused() throws {
        var detector = try StuckDetector()
        var fresh = try StuckDetector()
        try fresh.restoreState(try detector.saveState())
        var writer = StateWriter(tag: StuckDetector.name, version: 1)
        RecentMaximum(horizon: StuckDetector.Parameters().horizon).write(to: &writer)
        writer.write(Double.nan)   // no value…
        writer.write(5)            // …but five points in the run
        writer.write(Int64(0))
        writer.write(0)
        writer.write(0)
        writer.write(0)
        #expect(throws: DetectionError.self) { try detector.restoreState(writer.bytes) }
        var other = try StuckDetector(Self.parameters { $0.horizon = 1_600 })
        #expect(throws: DetectionError.self) { try other.restoreState(try fresh.saveState()) }
    }

    @Test
    func hostileInputNeverCrashesAndScoresStayInRange() throws {
        let (timestamps, values) = ConstructedSeries.hostile()
        let scores = try Self.scores(values, timestamps: timestamps)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test
    func parametersOutOfRangeAreRefused() {
        #expect(throws: DetectionError.self) { try StuckDetector(Self.parameters { $0.multiple = 0.5 }) }
        #expect(throws: DetectionError.self) { try StuckDetector(Self.parameters { $0.multiple = .nan }) }
        #expect(throws: DetectionError.self) { try StuckDetector(Self.parameters { $0.horizon = 3 }) }
        #expect(throws: DetectionError.self) { try StuckDetector(Self.parameters { $0.minimumPoints = 1 }) }
        #expect(throws: DetectionError.self) { try StuckDetector(Self.parameters { $0.threshold = 2 }) }
    }

    @Test
    func inTheEnsembleItVotesAloneAndItsEventIsKept() throws {
        // As a decisive member its onset alone makes the point anomalous; the seasonal member is
        // quiet there, and an average with it would never reach the threshold.
        let values = Self.frozenNoise(seed: 2)
        let series = Series(key: SeriesKey(name: "temperature"), timestamps: ConstructedSeries.timestamps(values.count), values: values)
        let run = try DetectionRun(detectors: ["seasonal", "stuck"], emitScores: true)
        #expect(try run.ensemble(for: series.key).members.map(\.decisive) == [false, true])
        let result = try run.run(series)
        let stuckEvents = result.events.filter { $0.detectors.contains(StuckDetector.name) }
        #expect(stuckEvents.count == 1)
        #expect(stuckEvents.allSatisfy { (series.timestamps[2_000]...series.timestamps[2_006]).contains($0.start) })
        let plain = try DetectionRun(emitScores: true).run(series)
        #expect(!plain.events.contains { (series.timestamps[2_000]...series.timestamps[2_199]).contains($0.start) })
    }
}
