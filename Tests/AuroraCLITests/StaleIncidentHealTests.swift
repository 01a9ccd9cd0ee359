import AuroraCLITestSupport
import AuroraSimulation
import AuroraTestSupport
import Foundation
import Testing

/// `aurora heal` acts by itself only on a fault it still sees (`remediation.stale-after`, 15m by default):
/// an incident that ended hours ago, or one in an old dump, is diagnosed and recorded, and its
/// remediation refused by rule `stale.incident`; a fresh or ongoing one runs as before; a person may
/// still act. The demo's fleet, a spy for the remediation, a clock set against the data.
@Suite struct StaleIncidentHealTests {
    /// Two normal days of the demo's fleet, from Monday 2026-01-05 00:00 UTC (Unix seconds).
    static let start: Int64 = 1_767_571_200
    static let faultStart = start + 2 * 86_400 + 10 * 60

    /// The fixture carries the fleet's pool rule (`DemoFleet.poolRuleYAML`): a fault it vouches for is acted on
    /// by the cause's confidence alone, so what is tested here is the fault's age, not how sure aurora is of it.
    struct Fixture {
        var cli: CLIHarness
        let spy: RemediationSpy
        let folder: String

        /// A harness whose clock reads `now`, the spy as the `restart-service` the diagnosis recommends,
        /// the demo's service graph, and the two days of history stored and scored.
        /// `extra` is added to the configuration's `aurora:` block.
        init(now: Int64, tier: String = "medium", extra: String = "") async throws {
            cli = try CLIHarness(clock: FixedClock(Date(timeIntervalSince1970: Double(now))))
            folder = cli.directory.path
            spy = try RemediationSpy(directory: folder)
            let graph = DemoFleet.dependencies.map { "    \($0.caller): { depends-on: [\($0.callee)] }" }.joined(separator: "\n")
            try spy.writeConfiguration(actions: """
                      restart-service:
                        type: service-restart
                        tier: \(tier)
                        command: ['\(spy.script)', '{service}']
                """, extra: "  services:\n" + graph + "\n" + DemoFleet.poolRuleYAML + extra)
            cli.environment["AURORA_CONFIG"] = spy.configuration
            let history = DemoFleet().series(from: StaleIncidentHealTests.start, to: StaleIncidentHealTests.start + 2 * 86_400, faults: [])
            try Data(DemoFleet.longCSV(history).utf8).write(to: URL(fileURLWithPath: folder + "/history.csv"))
            #expect(await cli.run(["ingest", folder + "/history.csv"]).status == 0)
            #expect(await cli.run(["detect", "--quiet"]).status == 0)
        }

        /// Heals metrics from the end of the history to `until` with postgres' pool exhausted from
        /// `faultStart` until `faultEnd` (nil: still exhausted at the last point).
        func heal(until: Int64, faultEnd: Int64?, _ options: [String] = []) async throws -> CLIResult {
            let from = StaleIncidentHealTests.start + 2 * 86_400
            let series = DemoFleet().series(from: from, to: until,
                                            faults: [DemoFleet.Fault(service: "postgres", start: StaleIncidentHealTests.faultStart, end: faultEnd)])
            try Data(DemoFleet.longCSV(series).utf8).write(to: URL(fileURLWithPath: folder + "/incident.csv"))
            return await cli.run(["heal", folder + "/incident.csv"] + options)
        }

        func remove() { cli.remove() }
    }

    /// The fault is still exhausting the pool at the newest point, read 20 s later: remediated.
    @Test func anOngoingFaultIsRemediatedAsBefore() async throws {
        let end = Self.faultStart + 20 * 60
        let fixture = try await Fixture(now: end + 20)
        defer { fixture.remove() }
        let result = try await fixture.heal(until: end, faultEnd: nil)
        #expect(result.stdout.contains("root cause postgres"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("restart-service on postgres: executed: succeeded"), "\(result.stdout)\(result.stderr)")
        #expect(fixture.spy.invocations == 1)
        #expect(!result.stderr.contains("remediation.stale-after"))
    }

    /// The fault ended five minutes before now: over by the grouping's measure, but recent enough to act on.
    @Test func aFaultThatEndedMinutesAgoIsStillRemediated() async throws {
        let faultEnd = Self.faultStart + 15 * 60
        let fixture = try await Fixture(now: faultEnd + 5 * 60)
        defer { fixture.remove() }
        let result = try await fixture.heal(until: faultEnd + 5 * 60, faultEnd: faultEnd)
        #expect(result.stdout.contains("restart-service on postgres: executed: succeeded"), "\(result.stdout)\(result.stderr)")
        #expect(fixture.spy.invocations == 1)
    }

    /// Current data, but the fault ended an hour before now: a restart now would change nothing.
    @Test func aFaultThatEndedAnHourAgoIsDiagnosedButNotRemediated() async throws {
        let faultEnd = Self.faultStart + 15 * 60
        let now = faultEnd + 3600
        // Its hour of quiet data would resolve it as recovered (QuietRecoveryHealTests): kept open, to be asked again.
        let fixture = try await Fixture(now: now, extra: "  diagnosis:\n    recovered-after: 0\n")
        defer { fixture.remove() }
        let result = try await fixture.heal(until: now, faultEnd: faultEnd)
        #expect(result.status == 1, "left for a human")
        #expect(result.stdout.contains("root cause postgres"), "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("restart-service on postgres: refused: incident 1 last showed an anomaly at 2026-01-07T00:"),
                "\(result.stdout)")
        #expect(result.stdout.contains("more than 15m before now (remediation.stale-after)"))
        #expect(result.stdout.contains("fresh, it would execute"))
        #expect(fixture.spy.invocations == 0)
        #expect(result.stderr.contains("incident 1 was last seen more than 15m before now (remediation.stale-after)"), "\(result.stderr)")

        // Recorded like any refusal: the incident shows it, the queue has the row, the audit trail the decision.
        let show = await fixture.cli.run(["incidents", "show", "1"])
        #expect(show.stdout.contains("Remediations"), "\(show.stdout)")
        #expect(show.stdout.contains("restart-service on postgres  refused (stale.incident): incident 1 last showed an anomaly"), "\(show.stdout)")
        let json = await fixture.cli.run(["incidents", "show", "1", "--json"])
        #expect(json.stdout.contains(#""rule":"stale.incident""#), "\(json.stdout)")
        let audit = await fixture.cli.run(["audit", "--json", "--action", "remediation"])
        #expect(audit.stdout.contains("stale-incident: REFUSED (stale.incident)"), "\(audit.stdout)")
        let heal = await fixture.cli.run(["heal", "--stored", "--json"])
        #expect(heal.stdout.contains(#""rule":"stale.incident""#), "\(heal.stdout)")
        #expect(heal.stdout.contains(#""unchanged_since":""#), "asked again: the refusal stands, nothing new recorded")
        #expect(fixture.spy.invocations == 0)

        // A person may still act on it.
        let remediate = await fixture.cli.run(["remediate", "restart-service", "--service", "postgres", "--incident", "1"])
        #expect(remediate.status == 0, "\(remediate.stdout)\(remediate.stderr)")
        #expect(fixture.spy.invocations == 1)
    }

    /// An old dump: the incident is still going on at its last point, but that point is four hours old.
    /// A dry run says what would happen (refused) and what a fresh one would get; 0 lifts the limit.
    @Test func anOldDumpIsRefusedADryRunSaysWhyAndZeroLiftsTheLimit() async throws {
        let end = Self.faultStart + 20 * 60
        let fixture = try await Fixture(now: end + 4 * 3600)
        defer { fixture.remove() }
        let dry = try await fixture.heal(until: end, faultEnd: nil, ["--dry-run"])
        #expect(dry.stdout.contains("dry run: would be refused: incident 1 last showed"), "\(dry.stdout)")
        #expect(dry.stdout.contains("fresh, it would execute"))
        #expect(fixture.spy.invocations == 0)
        let refused = await fixture.cli.run(["heal", "--stored"])
        #expect(refused.stdout.contains("refused: incident 1 last showed an anomaly"), "\(refused.stdout)")
        #expect(fixture.spy.invocations == 0)

        try String(contentsOfFile: fixture.spy.configuration, encoding: .utf8)
            .replacingOccurrences(of: "  remediation:\n", with: "  remediation:\n    stale-after: 0\n")
            .write(toFile: fixture.spy.configuration, atomically: true, encoding: .utf8)
        let replay = await fixture.cli.run(["heal", "--stored"])
        #expect(replay.stdout.contains("restart-service on postgres: executed: succeeded"), "\(replay.stdout)\(replay.stderr)")
        #expect(fixture.spy.invocations == 1)
    }

    /// An approval is a person's choice: the prompt shows how long ago the fault was last seen, and the
    /// approved remediation runs however old the incident has grown.
    @Test func anApprovalOfAStaleIncidentRunsAndThePromptShowsItsAge() async throws {
        let end = Self.faultStart + 20 * 60
        let fixture = try await Fixture(now: end + 20, tier: "high")
        defer { fixture.remove() }
        let queued = try await fixture.heal(until: end, faultEnd: nil)
        #expect(queued.stdout.contains("queued for approval (tier.high)"), "\(queued.stdout)\(queued.stderr)")
        fixture.cli.clock.advance(2 * 3600)
        let session = await fixture.cli.run(["approve", "--actor", "bob"], lines: ["a", "q"], terminal: true)
        #expect(session.stdout.contains("incident: 1, last anomaly at 2026-01-07T00:"), "\(session.stdout)")
        #expect(session.stdout.contains("(2h1m ago)"), "\(session.stdout)")
        #expect(fixture.spy.invocations == 1, "\(session.stdout)\(session.stderr)")
    }
}
