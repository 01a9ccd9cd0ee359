import AuroraCore
import Foundation
import Testing
@testable import AuroraDetection

/// The default ensemble on the cases the issue names: each must page once, near its onset, and then
/// go quiet (a persistent change is the new normal, not an incident that lasts for ever).
struct HardCaseTests {
    static func run(_ values: [Double], step: Int64 = 300_000, settings: DetectionSettings = DetectionSettings()) throws -> SeriesDetection {
        let timestamps = (0..<values.count).map { ConstructedSeries.start + Int64($0) * step }
        return try DetectionRun(settings: settings, emitScores: true).run(Series(key: SeriesKey(name: "cpu"), timestamps: timestamps, values: values))
    }

    static func index(of timestamp: Int64, step: Int64 = 300_000) -> Int { Int((timestamp - ConstructedSeries.start) / step) }

    /// `aurora watch` on a fresh series: two minutes at a 1 s scrape, a tenfold level shift at 80 s.
    @Test
    func aTenfoldShiftInTwoMinutesOfOneSecondSamples() throws {
        var generator = Xoshiro256(seed: 3)
        let values = (0..<120).map { 10 + generator.nextNormal() * 0.5 + ($0 >= 80 ? 90 : 0) }
        let result = try Self.run(values, step: 1_000)
        let onsets = result.events.map { Self.index(of: $0.start, step: 1_000) }
        #expect(onsets.contains { (80...82).contains($0) }, "onsets \(onsets)")
        #expect(onsets.allSatisfy { $0 >= 80 }, "nothing before the shift: \(onsets)")
    }

    /// `aurora watch` on a fresh series at Prometheus' usual 15 s scrape: two minutes of history (8
    /// points) and then a jump of thirty spreads. Before the seasonal member's 30 residuals it is
    /// judged as a small sample (Student's t): with 8 points about twenty spreads reach the alarm.
    @Test(arguments: [3, 4, 5] as [UInt64])
    func aJumpAfterTwoMinutesOfFifteenSecondSamplesPages(seed: UInt64) throws {
        var generator = Xoshiro256(seed: seed)
        let values = (0..<12).map { 100 + generator.nextNormal() * 3 + ($0 == 8 ? 90 : 0) }
        let result = try Self.run(values, step: 15_000)
        let onsets = result.events.map { Self.index(of: $0.start, step: 15_000) }
        #expect(onsets == [8], "onsets \(onsets)")
    }

    /// The other side of the rule above: the first half-minute to seven minutes of plain noise, of many
    /// fresh series, never pages.
    @Test
    func theFirstPointsOfNoiseNeverPage() throws {
        for seed in 0..<40 as Range<UInt64> {
            var generator = Xoshiro256(seed: seed)
            let values = (0..<30).map { _ in 100 + generator.nextNormal() * 3 }
            let result = try Self.run(values, step: 15_000)
            #expect(result.events.isEmpty, "seed \(seed): \(result.events.map { Self.index(of: $0.start, step: 15_000) })")
        }
    }

    /// A CPU series whose level steps up for good: one alarm at the shift, then the new level is normal.
    @Test
    func aPersistentLevelShiftPagesOnceThenIsLearnt() throws {
        var generator = Xoshiro256(seed: 5)
        let values = (0..<3_000).map { 20 + 2 * generator.nextNormal() + ($0 >= 2_000 ? 15 : 0) }
        let result = try Self.run(values)
        let onsets = result.events.map { Self.index(of: $0.start) }
        #expect(onsets.contains { (2_000...2_003).contains($0) }, "onsets \(onsets)")
        #expect(onsets.filter { $0 > 2_100 }.isEmpty, "the new level became normal: \(onsets) \(result.scores[2_000..<2_200].map { ($0 * 100).rounded() })")
        #expect(result.scores[2_500..<3_000].allSatisfy { $0 < 0.25 })
    }

    /// CPU utilisation on 5-minute data with a spike of 40 to 70 points two or three times a day, then
    /// a level shift of 8 standard deviations that stays: smaller than every spike, so point novelty
    /// alone (its yardstick the spikes) never paged for it. The spikes never lasted; the shift does,
    /// and pages within the hour, once.
    @Test(arguments: [21, 22, 23] as [UInt64])
    func aLevelShiftSmallerThanTheSeriesSpikesPagesWithinTheHour(seed: UInt64) throws {
        var generator = Xoshiro256(seed: seed)
        var values = (0..<4_000).map { _ in 20 + generator.nextNormal() }
        for _ in 0..<30 { values[100 + Int(generator.next() % 2_900)] += 40 + 30 * generator.nextUnit() }
        for index in 3_000..<4_000 { values[index] += 8 }
        let result = try Self.run(values)
        let onsets = result.events.map { Self.index(of: $0.start) }
        #expect(onsets.filter { (3_000..<3_100).contains($0) }.count == 1, "one page for the shift: \(onsets)")
        #expect(onsets.contains { (3_000...3_012).contains($0) }, "within the hour: \(onsets)")
        #expect(onsets.filter { $0 >= 3_100 }.isEmpty, "the new level became normal: \(onsets)")

        var pointNoveltyOnly = DetectionSettings()
        pointNoveltyOnly.ensemble.sustainedFrom = 0
        let before = try Self.run(values, settings: pointNoveltyOnly)
        #expect(!before.events.contains { (3_000..<3_100).contains(Self.index(of: $0.start)) },
                "the blind spot this guards against: \(before.events.map { Self.index(of: $0.start) })")
    }

    /// A crash-rate-like series: a huge first fault, then a repeat a third of its size. The repeat
    /// is an incident too; an unbounded novelty yardstick (the first fault's deviation, kept for the
    /// whole horizon) made it look routine and it never paged.
    @Test
    func aSmallerRepeatAfterAHugeFirstFaultStillPages() throws {
        var generator = Xoshiro256(seed: 11)
        var values = (0..<3_000).map { _ in 100 + generator.nextNormal() }
        for index in 1_500..<1_503 { values[index] += 60 }
        for index in 2_200..<2_203 { values[index] += 20 }
        let result = try Self.run(values)
        let onsets = result.events.map { Self.index(of: $0.start) }
        #expect(onsets.contains { (1_500...1_502).contains($0) }, "onsets \(onsets)")
        #expect(onsets.contains { (2_200...2_202).contains($0) }, "the repeat pages: \(onsets)")

        var unbounded = DetectionSettings()
        unbounded.ensemble.noveltyGrowth = 0
        let before = try Self.run(values, settings: unbounded)
        #expect(!before.events.map { Self.index(of: $0.start) }.contains { (2_200...2_202).contains($0) },
                "the blind spot this guards against: \(before.scores[2_200..<2_203].map { ($0 * 100).rounded() })")
    }

    /// `aurora watch` at a 1 s scrape: a tenfold rise for a minute, then the same fault again 400 s
    /// later. The repeat is as much an incident as the first and should score like it, well above
    /// the incident threshold (`diagnosis.incident-min-score`, 0.5). Known limitation: the first
    /// fault's residuals widen the seasonal detector's scale floor (a quarter of the standard deviation
    /// of its last 1,000 residuals grows sevenfold), so the repeat deviates about 5 times the alarm
    /// level where the first deviated 36, against a novelty yardstick that remembers the first fault
    /// at its growth bound (4): the repeat scores about 0.54 (0.98 the first). The fixes measured
    /// (docs/detection-experiments.md, "The repeat-fault blind spot") either cost NAB more than the
    /// acceptance rule allows or do not lift the repeat; when one passes, this stops being a known issue.
    @Test
    func aRepeatOfAnEqualFaultPagesLikeTheFirst() throws {
        var generator = Xoshiro256(seed: 31)
        let first = 300..<360
        let again = 760..<820
        let values = (0..<1_200).map { second in
            (10 + 0.5 * generator.nextNormal()) * (first.contains(second) || again.contains(second) ? 10 : 1)
        }
        let result = try Self.run(values, step: 1_000)
        let onset = { (range: Range<Int>) in
            result.events.first { (range.lowerBound...(range.lowerBound + 2)).contains(Self.index(of: $0.start, step: 1_000)) }?.score ?? 0
        }
        let firstScore = onset(first)
        #expect(firstScore >= 0.9, "the first fault pages: \(firstScore)")
        withKnownIssue("an equal repeat while the first fault is in the seasonal window scores about half") {
            let repeatScore = onset(again)
            #expect(repeatScore >= 0.5 && repeatScore >= firstScore - 0.2, "first \(firstScore), repeat \(repeatScore)")
        }
    }

    /// A value that stops moving where it used to vary is worth a look once, not for ever.
    @Test
    func aFlatSeriesThatMovesPagesOnce() throws {
        let values = (0..<2_000).map { $0 >= 1_500 && $0 < 1_510 ? 7.0 : 5.0 }
        let result = try Self.run(values)
        let onsets = result.events.map { Self.index(of: $0.start) }
        #expect(onsets.first == 1_500, "onsets \(onsets)")
        #expect(onsets.count <= 2, "onsets \(onsets)")
    }

    /// An integer gauge (a queue depth, integer CPU %) that is mostly 10 and sometimes 9 or 11, four
    /// weeks of 5-minute points: its MAD is the jitter of the profile around 10, so one step scored a
    /// dozen sigmas and paged 515 to 601 times in four weeks. Judged on at least the spread rounding
    /// adds (1/√12 of a step), one step is 3.5 scales: at most one such page in four weeks.
    @Test(arguments: [0, 1, 2] as [UInt64])
    func anIntegerGaugeThatWobblesByOneStepDoesNotPage(seed: UInt64) throws {
        var generator = Xoshiro256(seed: seed)
        let values = (0..<288 * 28).map { _ in (10 + 0.4 * generator.nextNormal()).rounded() }
        let events = try Self.run(values).events
        // Two steps (a 4σ draw of the noise beneath, a few a month) may page; one step hardly ever does
        // (where the profile is a tenth off the integer it mostly holds, a step can reach the threshold).
        let oneStep = events.filter { abs($0.peakValue - 10) < 2 }
        #expect(oneStep.count <= 1, "\(oneStep.map { Self.index(of: $0.start) }) scores \(oneStep.map(\.score))")
        #expect(events.count <= 8, "\(events.map { Self.index(of: $0.start) })")
        var unfloored = DetectionSettings()
        unfloored.seasonal.integerScale = 0
        #expect(try Self.run(values, settings: unfloored).events.count >= 100, "the blind spot this guards against")
    }

    /// A replica count that is 3 and, one point in fifty, 4: autoscaling at work, not an incident.
    @Test(arguments: [0, 1, 2] as [UInt64])
    func aReplicaCountThatScalesByOneDoesNotPage(seed: UInt64) throws {
        var generator = Xoshiro256(seed: seed)
        let values = (0..<288 * 28).map { _ in generator.nextUnit() < 0.02 ? 4.0 : 3.0 }
        #expect(try Self.run(values).events.count <= 2)
    }

    /// The same gauge moving four steps for an hour still pages, at the move.
    @Test(arguments: [0, 1, 2] as [UInt64])
    func anIntegerGaugeThatMovesFourStepsPages(seed: UInt64) throws {
        var generator = Xoshiro256(seed: seed)
        let values = (0..<288 * 14).map { index in (10 + 0.4 * generator.nextNormal()).rounded() + (3_000..<3_012 ~= index ? 4 : 0) }
        let onsets = try Self.run(values).events.map { Self.index(of: $0.start) }
        #expect(onsets.contains { (3_000...3_002).contains($0) }, "onsets \(onsets)")
    }

    /// Hourly traffic that doubles for good (a deploy, a new customer): one page, then the new level
    /// is normal. Without re-basing (`shiftConfirmation` 0, the value cross-validation prefers on
    /// the benchmarks) the profiles take days to catch up and the series pages again day after day,
    /// which is why the default keeps re-basing (docs/detection-experiments.md).
    @Test
    func hourlyTrafficThatDoublesForGoodPagesOnce() throws {
        var generator = Xoshiro256(seed: 19)
        let shiftAt = 60 * 24
        let values = (0..<(120 * 24)).map { hour in
            let daily = 100 + 30 * sin(2 * Double.pi * Double(hour % 24) / 24)
            return (hour >= shiftAt ? 2 * daily : daily) + 3 * generator.nextNormal()
        }
        let hour: Int64 = 3_600_000
        let result = try Self.run(values, step: hour)
        let onsets = result.events.map { Self.index(of: $0.start, step: hour) }
        #expect(onsets.contains { (shiftAt...(shiftAt + 2)).contains($0) }, "onsets \(onsets)")
        #expect(onsets.filter { $0 > shiftAt + 2 }.isEmpty, "the new level became normal: \(onsets)")

        var neverRebased = DetectionSettings()
        neverRebased.seasonal.shiftConfirmation = 0
        let without = try Self.run(values, step: hour, settings: neverRebased).events.map { Self.index(of: $0.start, step: hour) }
        #expect(without.filter { $0 > shiftAt + 24 }.count >= 5, "what re-basing prevents: \(without)")
    }

    /// A minute-sampled burst that lasts an hour and then ends: one page at its start, none when it
    /// ends. Confirmed by 48 points alone (48 minutes), the burst became the new normal and its end
    /// paged as a drop; the confirming run must also span 8 hours.
    @Test
    func anHourLongBurstOnMinuteDataIsNotAdoptedAsTheNewNormal() throws {
        var generator = Xoshiro256(seed: 29)
        let burst = 3_000..<3_060
        let values = (0..<4_000).map { minute in 100 + 2 * generator.nextNormal() + (burst.contains(minute) ? 40 : 0) }
        let minute: Int64 = 60_000
        let onsets = try Self.run(values, step: minute).events.map { Self.index(of: $0.start, step: minute) }
        #expect(onsets.contains { (burst.lowerBound...(burst.lowerBound + 2)).contains($0) }, "onsets \(onsets)")
        #expect(!onsets.contains { $0 >= burst.upperBound }, "the burst's end is no new incident: \(onsets)")

        var pointsOnly = DetectionSettings()
        pointsOnly.seasonal.shiftConfirmationMilliseconds = 0
        let before = try Self.run(values, step: minute, settings: pointsOnly).events.map { Self.index(of: $0.start, step: minute) }
        #expect(before.contains { (burst.upperBound...(burst.upperBound + 2)).contains($0) }, "what the span prevents: \(before)")
    }

    /// A crash series (hourly, about 20 crashes an hour, then about 1,500 for 5 to 10 hours, ten times
    /// in 40 days): every crash is an incident, however often it has happened. Novelty alone made
    /// each repeat routine (the later ones scored 0.3 to 0.5, about `diagnosis.incident-min-score`);
    /// held far outside the series' normal range, each keeps nearly the first one's score.
    @Test
    func aRecurringHugeFaultPagesEveryTime() throws {
        var generator = Xoshiro256(seed: 7)
        let crashes = [(8, 5, 8), (11, 14, 6), (14, 2, 10), (17, 20, 7), (21, 9, 8), (24, 16, 6), (28, 3, 9), (31, 11, 7), (35, 6, 8), (38, 15, 6)]
            .map { day, hour, hours in (24 * day + hour)..<(24 * day + hour + hours) }
        let values = (0..<24 * 40).map { hour in
            crashes.contains { $0.contains(hour) } ? (1_500 + 100 * generator.nextNormal()).rounded() : max(0, (20 + 4 * generator.nextNormal()).rounded())
        }
        let hour: Int64 = 3_600_000
        let scoreOf = { (result: SeriesDetection, crash: Range<Int>) in
            result.events.filter { crash.contains(Self.index(of: $0.start, step: hour)) }.map(\.score).max() ?? 0
        }
        let result = try Self.run(values, step: hour)
        for crash in crashes {
            #expect(scoreOf(result, crash) >= 0.8, "the crash at hour \(crash.lowerBound) scores \(scoreOf(result, crash))")
        }
        #expect(result.events.count == crashes.count, "one event per crash: \(result.events.map { Self.index(of: $0.start, step: hour) })")

        var withoutFloor = DetectionSettings()
        withoutFloor.ensemble.magnitudeFrom = 0
        let before = try Self.run(values, step: hour, settings: withoutFloor)
        #expect(crashes.dropFirst(4).allSatisfy { scoreOf(before, $0) < 0.5 },
                "what the floor guards against: \(crashes.map { scoreOf(before, $0) })")
    }

    /// A daily two-hour burst of six standard deviations (a batch job, say) on 5-minute data for three
    /// weeks: routine after the first, and the magnitude floor must not make it page again (it is a
    /// few interquartile ranges from the median, not twenty).
    @Test
    func aRecurringModerateBurstIsStillDiscounted() throws {
        var generator = Xoshiro256(seed: 9)
        let values = (0..<288 * 21).map { point in 100 + 5 * generator.nextNormal() + ((150..<174).contains(point % 288) ? 30 : 0) }
        let result = try Self.run(values)
        let onsets = result.events.map { Self.index(of: $0.start) }
        #expect(onsets.filter { $0 >= 288 * 2 }.isEmpty, "routine after the first days: \(onsets)")
        var withoutFloor = DetectionSettings()
        withoutFloor.ensemble.magnitudeFrom = 0
        #expect(try Self.run(values, settings: withoutFloor).scores == result.scores)
    }
}
