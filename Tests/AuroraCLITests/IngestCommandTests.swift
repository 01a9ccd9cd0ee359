import AuroraCLITestSupport
import AuroraCore
import AuroraStore
import Foundation
import Testing

@Suite struct IngestCommandTests {
    static let long = """
    timestamp,metric,value,service
    2026-01-01T00:00:00Z,latency_ms,12,checkout
    2026-01-01T00:01:00Z,latency_ms,13,checkout
    2026-01-01T00:02:00Z,latency_ms,NaN,checkout
    2026-01-01T00:03:00Z,latency_ms,15,checkout
    2026-01-01T00:00:00Z,latency_ms,5,cart

    """

    @Test func ingestingTwiceStoresEachPointOnce() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("long.csv", Self.long)
        let first = await cli.run(["ingest", file, "--json"])
        #expect(first.status == 0)
        #expect(first.stdout.contains("\"new_points\":4"))
        #expect(first.stderr.contains("skipped 1 missing or NaN/Inf value\n"))
        #expect(!first.stderr.contains("value(s)"))
        let second = await cli.run(["ingest", file, "--json"])
        #expect(second.stdout.contains("\"new_points\":0"))
        #expect(second.stdout.contains("\"unchanged_points\":4"))
        let list = await cli.run(["series", "list", "--json"])
        #expect(list.stdout.contains(#""series":"latency_ms{service=\"checkout\"}","service":"checkout","points":3"#))
    }

    @Test func aBadFileStoresNothingAndNamesItsLocation() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let good = try cli.directory.write("good.csv", Self.long)
        #expect(await cli.run(["ingest", good]).status == 0)
        let before = await cli.run(["db", "status", "--json"]).stdout
        let bad = try cli.directory.write("bad.csv", "timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,abc\n")
        // One invocation is one transaction: the good file given with the bad one is not stored either.
        let other = try cli.directory.write("other.csv", "timestamp,value\n2026-01-02 00:00:00,1\n")
        let result = await cli.run(["ingest", other, bad])
        #expect(result.status == 65)
        #expect(result.stderr == "aurora: \(bad):3:21: invalid value \"abc\" (expected a number)\n")
        #expect(await cli.run(["db", "status", "--json"]).stdout == before)
    }

    @Test func skipBadLinesCountsAndStoresTheRest() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let bad = try cli.directory.write("cpu.csv", "timestamp,value\n2026-01-01 00:00:00,1\n2026-01-01 00:05:00,abc\n2026-01-01 00:10:00,3\n")
        let result = await cli.run(["ingest", "--skip-bad-lines", bad])
        #expect(result.status == 0)
        #expect(result.stderr.contains("skipped 1 malformed line"))
        #expect(!result.stderr.contains("line(s)"))
        #expect(result.stdout.contains("stored 1 series, 2 points"))
    }

    @Test func standardInputAndShowRoundTrip() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let text = "timestamp,metric,value,service\n2026-01-01T00:00:00Z,errors,1.5,api\n2026-01-01T00:01:00Z,errors,2.5,api\n"
        #expect(await cli.run(["ingest", "-"], stdin: Array(text.utf8)).status == 0)
        let shown = await cli.run(["series", "show", #"errors{service="api"}"#])
        #expect(shown.stdout == "timestamp,value\n2026-01-01T00:00:00Z,1.5\n2026-01-01T00:01:00Z,2.5\n")
        let missing = await cli.run(["series", "show", #"errors{service="nope"}"#])
        #expect(missing.status == 66)
    }

    @Test func missingInputIsExit66AndMatchFilters() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(await cli.run(["ingest", cli.directory.file("nope.csv")]).status == 66)
        let file = try cli.directory.write("long.csv", Self.long)
        let result = await cli.run(["ingest", file, "--match", #"latency_ms{service="cart"}"#, "--json"])
        #expect(result.stdout.contains("\"new_points\":1"))
        let bad = await cli.run(["ingest", file, "--match", "latency_ms{service"])
        #expect(bad.status == 64)
    }

    @Test func dropNeedsASelectorAndConfirmation() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("long.csv", Self.long)
        #expect(await cli.run(["ingest", file]).status == 0)
        #expect(await cli.run(["series", "drop"]).status == 64)
        let unconfirmed = await cli.run(["series", "drop", "-m", #"{service="cart"}"#])
        #expect(unconfirmed.status == 64)
        #expect(unconfirmed.stderr.contains("add --yes"))
        let declined = await cli.run(["series", "drop", "-m", #"{service="cart"}"#], lines: ["n"], terminal: true)
        #expect(declined.status == 0)
        #expect(await cli.run(["series", "drop", "-m", #"{service="cart"}"#, "--yes"]).stdout == "dropped 1 series\n")
        #expect(!(await cli.run(["series", "list"]).stdout.contains("cart")))
    }

    /// A series the watcher's absent-data baseline holds is forgotten there too: once dropped, its leaving
    /// the source is not reported.
    @Test func dropForgetsTheSeriesInTheWatchersBaseline() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("long.csv", Self.long)
        #expect(await cli.run(["ingest", file]).status == 0)
        let cart = SeriesKey(name: "latency_ms", labels: ["service": "cart"])
        let checkout = SeriesKey(name: "latency_ms", labels: ["service": "checkout"])
        let store = try Store(path: cli.databasePath)
        _ = try store.database.write {
            try PresenceBaselineStore.replace(query: "latency_ms", answered: [cart, checkout], through: 1_000, known: nil, at: Date(), in: $0)
        }
        #expect(await cli.run(["series", "drop", "-m", #"{service="cart"}"#, "--yes"]).status == 0)
        let baseline = try store.database.read { try PresenceBaselineStore.baseline(query: "latency_ms", in: $0) }
        #expect(baseline?.series == [checkout])
    }
}
