import AuroraCLITestSupport
import AuroraCore
import AuroraTestSupport
import Foundation
import Testing

/// `aurora db prune`: old points go, a dry run only counts, the JSON is the other db subcommands' kind.
@Suite struct DatabasePruneTests {
    /// A point an hour for three days before the harness clock's now.
    static func csv(now: Date) -> String {
        let end = Int(now.timeIntervalSince1970)
        return "timestamp,value\n" + (1...72).map { "\(end - $0 * 3600),\($0)" }.joined(separator: "\n") + "\n"
    }

    @Test func aDryRunCountsAndDeletesNothingThenThePruneDeletes() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("latency.csv", Self.csv(now: cli.clock.now()))
        #expect(await cli.run(["ingest", file]).status == 0)
        let dry = await cli.run(["db", "prune", "--older-than", "2d", "--dry-run", "--json"])
        #expect(dry.status == 0, "\(dry.stderr)")
        // Hours 49…72 before now are older than two days.
        #expect(dry.stdout.contains("\"dry_run\":true") && dry.stdout.contains("\"points\":24") && dry.stdout.contains("\"series\":1"), "\(dry.stdout)")
        #expect((await cli.run(["series", "list", "--json"])).stdout.contains("\"points\":72"))
        let pruned = await cli.run(["db", "prune", "--older-than", "2d"])
        #expect(pruned.status == 0)
        #expect(pruned.stdout.hasPrefix("deleted 24 point(s) older than "), "\(pruned.stdout)")
        #expect((await cli.run(["series", "list", "--json"])).stdout.contains("\"points\":48"))
        #expect(await cli.run(["db", "prune", "--older-than", "2d", "--json"]).stdout.contains("\"points\":0"))
    }

    @Test func theDurationIsRequired() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["db", "prune"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--older-than"))
    }
}
