import AuroraCore
import Foundation
import Testing
@testable import AuroraDetection

/// The drift detector: a lasting shift too small for any point to show, and a slow decline, fire
/// once, early; noise, a daily cycle and routine spikes never do.
struct DriftDetectorTests {
    /// Two weeks of 5-minute latency, 100 ± 5 ms, that moves by `shift` from point 3,000 and stays.
    static func latency(seed: UInt64, shift: Double, count: Int = 4_032) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        return (0..<count).map { 100 + 5 * generator.nextNormal() + ($0 >= 3_000 ? shift : 0) }
    }

    /// A machine temperature of 85 ± 1.5 that falls 15 degrees over 25 hours from point 3,000, then holds.
    static func decline(seed: UInt64, count: Int = 4_032) -> [Double] {
        var generator = Xoshiro256(seed: seed)
        return (0..<count).map { index in
            let fall = index < 3_000 ? 0 : 15 * min(1, Double(index - 3_000) / 300)
            return 85 - fall + 1.5 * generator.nextNormal()
        }
    }

    static func parameters(_ change: (inout DriftDetector.Parameters) -> Void) -> DriftDetector.Parameters {
        var parameters = DriftDetector.Parameters()
        change(&parameters)
        return parameters
    }

    static func scores(_ values: [Double], timestamps: [Int64]? = nil) throws -> [Double] {
        try ConstructedSeries.scores(DriftDetector.name, values, timestamps: timestamps)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func aLastingShiftNoPointShowsFiresOnceWithinTwoHours(seed: UInt64) throws {
        // 2.4 sigmas on every point: the seasonal member never reaches its threshold.
        let values = Self.latency(seed: seed, shift: 12)
        let scores = try Self.scores(values)
        let fired = ConstructedSeries.flagged(scores)
        #expect(fired.count == 1 && (3_000..<3_024).contains(fired[0]), "seed \(seed): fired at \(fired)")
        #expect(scores.allSatisfy { $0 == 0 || $0 >= 0.5 }, "one score per excursion, where it fires")
        let seasonal = try ConstructedSeries.scores(SeasonalDetector.name, values)
        #expect(ConstructedSeries.flagged(seasonal, in: 3_000..<3_100).isEmpty, "seed \(seed): the point detector sees it")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func aSlowDeclineFiresWellBeforeThePointDetectorDoes(seed: UInt64) throws {
        let values = Self.decline(seed: seed)
        let fired = ConstructedSeries.flagged(try Self.scores(values))
        let drift = try #require(fired.first, "seed \(seed): never fired")
        #expect(fired.count == 1 && (3_000..<3_100).contains(drift), "seed \(seed): fired at \(fired)")
        let run = try DetectionRun(emitScores: true)
        let series = Series(key: SeriesKey(name: "temperature"), timestamps: ConstructedSeries.timestamps(values.count), values: values)
        let firstPage = try run.run(series).events.filter { $0.start >= series.timestamps[3_000] }.first?.start
        // The default ensemble pages a third of the way down (+98 to +156 points measured), if at all.
        #expect(firstPage.map { $0 > series.timestamps[drift] + 20 * ConstructedSeries.step } ?? true,
                "seed \(seed): drift at \(drift), the ensemble's first page \(String(describing: firstPage))")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func noiseAndADailyCycleNeverFire(seed: UInt64) throws {
        let noise = ConstructedSeries.flagged(try Self.scores(Self.latency(seed: seed, shift: 0)))
        #expect(noise.isEmpty, "seed \(seed): fired at \(noise)")
        var generator = Xoshiro256(seed: seed)
        let perDay = Double(ConstructedSeries.pointsPerDay)
        let daily = (0..<4_032).map { 40 + 8 * sin(2 * Double.pi * Double($0) / perDay) + 2 * generator.nextNormal() }
        let cycle = ConstructedSeries.flagged(try Self.scores(daily))
        #expect(cycle.isEmpty, "seed \(seed): fired at \(cycle)")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func routineSpikesNeverFireItAlone(seed: UInt64) throws {
        // CPU at 2 % with spikes of 20 to 70 sigmas a few times a day: each spike adds at most
        // `clip − slack` scales, and a sum must reach twelve.
        var generator = Xoshiro256(seed: seed)
        let values = (0..<4_032).map { _ in
            2 + 0.15 * generator.nextNormal() + (generator.nextUnit() < 0.01 ? 3 + 7 * generator.nextUnit() : 0)
        }
        let spikes = ConstructedSeries.flagged(try Self.scores(values))
        #expect(spikes.isEmpty, "seed \(seed): fired at \(spikes)")
    }

    @Test
    func aSecondShiftFiresAgainAfterTheFirstHasSettled() throws {
        // Up 2.4 sigmas on day 8, back down on day 12: each is its own excursion. The first is
        // remembered as large as it was when it fired, not as the days it lasted.
        var values = Self.latency(seed: 11, shift: 0, count: 5_000)
        for index in 2_400..<3_500 { values[index] += 12 }
        let fired = ConstructedSeries.flagged(try Self.scores(values))
        #expect(fired.count == 2, "fired at \(fired)")
        #expect(fired.first.map { (2_400..<2_430).contains($0) } ?? false, "fired at \(fired)")
        #expect(fired.last.map { (3_500..<3_600).contains($0) } ?? false, "fired at \(fired)")
    }

    @Test(arguments: [1, 2_999, 3_005, 3_400])
    func savingAndRestoringInTwoHalvesEqualsOneRun(cut: Int) throws {
        let run = try ConstructedSeries.oneRunAndTwoHalves(DriftDetector.name, Self.latency(seed: 4, shift: 12), cut: cut)
        #expect(run.halves == run.whole)
        #expect(run.halvesState == run.wholeState)
    }

    @Test
    func aStateThatContradictsItselfIsRefused() throws {
        var detector = try DriftDetector()
        let baseline = try SeasonalDetector().saveState()
        func state(upward: Double, peak: Double, fired: Double) -> [UInt8] {
            var writer = StateWriter(tag: DriftDetector.name, version: 1)
            writer.write(blob: baseline)
            RecentMaximum(horizon: DriftDetector.Parameters().horizon).write(to: &writer)
            writer.write(upward)
            writer.write(0.0)
            writer.write(peak)
            writer.write(fired)
            writer.write(0)
            return writer.bytes
        }
        try detector.restoreState(state(upward: 3, peak: 5, fired: 0))
        #expect(detector.upward == 3 && detector.excursionPeak == 5)
        // A sum above its excursion's peak, a firing above it, a negative or non-finite sum.
        for bad in [state(upward: 6, peak: 5, fired: 0), state(upward: 3, peak: 5, fired: 6),
                    state(upward: -1, peak: 5, fired: 0), state(upward: .nan, peak: 5, fired: 0)] {
            #expect(throws: DetectionError.self) { try detector.restoreState(bad) }
        }
        #expect(detector.upward == 3 && detector.excursionPeak == 5, "a refused state leaves the detector as it was")
        var other = try DriftDetector(Self.parameters { $0.horizon = 1_600 })
        #expect(throws: DetectionError.self) { try other.restoreState(try DriftDetector().saveState()) }
    }

    @Test
    func hostileInputNeverCrashesAndScoresStayInRange() throws {
        let (timestamps, values) = ConstructedSeries.hostile(count: 3_000)
        let scores = try Self.scores(values, timestamps: timestamps)
        #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test
    func parametersOutOfRangeAreRefused() {
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.multiple = 0.5 }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.multiple = .infinity }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.horizon = 3 }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.clip = 1 }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.slack = -1 }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.decision = 0 }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.minimumHistory = -1 }) }
        #expect(throws: DetectionError.self) { try DriftDetector(Self.parameters { $0.threshold = 2 }) }
    }

    @Test
    func inTheEnsembleItVotesAloneWhereNoPointPages() throws {
        let values = Self.latency(seed: 2, shift: 12)
        let series = Series(key: SeriesKey(name: "latency"), timestamps: ConstructedSeries.timestamps(values.count), values: values)
        let run = try DetectionRun(detectors: ["seasonal", "drift"], emitScores: true)
        #expect(try run.ensemble(for: series.key).members.map(\.decisive) == [false, true])
        let events = try run.run(series).events.filter { $0.start >= series.timestamps[3_000] }
        #expect(events.count == 1 && events.allSatisfy { $0.detectors == [DriftDetector.name] }, "\(events)")
        // Only a decisive member voted: no fitted confidence is claimed for it.
        #expect(events.allSatisfy { $0.confidence == nil })
        let plain = try DetectionRun(emitScores: true).run(series)
        #expect(plain.events.filter { $0.start >= series.timestamps[3_000] }.isEmpty)
    }
}
