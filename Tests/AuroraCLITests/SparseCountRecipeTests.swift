import AuroraCLITestSupport
import AuroraCore
import Foundation
import Testing

/// README's recipe for sparse error counts. A count that is zero most of the time has no robust
/// spread (its residuals are the jitter of the expected rate), so every 2 looks like a dozen sigmas;
/// the override judges it by its standard deviation instead. It must quiet the noise and keep the burst.
@Suite struct SparseCountRecipeTests {
    /// Four weeks of 5-minute error counts, Poisson at 0.2 a point, with a burst at 30 times that rate
    /// for half an hour starting at day 20.
    static func errorCounts(seed: UInt64) -> String {
        var generator = Xoshiro256(seed: seed)
        var text = "timestamp,value\n"
        for index in 0..<288 * 28 {
            let burst = (288 * 20..<288 * 20 + 6).contains(index)
            let minutes = index * 5
            text += String(format: "2026-02-%02d %02d:%02d:00,%d\n", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60,
                           Int(generator.nextPoisson(mean: burst ? 6 : 0.2)))
        }
        return text
    }

    static func eventStarts(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let events = object["events"] as? [[String: Any]] else { return [] }
        return events.compactMap { $0["start"] as? String }
    }

    @Test(arguments: [1, 2] as [UInt64])
    func judgedByItsStandardDeviationAnErrorCountPagesRarelyAndItsBurstStillPages(seed: UInt64) async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("checkout_errors.csv", Self.errorCounts(seed: seed))
        let configuration = try cli.directory.write("sparse.yaml", """
            aurora:
              detection:
                overrides:
                  - match: '{__name__=~".*errors.*"}'
                    seasonal: { scale-floor: 1 }
            """)
        let plainRun = await cli.run(["detect", "--no-store", "--json", file])
        let plain = Self.eventStarts(plainRun.stdout)
        // The run that pages on the noise says why, and where the recipe is; the run with it says nothing.
        #expect(plainRun.stderr.contains("'checkout_errors' is a sparse count"), "\(plainRun.stderr)")
        #expect(plainRun.stderr.contains("scale-floor: 1"))
        let result = await cli.run(["--config", configuration, "detect", "--no-store", "--json", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("sparse count"), "\(result.stderr)")
        let recipe = Self.eventStarts(result.stdout)
        #expect(plain.count >= 50, "the default pages on the noise: \(plain.count) events")
        #expect(recipe.count * 4 <= plain.count, "the recipe pages \(recipe.count) times against \(plain.count)")
        #expect(recipe.contains { $0.hasPrefix("2026-02-21T00") }, "the burst at day 20: \(recipe)")
    }

    /// A gauge that pages is not a sparse count: no note. Nor is a count judged only by other detectors.
    @Test func noSparseCountNoteForAGaugeOrWithoutTheSeasonalDetector() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        var text = "timestamp,value\n"
        for index in 0..<2_000 {
            let minutes = index * 5
            let value = 50.0 + Double(index % 7) * 0.5 + (index == 1_500 || index == 1_800 ? 40 : 0)
            text += String(format: "2026-02-%02d %02d:%02d:00,%.1f\n", 1 + minutes / 1440, minutes / 60 % 24, minutes % 60, value)
        }
        let gauge = try cli.directory.write("cpu.csv", text)
        let gaugeRun = await cli.run(["detect", "--no-store", "--json", gauge])
        #expect(!Self.eventStarts(gaugeRun.stdout).isEmpty, "the spikes page: \(gaugeRun.stdout)")
        #expect(!gaugeRun.stderr.contains("sparse count"), "\(gaugeRun.stderr)")
        let counts = try cli.directory.write("checkout_errors.csv", Self.errorCounts(seed: 1))
        let zscore = await cli.run(["detect", "--no-store", "--detector", "zscore", counts])
        #expect(!zscore.stderr.contains("sparse count"), "\(zscore.stderr)")
    }

    /// Stored series get the same note: ingested first, then scored by a plain `aurora detect`.
    @Test func storedSeriesGetTheNoteToo() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("checkout_errors.csv", Self.errorCounts(seed: 2))
        #expect(await cli.run(["ingest", file]).status == 0)
        let stored = await cli.run(["detect"])
        #expect(stored.status == 0, "\(stored.stderr)")
        #expect(stored.stderr.contains("'checkout_errors' is a sparse count"), "\(stored.stderr)")
    }
}
