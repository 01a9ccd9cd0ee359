import AuroraCore
import Testing
@testable import AuroraDetection

/// A detector that replays scripted scores, to test the voter on its own.
struct ScriptedDetector: Detector {
    static let name = "scripted"
    var script: [Double]
    var position = 0
    var threshold: Double { 0.5 }

    mutating func score(timestamps: UnsafeBufferPointer<Int64>, values: UnsafeBufferPointer<Double>, into scores: UnsafeMutableBufferPointer<Double>) {
        for index in 0..<values.count {
            scores[index] = position < script.count ? script[position] : 0
            position += 1
        }
    }

    func saveState() throws -> [UInt8] {
        var writer = StateWriter(tag: Self.name, version: 1)
        writer.write(position)
        return writer.bytes
    }

    mutating func restoreState(_ bytes: [UInt8]) throws {
        var reader = try StateReader(bytes, tag: Self.name, version: 1)
        position = try reader.readInt()
        try reader.finish()
    }
}

struct EnsembleTests {
    static func plain() -> EnsembleDetector.Parameters {
        var parameters = EnsembleDetector.Parameters()
        parameters.noveltyHorizon = 0
        parameters.suppressionPoints = 0
        parameters.suppressionMilliseconds = 0
        parameters.threshold = 0.5
        parameters.eventGap = 1
        return parameters
    }

    static func process(_ ensemble: inout EnsembleDetector, values: [Double]) -> (scores: [Double], events: [AnomalyEvent]) {
        let times = (0..<values.count).map { Int64($0) * 1000 }
        var scores = [Double](repeating: 0, count: values.count)
        var events: [AnomalyEvent] = []
        let key = SeriesKey(name: "latency")
        times.withUnsafeBufferPointer { times in
            values.withUnsafeBufferPointer { values in
                scores.withUnsafeMutableBufferPointer {
                    ensemble.process(series: key, timestamps: times, values: values, scores: $0, events: &events)
                }
            }
        }
        if let open = ensemble.openEvent(series: key) { events.append(open) }
        return (scores, events)
    }

    @Test
    func consecutiveAnomalousPointsCoalesceIntoEvents() throws {
        var script = [Double](repeating: 0, count: 40)
        for index in [10, 11, 13] { script[index] = 0.9 }
        script[12] = 0.95 * 0 // a one-point dip inside the event, within the allowed gap
        script[11] = 1.0
        script[30] = 0.8
        script[39] = 0.7
        var values = [Double](repeating: 5, count: 40)
        values[11] = 50
        var ensemble = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: script))], parameters: Self.plain())
        let (scores, events) = Self.process(&ensemble, values: values)
        #expect(scores == script)
        #expect(events.count == 3)
        #expect(events[0].start == 10_000 && events[0].end == 13_000)
        #expect(events[0].peakTimestamp == 11_000 && events[0].peakValue == 50 && events[0].score == 1)
        #expect(events[0].pointCount == 3 && events[0].detectors == ["a"] && !events[0].ongoing)
        #expect(events[0].expectedLow <= 5 && events[0].expectedHigh >= 5)
        #expect(events[1].start == 30_000 && events[1].end == 30_000)
        #expect(events[2].start == 39_000 && events[2].ongoing)
    }

    @Test
    func weightsQuorumAndDecisiveRules() throws {
        let a = ScriptedDetector(script: [0.9, 0.9, 0.0, 0.0])
        let b = ScriptedDetector(script: [0.9, 0.2, 0.0, 0.0])
        let rule = try ThresholdRule(identity: RuleIdentity(name: "too-high", severity: .critical, service: "api"), condition: .above(100))
        var parameters = Self.plain()
        parameters.quorum = 2
        parameters.eventGap = 0
        var ensemble = try EnsembleDetector(members: [
            EnsembleMember(name: "a", detector: a, weight: 3),
            EnsembleMember(name: "b", detector: b, weight: 1),
            EnsembleMember(name: "too-high", detector: rule, weight: 0, decisive: true),
        ], parameters: parameters)
        let (scores, events) = Self.process(&ensemble, values: [1, 1, 1, 500])
        // Point 1: weighted mean (3·0.9 + 0.2) / 4 = 0.725 passes the threshold but only one vote.
        #expect(Swift.abs(scores[1] - 0.725) < 1e-12)
        #expect(scores[3] == 1)
        #expect(events.count == 2)
        #expect(events[0].start == 0 && events[0].end == 0 && events[0].detectors == ["a", "b"] && events[0].agreement == 1)
        #expect(events[0].statisticalPeak == 0.9 && events[0].confidence == EventConfidence.fitted.probability(peakScore: 0.9))
        #expect(events[1].start == 3_000 && events[1].detectors == ["too-high"])
        #expect(events[1].confidence == nil && events[1].agreement == 1, "a rule's verdict is the operator's, not a fitted probability")
        #expect(events[1].severity == .critical && events[1].service == "api")
    }

    @Test
    func alertSuppressionDampsTheRestOfAnEpisode() throws {
        var parameters = Self.plain()
        parameters.suppressionPoints = 3
        parameters.suppressionFactor = 0.5
        var ensemble = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: [0, 0.8, 0.8, 0.8, 0, 0, 0, 0, 0.8]))], parameters: parameters)
        let (scores, _) = Self.process(&ensemble, values: [Double](repeating: 1, count: 9))
        #expect(scores == [0, 0.8, 0.4, 0.4, 0, 0, 0, 0, 0.8])
    }

    /// Measured in time, the damping means the same at any sampling rate: points are a second apart
    /// here, so 2.5 s of suppression damps the two points after the anomalous one, not the third.
    @Test
    func alertSuppressionMeasuredInTime() throws {
        var parameters = Self.plain()
        parameters.suppressionPoints = 100
        parameters.suppressionMilliseconds = 2_500
        parameters.suppressionFactor = 0.5
        var ensemble = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: [0, 0.8, 0.8, 0.8, 0.8, 0, 0.8]))], parameters: parameters)
        let (scores, _) = Self.process(&ensemble, values: [Double](repeating: 1, count: 7))
        // Points 2 and 3 are anomalous too and restart the clock; 6 is 2 s after 4: still damped.
        #expect(scores == [0, 0.8, 0.4, 0.4, 0.4, 0, 0.4])
        #expect(EnsembleDetector.Parameters().suppressionMilliseconds == 7_200_000)
    }

    /// A value held far outside the series' range keeps its weight (the magnitude floor), and the point
    /// it lifts over the ensemble's threshold is an event, although the member's own score (0.3, a scale
    /// widened by earlier faults) is below its own threshold: the score said "anomalous" there, and the
    /// evaluation counted it, while `detect` paged nothing (crash-rate windows found by the score, missed
    /// by the events). A routine deviation without the floor still pages only on the member's verdict.
    @Test
    func aPointTheMagnitudeFloorLiftsOverTheThresholdIsAnEvent() throws {
        var script = [Double](repeating: 0, count: 220)
        script[100] = 0.99 // an earlier fault: the yardstick that makes 0.3 routine (novelty about 0.14)
        for index in 200..<210 { script[index] = 0.3 }
        var values = (0..<220).map { 10 + Double($0 % 5) }
        for index in 200..<210 { values[index] = 1_000 }
        var parameters = EnsembleDetector.Parameters()
        parameters.magnitudeHoldMilliseconds = 2_000
        parameters.suppressionMilliseconds = 10_000
        var ensemble = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: script))], parameters: parameters)
        let (scores, events) = Self.process(&ensemble, values: values)
        // Held for 2 s from point 200, hundreds of interquartile ranges out: full weight from point 202.
        #expect(scores[201] < 0.25 && scores[202] == 0.3)
        #expect(events.map(\.start) == [100_000, 202_000])
        #expect(events.last?.detectors == ["a"] && events.last?.statisticalPeak == 0.3)
        #expect(events.last?.confidence == EventConfidence.fitted.probability(peakScore: 0.3))

        parameters.magnitudeFrom = 0
        var withoutFloor = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: script))], parameters: parameters)
        let (plainScores, plainEvents) = Self.process(&withoutFloor, values: values)
        #expect(plainScores[202] < 0.25 && plainEvents.map(\.start) == [100_000], "novelty alone keeps 0.3 routine here")
    }

    @Test
    func noveltyLowersRoutineDeviationsAndKeepsNewOnes() {
        #expect(EnsembleDetector.novelty(0, largest: 5) == 0)
        #expect(EnsembleDetector.novelty(5, largest: 5) == 0.5)
        #expect(EnsembleDetector.novelty(.infinity, largest: 5) == 1)
        #expect(EnsembleDetector.novelty(3, largest: 0) == 1)
    }

    @Test
    func anInfiniteDeviationDoesNotSilenceLaterOnes() throws {
        // A series that was perfectly constant and then moves scores 1 (an infinite deviation). Later
        // finite deviations must still be judged against the finite ones seen before, not against
        // infinity: before this, every point after such a change had novelty 0 for the whole horizon
        // (NAB's art_load_balancer_spikes scored 0 everywhere after its first non-zero value).
        var parameters = Self.plain()
        parameters.noveltyHorizon = 1_000
        parameters.threshold = 0.25
        var ensemble = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: [0, 1, 0, 0.8, 0, 0.5]))], parameters: parameters)
        let (scores, _) = Self.process(&ensemble, values: [Double](repeating: 1, count: 6))
        #expect(scores[1] == 1)
        // 0.8 is a deviation of 2 with nothing finite before it: fully novel.
        #expect(scores[3] == 0.8)
        // 0.5 is a deviation of 1, half the largest finite one (2): novelty 1/3.
        #expect(abs(scores[5] - 0.5 / 3) < 1e-12)
    }

    @Test
    func oneHugeDeviationRaisesTheYardstickOnlySoFar() throws {
        // 0.99 is a deviation of √99 ≈ 9.95, 0.9 one of 3. Both sit in the first sixteenth of the
        // horizon, whose yardstick grows from the floor: the huge one is remembered as 8 × 0.5 = 4.
        var parameters = Self.plain()
        parameters.noveltyHorizon = 1_000
        parameters.threshold = 0.25
        let script: [Double] = [0, 0.99, 0, 0, 0.9]
        var bounded = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: script))], parameters: parameters)
        let (scores, _) = Self.process(&bounded, values: [Double](repeating: 1, count: script.count))
        #expect(abs(scores[4] - 0.9 * 3 / 7) < 1e-12)
        #expect(scores[4] >= 0.25)

        // Unbounded, the repeat is judged against the whole first deviation and falls below the threshold.
        parameters.noveltyGrowth = 0
        var unbounded = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: script))], parameters: parameters)
        let (before, _) = Self.process(&unbounded, values: [Double](repeating: 1, count: script.count))
        #expect(abs(before[4] - 0.9 * 3 / (3 + 99.0.squareRoot())) < 1e-12)
        #expect(before[4] < 0.25)
    }

    @Test
    func aDeviationThatRecursBecomesTheYardstick() throws {
        // Horizon 160: sixteen buckets of 10 points. The same huge deviation once per bucket: the
        // first is remembered as 4, the second (judged against 4) raises the yardstick to itself,
        // and from the third on it is routine (novelty 0.5), as on a series whose bursts recur.
        var parameters = Self.plain()
        parameters.noveltyHorizon = 160
        parameters.threshold = 0.25
        var script = [Double](repeating: 0, count: 40)
        for index in [0, 10, 20, 30] { script[index] = 0.99 }
        var ensemble = try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: script))], parameters: parameters)
        let (scores, _) = Self.process(&ensemble, values: [Double](repeating: 1, count: script.count))
        let deviation = 99.0.squareRoot()
        #expect(scores[0] == 0.99)
        #expect(abs(scores[10] - 0.99 * deviation / (deviation + 4)) < 1e-12)
        #expect(abs(scores[20] - 0.99 / 2) < 1e-12)
        #expect(abs(scores[30] - 0.99 / 2) < 1e-12)
    }

    @Test
    func noveltyGrowthMustBeFiniteAndNotNegative() {
        var parameters = EnsembleDetector.Parameters()
        parameters.noveltyGrowth = -1
        #expect(throws: DetectionError.self) { try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: []))], parameters: parameters) }
        parameters.noveltyGrowth = 8
        parameters.noveltyFloor = .infinity
        #expect(throws: DetectionError.self) { try EnsembleDetector(members: [EnsembleMember(name: "a", detector: ScriptedDetector(script: []))], parameters: parameters) }
    }

    @Test
    func sustainedNoveltySettingsMustBeUsable() {
        let members = [EnsembleMember(name: "a", detector: ScriptedDetector(script: []))]
        for change in [{ (p: inout EnsembleDetector.Parameters) in p.sustainedFrom = -0.1 },
                       { (p: inout EnsembleDetector.Parameters) in p.sustainedFrom = .nan },
                       { (p: inout EnsembleDetector.Parameters) in p.sustainedMilliseconds = -1 },
                       { (p: inout EnsembleDetector.Parameters) in p.sustainedPoints = 0 }] {
            var parameters = EnsembleDetector.Parameters()
            change(&parameters)
            #expect(throws: DetectionError.self) { try EnsembleDetector(members: members, parameters: parameters) }
        }
        var off = EnsembleDetector.Parameters()
        off.sustainedFrom = 0
        #expect(throws: Never.self) { try EnsembleDetector(members: members, parameters: off) }
    }

    @Test
    func anEnsembleNeedsMembers() {
        #expect(throws: DetectionError.self) { try EnsembleDetector(members: []) }
    }
}
