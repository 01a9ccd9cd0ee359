import AuroraCore
import Foundation
import Testing
@testable import AuroraDetection

/// An event's `confidence` is a probability fitted on outcomes (how often events like it marked a
/// fault), not the ensemble's agreement; `aurora eval` checks it against labels.
struct EventConfidenceTests {
    /// Noise with a spike early and one late (the spikes are events of the default ensemble).
    static let series: Series = {
        var values = ConstructedSeries.noise(3_000)
        values[500] += 30
        values[2_500] += 30
        return Series(key: SeriesKey(name: "cpu"), timestamps: ConstructedSeries.timestamps(values.count), values: values)
    }()

    @Test
    func aStatisticalEventCarriesTheFittedProbabilityOfItsPeak() throws {
        let events = try DetectionRun().run(Self.series).events
        #expect(events.count == 2)
        for event in events {
            let peak = try #require(event.statisticalPeak)
            #expect(peak == event.score, "no rule voted: the statistical peak is the event's score")
            #expect(event.confidence == EventConfidence.fitted.probability(peakScore: peak))
            #expect(event.agreement == 1, "the default ensemble has one member, which agreed")
        }
    }

    @Test
    func theConfidenceRisesWithThePeakAndNeverReachesAutonomy() {
        let model = EventConfidence.fitted
        let peaks = stride(from: 0.0, through: 1.0, by: 0.05).map { model.probability(peakScore: $0) }
        #expect(zip(peaks, peaks.dropFirst()).allSatisfy { $0 < $1 })
        #expect(peaks.first! > 0.1 && peaks.last! < 0.8, "an event alone is a lead for a person, never above 0.8")
        #expect(model.probability(peakScore: .infinity) == model.probability(peakScore: 1))
        #expect(model.probability(peakScore: -3) == model.probability(peakScore: 0))
    }

    /// An event that only a configured rule raised has no fitted probability; its agreement is 1.
    @Test
    func aRuleAloneCarriesNoConfidence() throws {
        let rule = try ThresholdRule(identity: RuleIdentity(name: "too-high", severity: .critical, service: "api"), condition: .above(100))
        var parameters = EnsembleDetector.Parameters()
        parameters.eventGap = 0
        var ensemble = try EnsembleDetector(members: [
            EnsembleMember(name: "too-high", detector: rule, weight: 0, decisive: true),
        ], parameters: parameters)
        let values: [Double] = [1, 1, 500, 1]
        var events: [AnomalyEvent] = []
        var scores = [Double](repeating: 0, count: values.count)
        let timestamps = (0..<Int64(values.count)).map { $0 * 1_000 }
        timestamps.withUnsafeBufferPointer { stamps in
            values.withUnsafeBufferPointer { points in
                scores.withUnsafeMutableBufferPointer {
                    ensemble.process(series: SeriesKey(name: "x"), timestamps: stamps, values: points, scores: $0, events: &events)
                }
            }
        }
        #expect(events.count == 1)
        #expect(events.first?.confidence == nil && events.first?.statisticalPeak == nil && events.first?.agreement == 1)
    }

    /// A state saved before the statistical peak was kept (layout 5) with an event open restores
    /// with its peak score standing for it: the same number whenever no rule voted.
    @Test
    func anOpenEventFromAnOlderStateKeepsItsConfidence() throws {
        let run = try DetectionRun()
        let whole = try run.run(Self.series)
        var original = try run.ensemble(for: Self.series.key)
        _ = EnsembleRestoreTests.process(&original, Self.series, 0..<501)
        #expect(original.openEvent(series: Self.series.key) != nil, "the early spike is still open at the checkpoint")
        for layout in [UInt8(5), 6] {
            var restored = try run.ensemble(for: Self.series.key)
            try restored.restoreState(try original.state(layout: layout))
            #expect(try restored.state(layout: layout) == original.state(layout: layout))
            let events = EnsembleRestoreTests.process(&restored, Self.series, 501..<Self.series.count).events
            #expect(events.map(\.confidence) == whole.events.map(\.confidence), "layout \(layout)")
            #expect(events.map(\.statisticalPeak) == whole.events.map(\.statisticalPeak), "layout \(layout)")
        }
    }

    static func event(from start: Int64, to end: Int64, peak: Double?) -> AnomalyEvent {
        AnomalyEvent(series: SeriesKey(name: "x"), start: start, end: end, peakTimestamp: start, peakValue: 1, expectedLow: 0,
                     expectedHigh: 0, score: peak ?? 1, statisticalPeak: peak, detectors: ["seasonal"], pointCount: 1)
    }

    /// Right when the event touches a window; events in the probationary period and rule-only events
    /// are not graded.
    @Test
    func eventsAreGradedAgainstWindowsAfterTheProbation() {
        let timestamps = (0..<Int64(1_000)).map { $0 * 60_000 }
        // 1,000 rows: the first 150 are probationary.
        let windows = [NABWindow(start: timestamps[400], end: timestamps[450])]
        let events = [
            Self.event(from: timestamps[100], to: timestamps[101], peak: 0.9),
            Self.event(from: timestamps[390], to: timestamps[400], peak: 0.8),
            Self.event(from: timestamps[450], to: timestamps[460], peak: 0.7),
            Self.event(from: timestamps[451], to: timestamps[452], peak: 0.6),
            Self.event(from: timestamps[420], to: timestamps[421], peak: nil),
        ]
        let outcomes = EventOutcome.grade(events, timestamps: timestamps, windows: windows)
        #expect(outcomes.map(\.peakScore) == [0.8, 0.7, 0.6])
        #expect(outcomes.map(\.right) == [true, true, false])
        #expect(outcomes.map(\.confidence) == [0.8, 0.7, 0.6].map { EventConfidence.fitted.probability(peakScore: $0) })
    }

    /// Outcomes of `files` files in two corpora whose rightness follows `law` of the peak.
    static func outcomes(files: Int, each: Int, seed: UInt64, law: (Double) -> Double) -> (outcomes: [[EventOutcome]], groups: [EvaluationGroup]) {
        var random = Xoshiro256(seed: seed)
        var outcomes: [[EventOutcome]] = []
        var groups: [EvaluationGroup] = []
        for file in 0..<files {
            groups.append(EvaluationGroup(corpus: file % 2 == 0 ? "one" : "two", category: "c\(file % 6)"))
            outcomes.append((0..<each).map { _ in
                let peak = random.nextUnit()
                return EventOutcome(peakScore: peak, confidence: EventConfidence.fitted.probability(peakScore: peak), right: random.nextUnit() < law(peak))
            })
        }
        return (outcomes, groups)
    }

    @Test
    func theCalibrationTableTellsAKeptPromiseFromABrokenOne() throws {
        let honest = Self.outcomes(files: 12, each: 500, seed: 3) { EventConfidence.fitted.probability(peakScore: $0) }
        let kept = EventCalibration.measure(honest.outcomes, groups: honest.groups, crossValidate: true)
        #expect(kept.map(\.corpus) == ["one", "two", "all"])
        let all = try #require(kept.last)
        #expect(all.shipped.cases == 6_000)
        #expect(all.shipped.expectedCalibrationError < 0.03, "\(all.shipped.expectedCalibrationError)")
        let refitted = try #require(all.refitted)
        #expect(abs(refitted.model.bias - EventConfidence.fitted.model.bias) < 0.3)
        #expect(abs(refitted.model.weights[0] - EventConfidence.fitted.model.weights[0]) < 0.5)
        let leftOut = try #require(all.leftOut)
        #expect(leftOut.cases == 6_000 && leftOut.expectedCalibrationError < 0.04)
        #expect(all.shipped.bands.map(\.lower) == EventCalibration.edges.dropLast())

        // Labels on which events are rarely faults: the shipped confidence overstates them.
        let rare = Self.outcomes(files: 12, each: 500, seed: 4) { _ in 0.05 }
        let broken = EventCalibration.measure(rare.outcomes, groups: rare.groups, crossValidate: false)
        #expect(broken.last?.shipped.expectedCalibrationError ?? 0 > 0.2)
        #expect(broken.last?.leftOut == nil)
        #expect(broken.last?.refitted.map { $0.probability(peakScore: 0.5) < 0.1 } == true, "the refit says what these labels say")

        // Four events, all right: no fit is shown (it would say "always").
        let few = Self.outcomes(files: 2, each: 2, seed: 5) { _ in 1 }
        #expect(EventCalibration.measure(few.outcomes, groups: few.groups, crossValidate: false).allSatisfy { $0.refitted == nil })
    }
}
