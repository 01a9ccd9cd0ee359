import AuroraCLITestSupport
import AuroraCore
import Foundation
import Testing

enum GeneratedCounter {
    /// Four weeks of 5-minute points.
    static let points = 4 * 7 * 288
}

/// A raw counter dumped without a `_total` name or a `# TYPE` line: `detect` says its rate is what
/// to watch, and `--rate` rates it and says it did so because of its shape.
@Suite struct CounterRateTests {
    /// Four weeks of 5-minute points of a request counter (NAB CSV): about 300 requests per 5 minutes
    /// at the daily peak, a tenth of it at night, and process restarts at rows 3000 and 6500.
    static func requestCounterCSV() -> String {
        var random = Xoshiro256(seed: 11)
        var total = 250_000.0
        var text = "timestamp,value\n"
        let start = 1_790_812_800 as Int64  // 2026-10-01T00:00:00Z
        for row in 0..<GeneratedCounter.points {
            if row == 3000 || row == 6500 { total = 0 }
            let mean = 300 * (0.55 - 0.45 * cos(2 * .pi * Double(row % 288) / 288))
            total += max(0, (mean + mean.squareRoot() * random.nextNormal()).rounded())
            text += "\(start + Int64(row) * 300),\(Int(total))\n"
        }
        return text
    }

    static func eventCount(_ json: String) -> Int { json.components(separatedBy: "\"peak_time\"").count - 1 }

    @Test func detectSaysARawCounterWantsRateAndRateRatesIt() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("requests.csv", Self.requestCounterCSV())

        let raw = await cli.run(["detect", "--no-store", "--json", file])
        #expect(raw.status == 0)
        #expect(raw.stderr.contains("note: 'requests' only rises (a cumulative counter?): its rate is what to watch; pass --rate"))

        let rated = await cli.run(["detect", "--no-store", "--json", "--rate", file])
        #expect(rated.status == 0)
        #expect(rated.stderr.contains("note: 'requests' rated as a counter because it only rises, 2 resets: its rate is 'requests:rate'"))
        #expect(!rated.stderr.contains("pass --rate"))
        // The raw climb pages at its resets and changes of pace; its rate is an ordinary daily cycle.
        #expect(Self.eventCount(rated.stdout) < Self.eventCount(raw.stdout))
    }

    /// A rate is its own series: rating a counter that `aurora ingest` already stored raw must not
    /// overwrite its values (they were mixed under one name before).
    @Test func ratesAreStoredBesideTheRawCounterNotOverIt() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("requests.csv", Self.requestCounterCSV())
        #expect(await cli.run(["ingest", file]).status == 0)
        let before = await cli.run(["series", "show", "requests"])
        #expect(await cli.run(["detect", "--rate", file]).status == 0)
        let list = await cli.run(["series", "list"])
        #expect(list.stdout.contains("requests:rate"), "\(list.stdout)")
        let after = await cli.run(["series", "show", "requests"])
        #expect(after.stdout == before.stdout, "the raw counter is as ingested")
        let rate = await cli.run(["series", "show", "requests:rate"])
        #expect(rate.stdout.split(separator: "\n").count == before.stdout.split(separator: "\n").count - 1, "one rate fewer than points")
    }

    /// A plain `aurora detect` of stored series notes a raw counter too, and how to store its rate;
    /// once the rate is stored, the rate itself gets no note.
    @Test func storedDetectionNotesARawCounter() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("requests.csv", Self.requestCounterCSV())
        #expect(await cli.run(["ingest", file]).status == 0)
        let stored = await cli.run(["detect"])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stderr.contains("note: 'requests' is a counter scored raw: its rate is what to watch; "
            + "`aurora ingest --rate` stores it as 'requests:rate'"), "\(stored.stderr)")
        // A fresh database holding the rate only.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.databasePath + suffix) }
        #expect(await cli.run(["ingest", "--rate", file]).status == 0)
        let rates = await cli.run(["detect"])
        #expect(rates.status == 0)
        #expect(!rates.stderr.contains("is a counter"), "\(rates.stderr)")
    }

    /// Scores keep one row per input row, so they are never rates; the flag is not silently dropped.
    @Test func emitScoresSaysItDoesNotRate() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("requests.csv", Self.requestCounterCSV())
        let result = await cli.run(["detect", "--emit", "scores", "--rate", "--detector", "zscore", file])
        #expect(result.status == 0)
        #expect(result.stderr.contains("note: --rate does not apply to --emit scores: every input row is scored as written"))
        let rows = result.stdout.split(separator: "\n").count
        #expect(rows == 1 + GeneratedCounter.points)
    }

    @Test func ingestJSONSaysWhySeriesWereRated() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("requests.csv", Self.requestCounterCSV())
        let result = await cli.run(["ingest", "--json", "--rate", file])
        #expect(result.status == 0)
        #expect(result.stdout.contains("\"counter\":\"shape\",\"rated\":true,\"counter_resets\":2"))
    }

    /// Declared counters get the note too; past five, the rest are counted so as not to bury the output.
    @Test func declaredCountersAreNotedAndManyAreCounted() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        var text = "timestamp,metric,value,instance\n"
        for row in 0..<12 {
            for instance in 0..<7 { text += "\(1_790_812_800 + row * 60),http_requests_total,\(row * 10 + instance),i\(instance)\n" }
            text += "\(1_790_812_800 + row * 60),temperature,\(20 + row % 2),i0\n"
        }
        let file = try cli.directory.write("dump.csv", text)
        let result = await cli.run(["detect", "--no-store", file])
        #expect(result.status == 0)
        let notes = result.stderr.split(separator: "\n").filter { $0.hasPrefix("note: ") }
        #expect(notes.contains("note: 'http_requests_total{instance=\"i0\"}' is a counter: its rate is what to watch; pass --rate"))
        #expect(notes.filter { $0.contains("is a counter") }.count == 5)
        #expect(notes.contains("note: 2 more series are counters scored raw; pass --rate"))
        #expect(!result.stderr.contains("temperature"))
    }
}
