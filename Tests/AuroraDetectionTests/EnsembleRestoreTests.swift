import AuroraCore
import Testing
@testable import AuroraDetection

/// Stored detection and every `aurora watch` pass restore a checkpoint and carry on from it, so the
/// scores and events of a series must not depend on where checkpoints fell: scored in pieces (state
/// saved after each, restored into a fresh ensemble for the next) a series must give the same bits as
/// scored in one run.
struct EnsembleRestoreTests {
    enum Shape: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case spike, levelShift, flatThenNoisy
        var testDescription: String { rawValue }
    }

    /// Where each shape's anomaly starts.
    static let anomaly = 2_000

    static func series(_ shape: Shape) -> Series {
        let count = 2_400
        let values: [Double] = switch shape {
        case .spike: ConstructedSeries.spike(at: anomaly, count: count)
        case .levelShift: ConstructedSeries.levelShift(at: anomaly, count: count)
        // A constant that starts to move: an infinite deviation first, then ordinary noise.
        case .flatThenNoisy: [Double](repeating: 100, count: anomaly) + ConstructedSeries.noise(count - anomaly)
        }
        return Series(key: SeriesKey(name: "cpu"), timestamps: ConstructedSeries.timestamps(count), values: values)
    }

    /// Scores `series` in pieces ending at `cuts`, each piece continuing from the state the previous saved.
    static func inPieces(_ series: Series, cuts: [Int], run: DetectionRun) throws -> SeriesDetection {
        var state: [UInt8]?
        var scores: [Double] = []
        var events: [AnomalyEvent] = []
        var start = 0
        let ends = cuts + [series.count]
        for (index, end) in ends.enumerated() {
            let piece = Series(key: series.key, timestamps: Array(series.timestamps[start..<end]), values: Array(series.values[start..<end]))
            let result = try run.run(piece, state: state)
            scores += result.scores
            // An event still open at the end of a piece is reported again, closed or still open, later.
            events += index == ends.count - 1 ? result.events : result.events.filter { !$0.ongoing }
            state = result.state
            start = end
        }
        return SeriesDetection(key: series.key, scores: scores, events: events, state: state ?? [])
    }

    /// Cuts relative to the anomaly: right after it (the anomalous point ends the first piece), inside
    /// the two hours it damps (24 five-minute points), at their last point, and several at once.
    static let cutSets: [[Int]] = [[1], [2], [10], [23], [-500, 1, 2, 12, 30]]

    @Test(arguments: Shape.allCases, cutSets)
    func piecesScoreAsOneRun(shape: Shape, offsets: [Int]) throws {
        let run = try DetectionRun(emitScores: true)
        let series = Self.series(shape)
        let once = try run.run(series)
        // The premise: the default ensemble pages at the anomaly and damps what follows.
        #expect(once.events.contains { $0.start == series.timestamps[Self.anomaly] }, "events \(once.events.map(\.start))")
        let pieces = try Self.inPieces(series, cuts: offsets.map { Self.anomaly + $0 }, run: run)
        Self.expectSame(pieces, once)
    }

    /// Same scores bit for bit, same events, same final state.
    static func expectSame(_ pieces: SeriesDetection, _ once: SeriesDetection, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let differing = zip(once.scores, pieces.scores).enumerated().filter { $0.element.0.bitPattern != $0.element.1.bitPattern }.map(\.offset)
        #expect(pieces.scores.count == once.scores.count, sourceLocation: sourceLocation)
        #expect(differing.isEmpty, "scores differ at \(differing.prefix(10))", sourceLocation: sourceLocation)
        #expect(pieces.events == once.events, sourceLocation: sourceLocation)
        #expect(pieces.state == once.state, sourceLocation: sourceLocation)
    }

    /// A crash series, where the magnitude floor holds the crashes' weight: the series' normal range,
    /// its sampling phase and the start of a stretch far from it come back from the state, so cuts
    /// inside a crash and between the sampled points score as one run.
    @Test(arguments: [[1], [2, 3], [5, 166, 167, 400, 401, 402]])
    func aCrashSeriesInPiecesScoresAsOneRun(cuts: [Int]) throws {
        let run = try DetectionRun(emitScores: true)
        var generator = Xoshiro256(seed: 13)
        let crash = { (hour: Int) in [120..<128, 165..<172, 400..<409].contains { $0.contains(hour) } }
        let values = (0..<600).map { hour in crash(hour) ? 1_500 + 100 * generator.nextNormal() : 20 + 4 * generator.nextNormal() }
        let timestamps = (0..<600).map { ConstructedSeries.start + Int64($0) * 3_600_000 }
        let series = Series(key: SeriesKey(name: "crashes"), timestamps: timestamps, values: values)
        let once = try run.run(series)
        var withoutFloor = DetectionSettings()
        withoutFloor.ensemble.magnitudeFrom = 0
        // The premise: the floor changes the scores of this series.
        #expect(try DetectionRun(settings: withoutFloor, emitScores: true).run(series).scores != once.scores)
        Self.expectSame(try Self.inPieces(series, cuts: cuts, run: run), once)
    }

    /// Several members, each with its own novelty yardstick that must come back to the right member,
    /// decisive rules and the decisive `stuck` and `drift` members with their own state (`drift`'s holds a seasonal
    /// baseline of its own), blocks that straddle the cuts, and damping counted in points as well as in time.
    @Test(arguments: Shape.allCases, [false, true])
    func piecesOfAWiderEnsembleScoreAsOneRun(shape: Shape, dampingInPoints: Bool) throws {
        var settings = DetectionSettings()
        settings.ensembleMembers = [SeasonalDetector.name, MADDetector.name, RollingZScoreDetector.name, PercentileBandDetector.name, StuckDetector.name,
                                    DriftDetector.name]
        settings.rules = [
            try ThresholdRule(identity: RuleIdentity(name: "high", severity: .critical, service: "api"), condition: .above(110), forDuration: 600_000),
            try RateOfChangeRule(identity: RuleIdentity(name: "jump", service: "api"), maximumPerSecond: 0.03),
        ]
        settings.ensemble.blockSize = 64
        if dampingInPoints { settings.ensemble.suppressionMilliseconds = 0 }
        let run = try DetectionRun(settings: settings, emitScores: true)
        let series = Self.series(shape)
        let once = try run.run(series)
        if shape != .flatThenNoisy {
            #expect(once.events.contains { !Set($0.detectors).isDisjoint(with: ["high", "jump"]) }, "the rules take part")
        }
        let pieces = try Self.inPieces(series, cuts: [700, Self.anomaly + 1, Self.anomaly + 5, Self.anomaly + 40], run: run)
        Self.expectSame(pieces, once)
    }

    /// Sixteen days of a daily pattern with a day stuck at the mean, longer than a scoring block: the
    /// seasonal member's profiles, level and shift tracking come back whole at any cut.
    @Test
    func piecesOfASeasonalSeriesScoreAsOneRun() throws {
        let run = try DetectionRun(emitScores: true)
        let values = ConstructedSeries.seasonal(days: 16, brokenDay: 9)
        let series = Series(key: SeriesKey(name: "cpu"), timestamps: ConstructedSeries.timestamps(values.count), values: values)
        let once = try run.run(series)
        let brokenDay = 9 * ConstructedSeries.pointsPerDay
        #expect(once.events.contains { (brokenDay...brokenDay + 100).contains(Int(($0.start - ConstructedSeries.start) / ConstructedSeries.step)) })
        let cuts = [1_000, 2_016, brokenDay + 1, brokenDay + 7, brokenDay + 90, 4_100]
        Self.expectSame(try Self.inPieces(series, cuts: cuts, run: run), once)
    }

    /// What `aurora watch` does each pass: restore the checkpoint (here saved just after the anomaly),
    /// replay the points scored since, score the new ones.
    @Test(arguments: Shape.allCases)
    func replayingFromACheckpointAfterTheAnomalyScoresAsOneRun(shape: Shape) throws {
        let run = try DetectionRun(emitScores: true)
        let series = Self.series(shape)
        let once = try run.run(series)
        let checkpoint = Self.anomaly + 1
        let scored = Self.anomaly + 6
        let head = Series(key: series.key, timestamps: Array(series.timestamps[..<checkpoint]), values: Array(series.values[..<checkpoint]))
        let tail = Series(key: series.key, timestamps: Array(series.timestamps[checkpoint...]), values: Array(series.values[checkpoint...]))
        let resumed = try run.run(tail, state: try run.run(head).state, replaying: scored - checkpoint)
        #expect(resumed.scores.map(\.bitPattern) == once.scores[scored...].map(\.bitPattern))
        #expect(resumed.state == once.state)
    }

    /// Scores `range` of `series` with `ensemble`.
    static func score(_ ensemble: inout EnsembleDetector, _ series: Series, _ range: Range<Int>) -> [Double] {
        process(&ensemble, series, range).scores
    }

    /// The scores and the events `ensemble` gives `range` of `series`.
    static func process(_ ensemble: inout EnsembleDetector, _ series: Series, _ range: Range<Int>) -> (scores: [Double], events: [AnomalyEvent]) {
        var scores = [Double](repeating: -1, count: range.count)
        var events: [AnomalyEvent] = []
        series.timestamps.withUnsafeBufferPointer { timestamps in
            series.values.withUnsafeBufferPointer { values in
                scores.withUnsafeMutableBufferPointer {
                    ensemble.process(series: series.key, timestamps: UnsafeBufferPointer(rebasing: timestamps[range]),
                                     values: UnsafeBufferPointer(rebasing: values[range]), scores: $0, events: &events)
                }
            }
        }
        return (scores, events)
    }

    /// A database written by the previous release holds version-1 states (no last anomalous time).
    /// They restore, every field they have intact, and carry on as they did then: the anomaly before
    /// the checkpoint is not known, so the points after it are not damped.
    @Test
    func aVersionOneStateStillRestores() throws {
        let run = try DetectionRun()
        let series = Self.series(.spike)
        let cut = Self.anomaly + 1
        var original = try run.ensemble(for: series.key)
        _ = Self.score(&original, series, 0..<cut)
        let old = try original.state(layout: 1)
        #expect(old[StateWriter(tag: EnsembleDetector.name, version: 1).bytes.count - 1] == 1)
        #expect(old.count == (try original.state(layout: 2)).count - 8)

        var fromOld = try run.ensemble(for: series.key)
        try fromOld.restoreState(old)
        #expect(try fromOld.state(layout: 1) == old)
        var fromNew = try run.ensemble(for: series.key)
        try fromNew.restoreState(try original.saveState())
        #expect(try fromNew.saveState() == original.saveState())

        // Two hours of five-minute points after the anomaly are damped only where its time was saved.
        let damped = cut..<Self.anomaly + 24
        let rest = Self.anomaly + 24..<series.count
        let oldDamped = Self.score(&fromOld, series, damped)
        let newDamped = Self.score(&fromNew, series, damped)
        let factor = EnsembleDetector.Parameters().suppressionFactor
        #expect(zip(oldDamped, newDamped).allSatisfy { $0.1 == $0.0 * factor })
        #expect(oldDamped.contains { $0 > 0 })
        // Damping changes only what is emitted: past it both score, and end, alike.
        #expect(Self.score(&fromOld, series, rest) == Self.score(&fromNew, series, rest))
        #expect(try fromOld.state(layout: 1) == fromNew.state(layout: 1))
    }

    /// A version-2 state (before the normal range of the magnitude floor was saved) restores with the
    /// range empty and learns it again; everything it has is intact.
    @Test
    func aVersionTwoStateRestoresWithoutTheNormalRange() throws {
        let run = try DetectionRun()
        let series = Self.series(.spike)
        var original = try run.ensemble(for: series.key)
        _ = Self.score(&original, series, 0..<Self.anomaly + 1)
        let old = try original.state(layout: 2)
        #expect(old[StateWriter(tag: EnsembleDetector.name, version: 1).bytes.count - 1] == 2)
        var fromOld = try run.ensemble(for: series.key)
        try fromOld.restoreState(old)
        #expect(try fromOld.state(layout: 2) == old)
        #expect(try fromOld.saveState() != original.saveState())
        var fromNew = try run.ensemble(for: series.key)
        try fromNew.restoreState(try original.saveState())
        #expect(try fromNew.saveState() == original.saveState())
    }

    /// A version-3 state (before the sustained-deviation yardsticks were saved) restores with fresh
    /// ones; everything it has is intact, and the restored ensemble carries on saving version 4.
    @Test
    func aVersionThreeStateRestoresWithoutSustainedYardsticks() throws {
        let run = try DetectionRun()
        let series = Self.series(.levelShift)
        var original = try run.ensemble(for: series.key)
        _ = Self.score(&original, series, 0..<series.count)
        let old = try original.state(layout: 3)
        #expect(old[StateWriter(tag: EnsembleDetector.name, version: 1).bytes.count - 1] == 3)
        var fromOld = try run.ensemble(for: series.key)
        try fromOld.restoreState(old)
        #expect(try fromOld.state(layout: 3) == old)
        #expect(try fromOld.saveState() != original.saveState(), "the level shift's run is in the version-4 state only")
        var fromNew = try run.ensemble(for: series.key)
        try fromNew.restoreState(try original.saveState())
        #expect(try fromNew.saveState() == original.saveState())
    }

    /// A state whose member does not fit (its seasonal profile has other bins) is refused whole: the
    /// ensemble keeps its own yardsticks, damping and members, not the refused state's.
    @Test
    func aRefusedStateLeavesTheEnsembleAsItWas() throws {
        let run = try DetectionRun()
        let series = Self.series(.spike)
        var ensemble = try run.ensemble(for: series.key)
        _ = Self.score(&ensemble, series, 0..<Self.anomaly + 1)
        let before = try ensemble.saveState()
        var otherBins = DetectionSettings()
        otherBins.seasonal.binMinutes = 15
        var other = try DetectionRun(settings: otherBins).ensemble(for: series.key)
        _ = Self.score(&other, series, 0..<series.count)
        #expect(throws: DetectionError.self) { try ensemble.restoreState(try other.saveState()) }
        #expect(try ensemble.saveState() == before)
    }

    /// A state from a newer release than this one is refused, not half read.
    @Test
    func aStateFromANewerVersionIsRefused() throws {
        let run = try DetectionRun()
        let series = Self.series(.spike)
        var ensemble = try run.ensemble(for: series.key)
        _ = Self.score(&ensemble, series, 0..<100)
        var newer = try ensemble.saveState()
        newer[StateWriter(tag: EnsembleDetector.name, version: 1).bytes.count - 1] = 7
        var fresh = try run.ensemble(for: series.key)
        #expect(throws: DetectionError.stateMismatch(detector: EnsembleDetector.name, reason: "layout version 7, expected 1 to 6")) {
            try fresh.restoreState(newer)
        }
    }
}
