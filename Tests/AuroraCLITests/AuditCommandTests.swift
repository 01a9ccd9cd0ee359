import AuroraCLITestSupport
import Foundation
import Testing

/// `aurora audit` narrowed the way an operator reads a long trail in an incident: by time window,
/// actor, action family and the newest N entries.
@Suite struct AuditCommandTests {
    /// Three people toggle kill switches an hour apart: alice at 0 h and 2 h, bob at 1 h.
    static func trail() async throws -> CLIHarness {
        var cli = try CLIHarness()
        cli.loginName = "alice"
        #expect(await cli.run(["killswitch", "on", "--global", "--reason", "drill"]).status == 0)
        cli.clock.advance(3600)
        cli.loginName = "bob"
        #expect(await cli.run(["freeze", "add", "--from", "2030-01-01", "--until", "2030-01-02", "--reason", "launch"]).status == 0)
        cli.clock.advance(3600)
        cli.loginName = "alice"
        #expect(await cli.run(["killswitch", "off", "--global"]).status == 0)
        return cli
    }

    static func actions(_ output: String) -> [String] {
        output.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }.map(String.init)
    }

    @Test func filtersNarrowTheTrail() async throws {
        let cli = try await Self.trail()
        defer { cli.remove() }
        #expect(Self.actions(await cli.run(["audit"]).stdout) == ["killswitch.on", "freeze.add", "killswitch.off"])
        #expect(Self.actions(await cli.run(["audit", "--actor", "alice"]).stdout) == ["killswitch.on", "killswitch.off"])
        #expect(Self.actions(await cli.run(["audit", "--action", "killswitch"]).stdout) == ["killswitch.on", "killswitch.off"])
        #expect(Self.actions(await cli.run(["audit", "--action", "killswitch.off"]).stdout) == ["killswitch.off"])
        #expect(Self.actions(await cli.run(["audit", "--action", "kill"]).stdout).isEmpty, "a family is a whole word before a dot")
        #expect(Self.actions(await cli.run(["audit", "--since", "-90m", "--until", "-30m"]).stdout) == ["freeze.add"])
        #expect(Self.actions(await cli.run(["audit", "-n", "2"]).stdout) == ["freeze.add", "killswitch.off"], "the newest two, oldest first")
        let json = await cli.run(["audit", "--tail", "1", "--json"])
        #expect(json.stdout.contains(#""action":"killswitch.off""#) && !json.stdout.contains("freeze.add"))
    }

    @Test func anEmptyAnswerSaysSoAndABadCountIsAUsageError() async throws {
        let cli = try await Self.trail()
        defer { cli.remove() }
        let none = await cli.run(["audit", "--actor", "mallory"])
        #expect(none.status == 0)
        #expect(none.stdout == "no audit entry matches\n")
        let zero = await cli.run(["audit", "-n", "0"])
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--tail: `0` is not a number of entries"))
        #expect(await cli.run(["audit", "-n", "two"]).status == 64)
    }
}
