import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 18, item 8: YAML aliases multiply a small file: 2,000 aliases of a 1 MiB string filled an
/// action's `command`, `config check` accepted it and `remediate --dry-run` grew past 6 GB. The
/// expanded size is capped (4 MiB) and `config check` refuses a file past it, at the place it ran out.
@Suite(.serialized) struct ConfigAmplificationTests {
    @Test func aliasesOfALargeStringAreRefusedByConfigCheck() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let big = String(repeating: "x", count: 1 << 20)
        let uses = Array(repeating: "*big", count: 2_000).joined(separator: ", ")
        let config = try harness.directory.write("aurora.yaml", """
            aurora:
              remediation:
                actions:
                  restart:
                    type: service-restart
                    params: {filler: &big \(big)}
                    command: [echo, \(uses)]
            """)
        let check = await harness.run(["--config", config, "config", "check"])
        #expect(check.status == 78, "\(check.stderr.prefix(300))")
        #expect(check.stderr.contains("\(config):6:26:"), "\(check.stderr.prefix(300))") // the anchored value whose uses spent the budget
        #expect(check.stderr.contains("expands to more than 4 MiB through YAML aliases"), "\(check.stderr.prefix(300))")
        let dryRun = await harness.run(["--config", config, "remediate", "restart", "--service", "a", "--dry-run"])
        #expect(dryRun.status == 78, "\(dryRun.stderr.prefix(300))")
    }

    /// The classic nine-level "billion laughs" costs the walk no more than its budget.
    @Test func billionLaughsIsRefusedWithinTheBudget() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        var lines = ["aurora:", "  remediation:", "    actions:", "      restart:", "        type: service-restart",
                     "        params:", "          a0: &a0 lol"]
        for level in 1...9 {
            lines.append("          a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines.append("        command: [echo, *a9]")
        let config = try harness.directory.write("aurora.yaml", lines.joined(separator: "\n") + "\n")
        let check = await harness.run(["--config", config, "config", "check"])
        #expect(check.status == 78, "\(check.stderr.prefix(300))")
        #expect(check.stderr.contains("expands to more than 4 MiB"), "\(check.stderr.prefix(300))")
    }

    /// Aliases used sensibly (a shared parameter block) are still fine.
    @Test func ordinaryAliasesAreAccepted() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let config = try harness.directory.write("aurora.yaml", """
            aurora:
              remediation:
                actions:
                  restart:
                    type: service-restart
                    params: &common {msg: hello}
                    command: [echo, '{service}']
                  reload:
                    type: config-reload
                    params: *common
                    command: [echo, '{service}']
            """)
        let check = await harness.run(["--config", config, "config", "check"])
        #expect(check.status == 0, "\(check.stderr)")
    }
}
