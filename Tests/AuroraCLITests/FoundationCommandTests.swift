import AuroraCLI
import AuroraCLITestSupport
import Foundation
import Testing

@Suite struct FoundationCommandTests {
    @Test func helpListsEveryCommandAndExitsZero() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        for argv in [["--help"], ["help"], []] {
            let result = await cli.run(argv)
            #expect(result.status == 0)
            for command in CommandTable.root.subcommands { #expect(result.stdout.contains(command.name)) }
        }
        let sub = await cli.run(["db", "backup", "--help"])
        #expect(sub.status == 0)
        #expect(sub.stdout.contains("Usage: aurora db backup [options] PATH"))
        let viaHelp = await cli.run(["help", "db", "backup"])
        #expect(viaHelp.stdout == sub.stdout)
    }

    @Test func usageErrorsExit64WithASuggestion() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["killswitch", "on", "--servce", "x"])
        #expect(result.status == 64)
        #expect(result.stderr == "aurora: unknown option '--servce' for 'aurora killswitch on' (did you mean '--service'?)\n")
        #expect(result.stdout.isEmpty)
        let group = await cli.run(["db"])
        #expect(group.status == 64)
        #expect(group.stderr.contains("needs a subcommand: status, check, backup"))
    }

    @Test func versionFlagAndCommand() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(await cli.run(["--version"]).stdout == "aurora \(AuroraVersion.current)\n")
        #expect(await cli.run(["version", "--json"]).stdout == "{\"version\":\"\(AuroraVersion.current)\"}\n")
    }

    @Test func initWritesAValidConfigAndRefusesToOverwrite() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let first = await cli.run(["init"])
        #expect(first.status == 0)
        let config = cli.directory.file("aurora.yaml")
        #expect(FileManager.default.fileExists(atPath: config))
        #expect(FileManager.default.fileExists(atPath: cli.databasePath))
        let again = await cli.run(["init"])
        #expect(again.status == 73)
        #expect(again.stderr.contains("already exists (use --force to overwrite)"))
        #expect(await cli.run(["init", "--force"]).status == 0)
        let check = await cli.run(["config", "check"])
        #expect(check.status == 0)
        #expect(check.stdout == "\(config): ok\n")
    }

    @Test func configCheckReportsLocatedProblemsAndExits78() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("bad.yaml", "aurora:\n  safety:\n    cooldown-between-same-service: soon\n")
        let result = await cli.run(["config", "check", path])
        #expect(result.status == 78)
        #expect(result.stderr == "aurora: \(path):3:36: aurora.safety.cooldown-between-same-service: `soon` is not a duration (expected e.g. 300s, 5m, 1h30m)\n"
                + "aurora: \(path): 1 error\n")
        let json = await cli.run(["config", "check", path, "--json"])
        #expect(json.status == 78)
        #expect(json.stdout.contains("\"line\":3,\"column\":36"))
    }

    @Test func configShowPrintsEffectiveValues() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("c.yaml", "aurora:\n  safety:\n    max-remediations-per-hour: 7\n")
        cli.environment["AURORA_CONFIG"] = path
        let result = await cli.run(["config", "show"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("max-remediations-per-hour: 7\n"))
        #expect(result.stdout.contains("cooldown-between-same-service: 5m\n"))
        #expect(result.stderr == "# from \(path)\n")
    }

    @Test func configShowPrintsTheDefaultsOfTheBlocksAnActionHas() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let path = try cli.directory.write("c.yaml", """
            aurora:
              remediation:
                actions:
                  plain: { type: service-restart, command: [restart] }
                  checked: { type: service-restart, command: [restart], health-check: { command: [probe] } }

            """)
        cli.environment["AURORA_CONFIG"] = path
        let result = await cli.run(["config", "show"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("      checked:\n        type: service-restart\n        timeout: 5m\n        command:\n          - restart\n"
                                       + "        health-check:\n          command:\n            - probe\n          retries: 3\n          interval: 5s\n          timeout: 10s\n"))
        #expect(result.stdout.components(separatedBy: "health-check:").count == 2)
    }

    @Test func dbStatusCheckAndBackup() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let missing = await cli.run(["db", "status"])
        #expect(missing.status == 66)
        #expect(await cli.run(["killswitch", "on", "--global"]).status == 0)
        let status = await cli.run(["db", "status", "--json"])
        #expect(status.status == 0)
        #expect(status.stdout.contains("\"kill_switches\":1"))
        #expect(status.stdout.contains("\"schema_version\":"))
        let check = await cli.run(["db", "check"])
        #expect(check.status == 0)
        #expect(check.stdout.hasPrefix("\(cli.databasePath): ok"))
        let target = cli.directory.file("backup.db")
        #expect(await cli.run(["db", "backup", target]).status == 0)
        #expect(await cli.run(["--db", target, "killswitch", "status", "--json"]).stdout.contains("\"scope\":\"global\""))
        #expect(await cli.run(["db", "backup", target]).status == 73)
    }

    @Test func corruptedDatabaseFailsCheckWithExit65() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(await cli.run(["killswitch", "on", "--global"]).status == 0)
        // Flip bytes in the middle of the file, past the header, where table pages live.
        let url = URL(fileURLWithPath: cli.databasePath)
        _ = await cli.run(["db", "status"]) // checkpoint happens on close; make sure pages exist
        var bytes = try [UInt8](Data(contentsOf: url))
        if bytes.count > 8192 { for index in 4096..<min(bytes.count, 8192) { bytes[index] ^= 0x5A } }
        try Data(bytes).write(to: url)
        try? FileManager.default.removeItem(atPath: cli.databasePath + "-wal")
        try? FileManager.default.removeItem(atPath: cli.databasePath + "-shm")
        let result = await cli.run(["db", "check"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("corrupt") || result.stderr.contains("malformed") || result.stderr.contains("damaged"))
    }
}
