import AuroraCore
@testable import AuroraIngest
import Foundation
import Testing

/// Generated series, each a kind of metric an operator dumps: the counters must be recognised by
/// their shape, and none of the gauges that look a little like them.
enum GeneratedMetric {
    /// Five-minute points over four weeks.
    static let fourWeeks = 4 * 7 * 288

    /// A raw request counter: Poisson increments following a daily cycle (busy days, quiet nights),
    /// starting from wherever the process had got to, reset to zero by `resets` restarts.
    static func requestCounter(points: Int = fourWeeks, resets: Int = 2, peak: Double = 400, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        let restarts = Set((0..<resets).map { _ in Int(random.nextUnit() * Double(points - 2)) + 1 })
        var total = 1e6 * random.nextUnit()
        return (0..<points).map { index in
            let dayPhase = Double(index % 288) / 288
            let mean = peak * (0.55 - 0.45 * cos(2 * .pi * dayPhase))
            if restarts.contains(index) { total = 0 }
            total += random.nextPoisson(mean: mean)
            return total
        }
    }

    /// Bytes sent: lognormal increments (a few large transfers among many small ones), one reset.
    static func byteCounter(points: Int = fourWeeks, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        let restart = points / 3 + Int(random.nextUnit() * Double(points / 3))
        var total = 5e9 * random.nextUnit()
        return (0..<points).map { index in
            if index == restart { total = 0 }
            total += exp(12 + 1.5 * random.nextNormal())
            return total
        }
    }

    /// An error counter: most five-minute steps see no error at all.
    static func errorCounter(points: Int = fourWeeks, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        var total = 0.0
        return (0..<points).map { _ in
            total += random.nextPoisson(mean: 0.2)
            return total
        }
    }

    /// A gauge: a level with noise.
    static func noisyGauge(points: Int = fourWeeks, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        return (0..<points).map { _ in max(0, 50 + 8 * random.nextNormal()) }
    }

    /// A random walk kept positive, drifting upwards on average: it still falls at about a third of its steps.
    static func randomWalk(points: Int = fourWeeks, drift: Double = 0.5, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        var level = 100.0
        return (0..<points).map { _ in
            level = abs(level + drift + random.nextNormal())
            return level
        }
    }

    /// A queue that fills for `period` steps and is drained empty at once, again and again.
    static func sawtoothQueue(points: Int = fourWeeks, period: Int = 12, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        var depth = 0.0
        return (0..<points).map { index in
            if index % period == 0 { depth = 0 }
            depth += exp(3 + 0.5 * random.nextNormal())
            return depth
        }
    }

    /// A queue worked off a bit at a time: it rises, then drains over several steps.
    static func drainingQueue(points: Int = fourWeeks, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        var depth = 0.0
        return (0..<points).map { index in
            let filling = index % 48 < 36
            depth = max(0, depth + (filling ? 1 : -3) * exp(2 + 0.5 * random.nextNormal()))
            return depth
        }
    }

    /// Disk usage: grows slowly, with small dips when logs rotate or a temporary file goes.
    static func diskUsage(points: Int = fourWeeks, seed: UInt64) -> [Double] {
        var random = Xoshiro256(seed: seed)
        var used = 200e9
        return (0..<points).map { _ in
            used += random.nextUnit() < 0.05 ? -used * 0.01 * random.nextUnit() : 2e6 * random.nextUnit()
            return used
        }
    }
}

@Suite struct CounterShapeTests {
    static let seeds: [UInt64] = [1, 2, 3, 17, 42, 1234]

    @Test(arguments: seeds)
    func rawCountersAreRecognised(seed: UInt64) {
        #expect(CounterShape.verdict(GeneratedMetric.requestCounter(seed: seed)) == .cumulative)
        #expect(CounterShape.verdict(GeneratedMetric.requestCounter(resets: 0, seed: seed)) == .cumulative)
        #expect(CounterShape.verdict(GeneratedMetric.byteCounter(seed: seed)) == .cumulative)
        #expect(CounterShape.verdict(GeneratedMetric.errorCounter(seed: seed)) == .cumulative)
        // A day, and the shortest series judged at all.
        #expect(CounterShape.verdict(GeneratedMetric.requestCounter(points: 288, resets: 1, seed: seed)) == .cumulative)
        #expect(CounterShape.verdict(GeneratedMetric.requestCounter(points: 10, resets: 0, seed: seed)) == .cumulative)
    }

    @Test(arguments: seeds)
    func gaugesAreNot(seed: UInt64) {
        #expect(CounterShape.verdict(GeneratedMetric.noisyGauge(seed: seed)) == .falls)
        #expect(CounterShape.verdict(GeneratedMetric.randomWalk(seed: seed)) == .falls)
        #expect(CounterShape.verdict(GeneratedMetric.randomWalk(drift: 3, seed: seed)) == .falls)
        #expect(CounterShape.verdict(GeneratedMetric.drainingQueue(seed: seed)) == .falls)
        #expect(CounterShape.verdict(GeneratedMetric.diskUsage(seed: seed)) == .falls)
        #expect(CounterShape.verdict(GeneratedMetric.sawtoothQueue(seed: seed)) == .resetsTooOften)
        // Emptied every two hours: still far more often than a counter's process restarts.
        #expect(CounterShape.verdict(GeneratedMetric.sawtoothQueue(period: 24, seed: seed)) == .resetsTooOften)
    }

    @Test func constantsAndSteppedGaugesRiseTooSeldom() {
        #expect(CounterShape.verdict([Double](repeating: 7, count: 500)) == .seldomRises)
        #expect(CounterShape.verdict([Double](repeating: 0, count: 500)) == .seldomRises)
        // Replicas scaled up twice in a month.
        let replicas = (0..<GeneratedMetric.fourWeeks).map { index in index < 3000 ? 3.0 : index < 6000 ? 4 : 6 }
        #expect(CounterShape.verdict(replicas) == .seldomRises)
        // A counter that rose for a day and then stopped (a batch that finished) is no longer one to rate.
        let stalled = (0..<GeneratedMetric.fourWeeks).map { Double(min($0, 288)) }
        #expect(CounterShape.verdict(stalled) == .seldomRises)
    }

    /// Both kinds were in the development corpora (NAB's art_daily_perfect_square_wave, a cloudmon
    /// purchase count of 0, 1 and 2): their drops to the low level look like resets.
    @Test func levelsSwitchingUpAndDownAreNot() {
        let squareWave = (0..<4032).map { index in (index / 144) % 2 == 0 ? 20.0 : 80 }
        #expect(CounterShape.verdict(squareWave) == .switchesLevel)
        // Up for one sample in 80: drops rare enough to pass for resets, but one rise per drop.
        let flag = (0..<1248).map { index in index % 80 == 40 ? 1.0 : 0 }
        #expect(CounterShape.verdict(flag) == .switchesLevel)
    }

    @Test func staircasesAndRareEventCountersRiseTooSeldom() {
        // A version number bumped at every deploy, twice a day.
        let version = (0..<GeneratedMetric.fourWeeks).map { Double($0 / 144) }
        #expect(CounterShape.verdict(version) == .seldomRises)
        // An error counter rising at one step in fifty: left to the operator (its rate is as sparse).
        var random = Xoshiro256(seed: 9)
        var total = 0.0
        let rareErrors = (0..<GeneratedMetric.fourWeeks).map { _ in
            if random.nextUnit() < 0.02 { total += 1 }
            return total
        }
        #expect(CounterShape.verdict(rareErrors) == .seldomRises)
    }

    @Test func shortAndNegativeSeriesAreNot() {
        #expect(CounterShape.verdict((0..<9).map(Double.init)) == .tooShort)
        #expect(CounterShape.verdict([]) == .tooShort)
        #expect(CounterShape.verdict((0..<100).map { Double($0) - 5 }) == .negative)
        #expect(CounterShape.verdict((0..<100).map { $0 == 50 ? -1 : Double($0) }) == .negative)
    }

    @Test func aDropIsAResetOnlyBelowHalfThePreviousValue() {
        var values = (0..<200).map { 1000 + Double($0) * 10 }
        values[100] = 0.49 * values[99]
        for index in 101..<200 { values[index] = values[100] + Double(index - 100) * 10 }
        #expect(CounterShape.verdict(values) == .cumulative)
        values[100] = 0.6 * values[99]
        #expect(CounterShape.verdict(values) == .falls)
    }

    @Test func resetsMayComeOncePerFiftyStepsAtMost() {
        // 501 points, 500 steps: ten resets are allowed, eleven are not.
        func counter(resetEvery period: Int) -> [Double] { (0...500).map { Double($0 % period) + 1 } }
        #expect(CounterShape.verdict(counter(resetEvery: 50)) == .cumulative)
        #expect(CounterShape.verdict(counter(resetEvery: 45)) == .resetsTooOften)
    }
}

/// How ingestion uses the recogniser: every series is judged, and `rate` turns the recognised ones
/// into rates like the declared ones, saying which was which.
@Suite struct CounterRatingTests {
    /// A long CSV of an undeclared counter `requests` (one reset, at row 70: a short series may not
    /// reset at all), a declared `errors_total` and a gauge `temperature`, a minute apart.
    static let csv: String = {
        var text = "timestamp,metric,value\n"
        for row in 0..<120 {
            let seconds = 1_709_251_200 + row * 60
            let requests = row < 70 ? 1000 + row * 120 : (row - 70) * 60 + 30
            text += "\(seconds),requests,\(requests)\n\(seconds),errors_total,\(row / 2)\n"
            text += "\(seconds),temperature,\(20 + row % 3)\n"
        }
        return text
    }()

    @Test func withoutRateCountersAreNamedButKeptRaw() throws {
        let result = try ingestText(Self.csv)
        let reports = Dictionary(uniqueKeysWithValues: result.report.series.map { ($0.key.name, $0) })
        #expect(reports["requests"]?.counter == .shape)
        #expect(reports["errors_total"]?.counter == .declared)
        #expect(reports["temperature"]?.counter == nil)
        #expect(result.report.series.allSatisfy { !$0.isRate && $0.counterResets == 0 })
        #expect(result.series.first { $0.key.name == "requests" }?.values.first == 1000)
    }

    @Test func rateTurnsRecognisedCountersIntoRatesLikeDeclaredOnes() throws {
        let result = try ingestText(Self.csv, options: IngestOptions(rate: true))
        let requests = try #require(result.series.first { $0.key.name == "requests:rate" })
        // 120 a minute before the reset, the value after it counted whole (30 in that minute), then 60.
        #expect(requests.values == Array(repeating: 2, count: 69) + [0.5] + Array(repeating: 1, count: 49))
        let report = try #require(result.report.series.first { $0.key.name == "requests:rate" })
        #expect(report.counter == .shape && report.isRate && report.counterResets == 1)
        #expect(result.report.series.first { $0.key.name == "errors_total:rate" }?.isRate == true)
        #expect(result.series.first { $0.key.name == "temperature" }?.values.count == 120)
    }

    /// Rows kept in file order (`--emit scores`, eval) are never judged: they are scored as written.
    @Test func rowsInFileOrderAreNotJudged() throws {
        var options = IngestOptions(rate: true)
        options.keepFileOrder = true
        let result = try ingestText(Self.csv, options: options)
        #expect(result.report.series.allSatisfy { $0.counter == nil && !$0.isRate })
    }
}
