import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, point 8: messages read aloud well at 3 a.m.
@Suite struct WordingTests {
    @Test func theDemoReadsWell() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let demo = await cli.run(["demo"])
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        let text = demo.stdout + demo.stderr
        for clumsy in ["(s)", "pattern #1: learned:", "× faster", "by 0 step", "would be execute"] {
            #expect(!text.contains(clumsy), "\(clumsy) in:\n\(text)")
        }
        #expect(text.contains("learned a new pattern #1: postgres"))
        // The two confidences are named apart: the cause's, and the playbook's record.
        #expect(text.contains("playbook confidence"))
        #expect(text.contains("recovery took"))
    }

    @Test func aDryRunSaysWhatItWouldDo() async throws {
        let fixture = try RemediationFixture()
        defer { fixture.remove() }
        let dry = await fixture.run(["remediate", "restart", "--service", "checkout", "--dry-run"])
        #expect(dry.stdout.contains("would execute"), "\(dry.stdout)")
        let queued = await fixture.run(["remediate", "failover", "--service", "db", "--dry-run"])
        #expect(queued.stdout.contains("would wait for approval"), "\(queued.stdout)")
    }
}
