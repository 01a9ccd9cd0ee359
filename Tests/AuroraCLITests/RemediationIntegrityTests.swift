import AuroraTestSupport
import Foundation
import Testing

/// Issue 9 case 14: remediation fails closed on a damaged database.
@Suite struct RemediationIntegrityTests {
    @Test func aCorruptedDatabaseRefusesRemediationAndRunsNothing() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        // Enough rows that the tables span several pages.
        for index in 0..<40 { _ = await fixture.run(["killswitch", "on", "--service", "svc\(index)", "--reason", String(repeating: "x", count: 200)]) }
        #expect(await fixture.run(["remediate", "restart", "--service", "a"]).status == 0)
        #expect(fixture.spy.invocations == 1)
        let url = URL(fileURLWithPath: fixture.cli.databasePath)
        var bytes = try [UInt8](Data(contentsOf: url))
        try #require(bytes.count > 12_288)
        for index in 4096..<12_288 { bytes[index] ^= 0x5A }
        try Data(bytes).write(to: url)
        let refused = await fixture.run(["remediate", "restart", "--service", "b"])
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("refusing to act on it") || refused.stderr.contains("malformed") || refused.stderr.contains("corrupt"))
        #expect(fixture.spy.invocations == 1)
    }
}
