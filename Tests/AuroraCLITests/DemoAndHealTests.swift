import AuroraCLITestSupport
import AuroraSimulation
import Foundation
import Testing

@Suite struct DemoAndHealTests {
    @Test func theDemoClosesTheLoopTwiceAndTheSecondTimeThroughTheLearnedPattern() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let result = await cli.run(["demo"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let out = result.stdout
        // Incident 1: detected, diagnosed by full analysis at the right root, remediated, verified, learned.
        #expect(out.contains("incident 1 on postgres"))
        #expect(out.contains("root cause postgres"))
        #expect(out.contains("matches connection-pool exhaustion"))
        #expect(out.contains("restart-service on postgres → executed: succeeded, health check passed"))
        #expect(out.contains("incident 1 resolved (restart-service verified)"))
        #expect(out.contains("learned a new pattern #1"))
        // Incident 2: the learned pattern, root-cause analysis skipped, and reinforced.
        #expect(out.contains("known pattern #1"))
        #expect(out.contains("root-cause analysis skipped"))
        #expect(out.contains("incident 2 resolved (restart-service verified)"))
        #expect(out.contains("reinforced learned pattern #1"))
        // The SLO report: every objective met.
        #expect(!out.contains("FAIL"))
        #expect(out.contains("the loop closed"))
        // The executor really changed the fleet: two restarts recorded in the audit trail.
        let audit = await cli.run(["audit", "--json"])
        #expect(audit.stdout.components(separatedBy: "restart-service").count >= 3)
    }

    @Test func writeDataProducesFilesTheQuickStartUses() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("demo-data")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        for name in ["fleet.csv", "fleet-history.csv", "fleet-incident.csv", "aurora.yaml"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + name))
        }
        #expect(await cli.run(["config", "check", folder + "/aurora.yaml"]).status == 0)
        let detected = await cli.run(["detect", folder + "/fleet.csv", "--json"])
        #expect(detected.stdout.contains(#"service=\"postgres\""#))
        let diagnosed = await cli.run(["--config", folder + "/aurora.yaml", "diagnose"])
        #expect(diagnosed.stdout.contains("#1 postgres"), "\(diagnosed.stdout)")
    }

    @Test func healDryRunDecidesButExecutesNothing() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("demo-data")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        cli.environment["AURORA_CONFIG"] = folder + "/aurora.yaml"
        #expect(await cli.run(["ingest", folder + "/fleet-history.csv"]).status == 0)
        #expect(await cli.run(["detect", "--quiet"]).status == 0)
        let marker = folder + "/fleet/postgres.pool-exhausted"
        #expect(FileManager.default.fileExists(atPath: marker))
        let result = await cli.run(["heal", folder + "/fleet-incident.csv", "--dry-run"])
        #expect(result.stdout.contains("root cause postgres"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("restart-service on postgres: dry run: would execute; allowed: executes with monitoring (tier.medium)"), "\(result.stdout)")
        // Nothing ran: the fault marker the action would remove is still there.
        #expect(FileManager.default.fileExists(atPath: marker))
        let real = await cli.run(["heal", "--stored", "--json"])
        #expect(real.stdout.contains(#""resolved":true"#), "\(real.stdout)\(real.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(await cli.run(["heal"]).status == 64)
    }
}
