import AuroraCore
import Testing
@testable import AuroraDetection

/// Every event says how much of its series the detectors had seen when it began, and whether that was
/// less than the ensemble remembers (its novelty horizon): on real series with no incident such events
/// are several times as common as later, so `aurora detect` tells the operator to weigh them.
struct ShortHistoryTests {
    /// Noise with a spike early and one late.
    static let series: Series = {
        var values = ConstructedSeries.noise(3_000)
        values[500] += 30
        values[2_500] += 30
        return Series(key: SeriesKey(name: "cpu"), timestamps: ConstructedSeries.timestamps(values.count), values: values)
    }()

    static func settings(horizon: Int) -> DetectionSettings {
        var settings = DetectionSettings()
        settings.ensemble.noveltyHorizon = horizon
        return settings
    }

    static func onsets(_ events: [AnomalyEvent]) -> [Int] {
        events.map { Int(($0.start - ConstructedSeries.start) / ConstructedSeries.step) }
    }

    @Test
    func anEventCarriesThePointsSeenBeforeIt() throws {
        let result = try DetectionRun(settings: Self.settings(horizon: 1_600)).run(Self.series)
        #expect(Self.onsets(result.events) == [500, 2_500])
        #expect(result.events.map(\.historyPoints) == [500, 2_500])
        #expect(result.events.map(\.shortHistory) == [true, false], "1,600 points remembered: 500 are too few, 2,500 enough")
        let defaults = try DetectionRun().run(Self.series)
        #expect(defaults.events.map(\.shortHistory) == [true, true], "the default memory is 6,000 points")
    }

    /// A stored series is scored a few points per pass: its history is the whole series, not the pass.
    @Test
    func theHistoryCarriesAcrossCheckpoints() throws {
        let run = try DetectionRun(settings: Self.settings(horizon: 1_600))
        let whole = try run.run(Self.series)
        let pieces = try EnsembleRestoreTests.inPieces(Self.series, cuts: [400, 1_000, 2_450], run: run)
        #expect(pieces.events.map(\.historyPoints) == whole.events.map(\.historyPoints))
        #expect(pieces.events.map(\.shortHistory) == [true, false])
    }

    /// A state saved before the count existed (layout 4) belongs to a series that has been running: it
    /// restores as a long history, so an upgrade does not mark every stored series' next event short.
    @Test
    func anOlderStateRestoresAsALongHistory() throws {
        let run = try DetectionRun()
        var original = try run.ensemble(for: Self.series.key)
        _ = EnsembleRestoreTests.score(&original, Self.series, 0..<100)
        let old = try original.state(layout: 4)
        #expect(old[StateWriter(tag: EnsembleDetector.name, version: 1).bytes.count - 1] == 4)
        var restored = try run.ensemble(for: Self.series.key)
        try restored.restoreState(old)
        #expect(try restored.state(layout: 4) == old)
        let events = EnsembleRestoreTests.process(&restored, Self.series, 100..<Self.series.count).events
        #expect(Self.onsets(events) == [500, 2_500])
        #expect(events.allSatisfy { !$0.shortHistory && $0.historyPoints.map { $0 > 1_000_000 } == true })

        // The current layout keeps the count: the same restore from it marks the early spike short.
        var fromNew = try run.ensemble(for: Self.series.key)
        try fromNew.restoreState(try original.saveState())
        #expect(try fromNew.saveState() == original.saveState())
    }
}
