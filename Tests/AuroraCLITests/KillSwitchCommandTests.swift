import AuroraCLITestSupport
import Foundation
import Testing

@Suite struct KillSwitchCommandTests {
    @Test func checkExitsZeroWhenAllowedAnd77WhenBlocked() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        // No database yet: allowed, and nothing is created by a check.
        #expect(await cli.run(["killswitch", "check", "--service", "checkout"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: cli.databasePath))
        #expect(await cli.run(["killswitch", "on", "--service", "checkout", "--reason", "flapping"]).status == 0)
        let blocked = await cli.run(["killswitch", "check", "--service", "checkout"])
        #expect(blocked.status == 77)
        #expect(blocked.stderr == "blocked by kill switch service:checkout (set by tester: flapping)\n")
        #expect(await cli.run(["killswitch", "check", "--service", "payments"]).status == 0)
        #expect(await cli.run(["killswitch", "on", "--type", "service-restart"]).status == 0)
        #expect(await cli.run(["killswitch", "check", "--service", "payments", "--type", "service-restart"]).status == 77)
        #expect(await cli.run(["killswitch", "off", "--service", "checkout"]).status == 0)
        #expect(await cli.run(["killswitch", "check", "--service", "checkout"]).status == 0)
    }

    @Test func untilExpiresTheSwitch() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        #expect(await cli.run(["killswitch", "on", "--global", "--until", "+2h"]).status == 0)
        #expect(await cli.run(["killswitch", "check"]).status == 77)
        cli.clock.advance(7200)
        #expect(await cli.run(["killswitch", "check"]).status == 0)
        let past = await cli.run(["killswitch", "on", "--until", "-1h"])
        #expect(past.status == 64)
    }

    @Test func onTwiceIsIdempotentAndJSONIsStable() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let first = await cli.run(["killswitch", "on", "--service", "cart", "--json"])
        let second = await cli.run(["killswitch", "on", "--service", "cart", "--json"])
        #expect(first.stdout.hasPrefix("{\"changed\":true,\"switch\":{\"scope\":\"service\",\"target\":\"cart\""))
        #expect(second.stdout.hasPrefix("{\"changed\":false,"))
        let status = await cli.run(["killswitch", "status", "--json"])
        #expect(status.stdout.components(separatedBy: "\"scope\"").count == 2)
        let conflicting = await cli.run(["killswitch", "on", "--global", "--service", "cart"])
        #expect(conflicting.status == 64)
    }
}
