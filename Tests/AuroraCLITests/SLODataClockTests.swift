import AuroraCLITestSupport
import Foundation
import Testing

/// Issue 17, point 3: a dump's SLO figures are measured in the data's own time, not against the wall
/// clock of the day someone analysed it (the harness' clock is ten months after the fleet's data).
@Suite struct SLODataClockTests {
    @Test func latencyAndMTTRCountFromTheDatasTimestamps() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let folder = cli.directory.file("fleet")
        #expect(await cli.run(["demo", "--write-data", folder]).status == 0)
        cli.environment["AURORA_CONFIG"] = folder + "/aurora.yaml"
        #expect(await cli.run(["detect", folder + "/fleet.csv", "--quiet"]).status == 0)
        let healed = await cli.run(["heal", "--stored", "--json"])
        #expect(healed.stdout.contains(#""resolved":true"#), "\(healed.stdout)\(healed.stderr)")
        let slo = await cli.run(["slo", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(slo.stdout.utf8)) as? [String: Any]
        #expect(object?["clock"] as? String == "data")
        let objectives = try #require(object?["objectives"] as? [[String: Any]])
        func value(_ name: String) -> Double? { objectives.first { $0["name"] as? String == name }?["value"] as? Double }
        // The fleet's fault lasts 30 minutes of data; the dump ends 30 minutes after it began.
        let mttr = try #require(value("MTTR")), latency = try #require(value("detection latency"))
        #expect(mttr > 0 && mttr <= 30 * 60, "MTTR \(mttr) s")
        #expect(latency >= 0 && latency <= 30 * 60, "detection latency \(latency) s")
        let text = await cli.run(["slo"])
        #expect(text.stdout.contains("clock: the data's own timestamps"))
        #expect(text.stdout.range(of: #"\b[0-9]+d([0-9]|\b)"#, options: .regularExpression) == nil, "no figure in days: \(text.stdout)")
    }
}
