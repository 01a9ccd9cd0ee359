import AuroraCLITestSupport
import Foundation
import Testing

/// `aurora heal` over a dump whose fault ended an hour before its last point: the incident is diagnosed
/// and its remediation refused as stale, then resolved as recovered without action
/// (`diagnosis.recovered-after`, 30m by default); `incidents list`/`show` and the audit trail say so.
/// The same fault at the very end of the dump stays open. `StaleIncidentHealTests`' fixture.
@Suite struct QuietRecoveryHealTests {
    typealias Fixture = StaleIncidentHealTests.Fixture

    @Test func aFaultFollowedByAnHourOfQuietDataRecoversWithoutAction() async throws {
        let faultEnd = StaleIncidentHealTests.faultStart + 15 * 60
        let now = faultEnd + 3600
        let fixture = try await Fixture(now: now)
        defer { fixture.remove() }
        let result = try await fixture.heal(until: now, faultEnd: faultEnd)
        #expect(result.status == 0, "resolved: nothing left for a person\n\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("restart-service on postgres: refused: incident 1"), "\(result.stdout)")
        #expect(result.stdout.contains("recovered recovered without action after 30m quiet: no anomaly on its series and all reporting from "),
                "\(result.stdout)")
        #expect(!result.stderr.contains("remediation.stale-after"), "no advice to act on an incident that recovered: \(result.stderr)")
        #expect(fixture.spy.invocations == 0)

        let list = await fixture.cli.run(["incidents", "list", "--all"])
        #expect(list.stdout.contains("resolved (recovered)"), "\(list.stdout)")
        let show = await fixture.cli.run(["incidents", "show", "1"])
        #expect(show.stdout.contains("incident 1  resolved"), "\(show.stdout)")
        #expect(show.stdout.contains("resolution recovered without action after 30m quiet"), "\(show.stdout)")
        #expect(show.stdout.contains("recovered   recovered without action"), "the timeline says it: \(show.stdout)")
        let json = await fixture.cli.run(["incidents", "show", "1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "resolved" && object["recovered_without_action"] as? Bool == true)
        #expect((object["resolution"] as? String)?.hasPrefix("recovered without action after 30m quiet") == true)
        let audit = await fixture.cli.run(["audit", "--action", "incident.recovered", "--json"])
        #expect(audit.stdout.contains(#""actor":"aurora""#) && audit.stdout.contains(#""subject":"incident:1""#), "\(audit.stdout)")

        let slo = await fixture.cli.run(["slo"])
        #expect(slo.stdout.contains("recovered without action: 1 incident (diagnosis.recovered-after), counted in precision, not in MTTR"),
                "\(slo.stdout)")
        #expect(await fixture.cli.run(["slo", "--json"]).stdout.contains(#""recovered_without_action":1"#))

        // Resolved: the next pass has nothing to do.
        let again = await fixture.cli.run(["heal", "--stored", "--json"])
        #expect(again.stdout.contains(#""incidents":[]"#), "\(again.stdout)")
    }

    @Test func aFaultAtTheEndOfTheDumpStaysOpen() async throws {
        let faultEnd = StaleIncidentHealTests.faultStart + 15 * 60
        // Read a day later: the clock is long past the period, the data is not.
        let fixture = try await Fixture(now: faultEnd + 86_400)
        defer { fixture.remove() }
        let result = try await fixture.heal(until: faultEnd + 5 * 60, faultEnd: faultEnd)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("recovered without action"), "\(result.stdout)")
        let show = await fixture.cli.run(["incidents", "show", "1", "--json"])
        #expect(show.stdout.contains(#""status":"escalated""#) || show.stdout.contains(#""status":"diagnosed""#), "\(show.stdout)")
        #expect(show.stdout.contains(#""recovered_without_action":false"#), "\(show.stdout)")
    }
}
