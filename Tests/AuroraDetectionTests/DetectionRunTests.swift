import AuroraCore
import Testing
@testable import AuroraDetection

/// The run over many series: parallel, ordered, resumable.
struct DetectionRunTests {
    static func series(_ index: Int, count: Int = 4_000, spikeAt: Int = 3_000) -> Series {
        var values = ConstructedSeries.noise(count, seed: UInt64(index + 1))
        values[spikeAt] += 40
        return Series(key: SeriesKey(name: "latency", labels: ["pod": "p\(index)"]), timestamps: ConstructedSeries.timestamps(count), values: values)
    }

    @Test
    func resultsFollowInputOrderAndFindTheSpike() async throws {
        let run = try DetectionRun(emitScores: true, concurrency: 3)
        let input = (0..<6).map { Self.series($0) }
        let results = try await run.run(input)
        #expect(results.map(\.key) == input.map(\.key))
        for result in results {
            #expect(result.scores.count == 4_000)
            #expect(result.events.contains { $0.start == ConstructedSeries.timestamps(4_000)[3_000] })
            #expect(result.events.count <= 3)
        }
    }

    @Test
    func continuingFromSavedStateEqualsOneRun() throws {
        let run = try DetectionRun(emitScores: true)
        let whole = Self.series(1, count: 5_000, spikeAt: 4_000)
        let once = try run.run(whole)
        let cut = 2_222
        let head = Series(key: whole.key, timestamps: Array(whole.timestamps[..<cut]), values: Array(whole.values[..<cut]))
        let tail = Series(key: whole.key, timestamps: Array(whole.timestamps[cut...]), values: Array(whole.values[cut...]))
        let first = try run.run(head)
        let second = try run.run(tail, state: first.state)
        #expect(first.scores + second.scores == once.scores)
        #expect(second.state == once.state)
        #expect(first.events.filter { !$0.ongoing } + second.events == once.events)
    }

    /// What stored detection does between checkpoints: restore an older state and replay the points
    /// scored since, then score the new ones. The replay gives no scores and reports no closed event;
    /// the new points score, and the state ends, exactly as in one run.
    @Test
    func replayingFromAnOlderStateEqualsOneRun() throws {
        let run = try DetectionRun(emitScores: true)
        let whole = Self.series(1, count: 5_000, spikeAt: 3_000)
        let once = try run.run(whole)
        let checkpoint = 2_222
        let scored = 3_100
        let head = Series(key: whole.key, timestamps: Array(whole.timestamps[..<checkpoint]), values: Array(whole.values[..<checkpoint]))
        let tail = Series(key: whole.key, timestamps: Array(whole.timestamps[checkpoint...]), values: Array(whole.values[checkpoint...]))
        let first = try run.run(head)
        let resumed = try run.run(tail, state: first.state, replaying: scored - checkpoint)
        #expect(resumed.scores == Array(once.scores[scored...]))
        #expect(resumed.state == once.state)
        // The spike's event closed among the replayed points: the earlier run reported it.
        #expect(once.events.contains { $0.start == whole.timestamps[3_000] })
        #expect(!resumed.events.contains { $0.start == whole.timestamps[3_000] })
        // Exactly what continuing from a state saved at the last scored point reports.
        let upTo = try run.run(Series(key: whole.key, timestamps: Array(whole.timestamps[..<scored]), values: Array(whole.values[..<scored])))
        let continued = try run.run(Series(key: whole.key, timestamps: Array(whole.timestamps[scored...]), values: Array(whole.values[scored...])),
                                    state: upTo.state)
        #expect(resumed.events == continued.events)
        // Without the state wanted, none is encoded.
        #expect(try run.run(tail, state: first.state, replaying: 10, savingState: false).state.isEmpty)
    }

    /// Many small series go to the tasks in runs; the results keep the input order and equal one run each.
    @Test
    func smallSeriesScoredInRunsKeepTheirOrder() async throws {
        let run = try DetectionRun(concurrency: 2)
        let input = (0..<300).map { Self.series($0, count: 40, spikeAt: 35) }
        let results = try await run.run(input.map { DetectionInput(series: $0) })
        #expect(results.map(\.key) == input.map(\.key))
        for (series, result) in zip(input, results).prefix(5) {
            let alone = try run.run(series)
            #expect(result.events == alone.events)
            #expect(result.state == alone.state)
        }
    }

    @Test
    func overridesApplyToSelectedSeriesOnly() throws {
        var settings = DetectionSettings()
        settings.overrides = [DetectionSettings.Override(applies: { $0[label: "pod"] == "p1" }, change: { $0.ensembleMembers = ["mad"] })]
        let run = try DetectionRun(settings: settings)
        #expect(try run.ensemble(for: SeriesKey(name: "x", labels: ["pod": "p1"])).members.map(\.name) == ["mad"])
        #expect(try run.ensemble(for: SeriesKey(name: "x", labels: ["pod": "p2"])).members.map(\.name) == ["seasonal"])
    }

    @Test
    func rulesJoinOnlyTheSeriesTheySelect() throws {
        var settings = DetectionSettings()
        let identity = RuleIdentity(name: "slow", severity: .warning, service: "checkout")
        settings.rules = [try ThresholdRule(identity: identity, matcher: SeriesMatcher(labels: ["pod": "p1"]), condition: .above(1_000))]
        let run = try DetectionRun(settings: settings)
        #expect(try run.ensemble(for: SeriesKey(name: "x", labels: ["pod": "p1"])).members.map(\.name) == ["seasonal", "slow"])
        #expect(try run.ensemble(for: SeriesKey(name: "x", labels: ["pod": "p2"])).members.count == 1)
    }

    @Test
    func unknownDetectorNamesAreRejectedUpFront() {
        #expect(throws: DetectionError.self) { try DetectionRun(detectors: ["zscore", "nope"]) }
    }

    @Test
    func hostileInputNeverCrashesAndScoresStayInRange() throws {
        var settings = DetectionSettings()
        let identity = RuleIdentity(name: "any", service: "svc")
        settings.rules = [
            try ThresholdRule(identity: identity, condition: .above(1), forDuration: 60_000),
            try RateOfChangeRule(identity: identity, maximumPerSecond: 1),
            try AbsentDataRule(identity: identity, maximumGap: 60_000),
        ]
        let run = try DetectionRun(settings: settings, detectors: DetectorRegistry.standard.names, emitScores: true)
        var timestamps: [Int64] = [.min, .max, 0, -5, .min, 7, .max, 7]
        var values: [Double] = [.infinity, -.infinity, 1e308, .nan, -1e308, 0, 5, .nan]
        for index in 0..<200 {
            timestamps.append(index % 3 == 0 ? .max - Int64(index) : Int64(index) * 1_000)
            values.append(index % 5 == 0 ? .infinity : Double(index % 7))
        }
        let result = try run.run(Series(key: SeriesKey(name: "hostile"), timestamps: timestamps, values: values))
        #expect(result.scores.count == values.count)
        #expect(result.scores.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test
    func theStateOfAnEmptyRunRestores() throws {
        let run = try DetectionRun(emitScores: true)
        let empty = try run.run(Series(key: SeriesKey(name: "quiet")))
        let next = try run.run(Self.series(0, count: 100, spikeAt: 50), state: empty.state)
        #expect(next.scores.count == 100)
    }
}
