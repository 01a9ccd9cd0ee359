@testable import AuroraCLI
import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, point 7: who acts is the system's login name first, then $USER/$LOGNAME; an approval
/// nobody can be named for is refused instead of being recorded as "unknown".
@Suite struct IdentityTests {
    @Test func theSystemLoginNameComesBeforeTheEnvironment() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        cli.loginName = "alice"
        cli.environment["USER"] = "mallory"
        #expect(await cli.run(["killswitch", "on", "--service", "postgres", "--reason", "hands off"]).status == 0)
        let check = await cli.run(["killswitch", "check", "--service", "postgres"])
        #expect(check.stderr.contains("set by alice: hands off"), "\(check.stderr)")
        #expect(await cli.run(["audit", "--json"]).stdout.contains(#""actor":"alice""#))
    }

    @Test func withoutALoginNameLognameStillNamesSomeone() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        cli.environment["USER"] = nil
        cli.environment["LOGNAME"] = "carol"
        #expect(await cli.run(["killswitch", "on", "--global", "--reason", "drill"]).status == 0)
        #expect(await cli.run(["killswitch", "check"]).stderr.contains("set by carol: drill"))
    }

    @Test func approvalIsRefusedWhenNobodyCanBeNamed() async throws {
        var fixture = try RemediationFixture()
        defer { fixture.remove() }
        _ = await fixture.run(["remediate", "failover", "--service", "db", "--actor", "alice"])
        fixture.cli.environment["USER"] = nil
        fixture.cli.environment["LOGNAME"] = nil
        let anonymous = await fixture.run(["approve", "1", "--yes"])
        #expect(anonymous.status == 77)
        #expect(anonymous.stderr.contains("refusing to approve without knowing who you are"), "\(anonymous.stderr)")
        #expect(anonymous.stderr.contains("--actor NAME"))
        #expect(try await fixture.state(1) == "queued")
        #expect(fixture.spy.invocations == 0)
        let rejected = await fixture.run(["reject", "1", "--reason", "no"])
        #expect(rejected.status == 77)
        #expect(try await fixture.state(1) == "queued")
        let named = await fixture.run(["approve", "1", "--yes", "--actor", "bob"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try await fixture.state(1) == "succeeded")
    }

    @Test func theLoginNameIsTheUserDatabasesNameForThisUid() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/id") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/id")
        process.arguments = ["-un"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(SystemIdentity.loginName() == (process.terminationStatus == 0 && !expected.isEmpty ? expected : nil))
    }
}
