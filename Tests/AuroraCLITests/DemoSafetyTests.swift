import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, point 1: the demo never touches a database it did not create, and `--write-data` never
/// overwrites a configuration silently.
@Suite struct DemoSafetyTests {
    @Test func theDemoIgnoresAuroraDBAndLeavesTheUsersDatabaseAlone() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let real = cli.directory.file("real.db")
        cli.environment["AURORA_DB"] = real
        #expect(await cli.run(["killswitch", "on", "--service", "postgres", "--reason", "hands off"]).status == 0)
        let before = await cli.run(["audit", "--json"]).stdout
        let demo = await cli.run(["demo", "--quiet"])
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        #expect(demo.stdout.contains("the loop closed"))
        // Nothing of the simulation reached the user's database.
        #expect(await cli.run(["audit", "--json"]).stdout == before)
        let incidents = await cli.run(["incidents", "list", "--json"])
        #expect(!incidents.stdout.contains("postgres"), "\(incidents.stdout)")
    }

    @Test func anExplicitDatabaseMustBeNewOrTheDemosOwn() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let users = cli.directory.file("users.db")
        #expect(await cli.run(["--db", users, "killswitch", "on", "--global", "--reason", "mine"]).status == 0)
        let size = try FileManager.default.attributesOfItem(atPath: users)[.size] as? Int
        let refused = await cli.run(["--db", users, "demo"])
        #expect(refused.status == 73)
        #expect(refused.stderr.contains("was not created by the demo"), "\(refused.stderr)")
        #expect(try FileManager.default.attributesOfItem(atPath: users)[.size] as? Int == size)
        #expect(await cli.run(["--db", users, "killswitch", "status"]).stdout.contains("mine"))

        let own = cli.directory.file("demo.db")
        let first = await cli.run(["--db", own, "demo", "--quiet"])
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        // Run again on its own file: accepted, started afresh, and the loop closes again.
        let second = await cli.run(["--db", own, "demo", "--quiet"])
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("the loop closed"))
    }

    @Test func writeDataRefusesToOverwriteAConfigurationWithoutForce() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("fleet")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        let yaml = folder + "/aurora.yaml"
        try Data("aurora:\n  database: mine.db\n".utf8).write(to: URL(fileURLWithPath: yaml))
        let again = await cli.run(["demo", "--write-data", folder])
        #expect(again.status == 73)
        #expect(again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(try String(contentsOfFile: yaml, encoding: .utf8) == "aurora:\n  database: mine.db\n")
        #expect(await cli.run(["demo", "--write-data", folder, "--force"]).status == 0)
        #expect(try String(contentsOfFile: yaml, encoding: .utf8).contains("restart-service"))
    }

    @Test func theQuickStartUsesAFreshFolder() throws {
        let readme = try String(contentsOfFile: RepositoryFiles.path("README.md"), encoding: .utf8)
        #expect(!readme.contains("/tmp/fleet"))
        #expect(readme.contains(#"cd "$(mktemp -d)" && aurora demo --write-data ."#))
    }
}
