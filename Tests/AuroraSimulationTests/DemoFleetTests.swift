import AuroraCore
import AuroraSimulation
import Testing

/// The demo fleet's metrics: deterministic, minute by minute, and a fault that spreads one hop a
/// minute from the faulty service to its callers (what `aurora demo` diagnoses).
@Suite struct DemoFleetSeriesTests {
    let start: Int64 = 1_767_225_600

    func latency(_ series: [Series], _ service: String) throws -> Series {
        try #require(series.first { $0.key.name == "latency_ms" && $0.key[label: "service"] == service })
    }

    @Test func theSameSeedGivesTheSameSeriesAndAnotherSeedDiffers() {
        let range = (from: start, to: start + 3600)
        #expect(DemoFleet().series(from: range.from, to: range.to, faults: []) == DemoFleet().series(from: range.from, to: range.to, faults: []))
        #expect(DemoFleet(seed: 1).series(from: range.from, to: range.to, faults: []) != DemoFleet().series(from: range.from, to: range.to, faults: []))
    }

    @Test func everyServiceHasItsMetricsEveryMinute() {
        let series = DemoFleet().series(from: start + 30, to: start + 600, faults: [])
        // Four metrics per service, and postgres's connection pool.
        #expect(series.count == DemoFleet.services.count * 4 + 1)
        for item in series {
            #expect(item.timestamps.first == start * 1000)
            #expect(item.count == 10)
            #expect(zip(item.timestamps, item.timestamps.dropFirst()).allSatisfy { $1 - $0 == DemoFleet.stepSeconds * 1000 })
        }
    }

    @Test func aFaultAtPostgresReachesItsCallersOneHopAMinuteLater() throws {
        let faultAt = start + 3600
        let series = DemoFleet().series(from: start, to: faultAt + 600, faults: [.init(service: "postgres", start: faultAt)])
        // The first minute each service is at least three times its usual latency.
        func firstSlowMinute(_ service: String) throws -> Int64? {
            let item = try latency(series, service)
            let usual = item.values[0..<30].reduce(0, +) / 30
            return zip(item.timestamps, item.values).first { $0.1 > 3 * usual }.map { ($0.0 / 1000 - faultAt) / 60 }
        }
        #expect(try firstSlowMinute("postgres") == 0)
        #expect(try firstSlowMinute("payments") == 1)
        #expect(try firstSlowMinute("checkout") == 2)
        #expect(try firstSlowMinute("frontend") == 3)
    }

    @Test func theLongCSVHasOneRowPerPointInTimeOrder() {
        let series = DemoFleet().series(from: start, to: start + 180, faults: [])
        let lines = DemoFleet.longCSV(series).split(separator: "\n")
        #expect(lines.first == "timestamp,metric,value,service")
        #expect(lines.count == 1 + series.reduce(0) { $0 + $1.count })
        let times = lines.dropFirst().compactMap { Int64($0.split(separator: ",")[0]) }
        #expect(times == times.sorted())
    }
}
