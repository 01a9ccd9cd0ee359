import AuroraCLITestSupport
import AuroraSimulation
import Foundation
import Testing

@Suite struct DiagnoseCommandTests {
    /// The first generated cases with a visible fault, as (data file text, root service, onset).
    static func faultCases(_ count: Int) -> [(csv: String, root: String, onset: Int64, graph: [(caller: String, callee: String)])] {
        let generator = IncidentGenerator(masterSeed: 7)
        var cases: [(String, String, Int64, [(caller: String, callee: String)])] = []
        var index = 0
        while cases.count < count && index < 200 {
            let item = generator.generate(index: index)
            index += 1
            guard item.label.hasFault, !item.label.silent, let root = item.label.roots.first else { continue }
            cases.append((item.dataCSV(), root, item.label.onset, item.callEdges))
        }
        return cases
    }

    static func configuration(graph: [(caller: String, callee: String)]) -> String {
        var byCaller: [String: [String]] = [:]
        for edge in graph { byCaller[edge.caller, default: []].append(edge.callee) }
        var yaml = "aurora:\n  services:\n"
        for caller in byCaller.keys.sorted() {
            yaml += "    \(caller):\n      depends-on: [\(byCaller[caller]!.sorted().joined(separator: ", "))]\n"
        }
        return yaml
    }

    @Test func postMortemOnAWideExportRanksTheRootService() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        var correct = 0
        let cases = Self.faultCases(5)
        for (number, item) in cases.enumerated() {
            let file = try cli.directory.write("case\(number).csv", item.csv)
            cli.environment["AURORA_CONFIG"] = try cli.directory.write("graph\(number).yaml", Self.configuration(graph: item.graph))
            let result = await cli.run(["diagnose", file, "--columns", "{service}_{metric}", "--at", String(item.onset), "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let candidates = object?["candidates"] as? [[String: Any]] ?? []
            if candidates.first?["service"] as? String == item.root { correct += 1 }
        }
        // The engine's own benchmark measures accuracy; here the wiring must deliver it end to end.
        #expect(correct >= cases.count - 1, "root ranked first in \(correct) of \(cases.count) cases")
    }

    @Test func storedIncidentIsDiagnosedRecordedAndShown() async throws {
        var cli = try CLIHarness()
        defer { cli.remove() }
        let item = try #require(Self.faultCases(1).first)
        cli.environment["AURORA_CONFIG"] = try cli.directory.write("aurora.yaml", Self.configuration(graph: item.graph))
        let file = try cli.directory.write("data.csv", item.csv)
        #expect(await cli.run(["ingest", file, "--columns", "{service}_{metric}"]).status == 0)
        #expect(await cli.run(["detect"]).status == 0)
        let diagnosed = await cli.run(["diagnose", "--json"])
        #expect(diagnosed.status == 0, "\(diagnosed.stderr)")
        #expect(diagnosed.stdout.contains("\"incident\":"))
        let list = await cli.run(["incidents", "list", "--json"])
        #expect(list.stdout.contains("\"status\":\"diagnosed\"") || list.stdout.contains("\"status\":\"escalated\""))
        #expect(list.stdout.contains("\"confidence\":"))
        let shown = await cli.run(["incidents", "show", "1"])
        #expect(shown.stdout.contains("diagnosed"))
    }

    @Test func postMortemNeedsAWindowThatMakesSense() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let file = try cli.directory.write("x.csv", "timestamp,value\n2026-01-01 00:00:00,1\n")
        #expect(await cli.run(["diagnose", file, "--window", "2026-01-02..2026-01-01"]).status == 64)
        #expect(await cli.run(["diagnose", file, "--window", "yesterday"]).status == 64)
        #expect(await cli.run(["diagnose", "abc"]).status == 64)
    }
}
