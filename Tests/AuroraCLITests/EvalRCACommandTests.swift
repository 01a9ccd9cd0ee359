import AuroraCLITestSupport
import AuroraSimulation
import Foundation
import Testing

@Suite struct EvalRCACommandTests {
    /// Writes the first `count` generated fault cases in the aurora-rca-case/1 format under `cases/`.
    static func writeCases(_ count: Int, into cli: CLIHarness) throws -> String {
        let folder = URL(fileURLWithPath: cli.directory.file("cases"))
        let generator = IncidentGenerator(masterSeed: 11)
        var written = 0, index = 0
        while written < count && index < 60 {
            let item = generator.generate(index: index)
            index += 1
            guard item.label.hasFault, !item.label.silent else { continue }
            try item.writeRCACase(into: folder)
            written += 1
        }
        return folder.path
    }

    @Test func gradesAFolderOfCasesWithGroupsAndReliability() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let folder = try Self.writeCases(3, into: cli)
        let result = await cli.run(["eval-rca", folder, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["cases"] as? Int == 3)
        let groups = object["groups"] as? [[String: Any]] ?? []
        #expect(groups.first?["dimension"] as? String == "all")
        #expect(groups.contains { $0["dimension"] as? String == "system" && $0["value"] as? String == "synthetic" })
        let ac1 = groups.first?["ac1"] as? Double ?? -1, ac5 = groups.first?["ac5"] as? Double ?? -1
        #expect(ac1 >= 0 && ac1 <= ac5 && ac5 <= 1)
        let reliability = object["reliability"] as? [String: Any]
        #expect((reliability?["bands"] as? [Any])?.count == 4)
        #expect(reliability?["ece"] is Double)
        let cases = object["per_case"] as? [[String: Any]] ?? []
        #expect(cases.count == 3 && cases.allSatisfy { $0["features"] is [Double] })

        let text = await cli.run(["eval-rca", folder, "--per-case"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("AC@1") && text.stdout.contains("0.90–1.00") && text.stdout.contains("ECE"))
        #expect(text.stdout.contains("synth-"))

        let refit = await cli.run(["eval-rca", folder, "--cross-validate", "system", "--json"])
        #expect(refit.status == 0, "\(refit.stderr)")
        let validation = (try JSONSerialization.jsonObject(with: Data(refit.stdout.utf8)) as? [String: Any])?["cross_validation"]
            as? [String: Any]
        #expect(validation?["dimension"] as? String == "system")
        #expect((validation?["folds"] as? [[String: Any]])?.map { $0["value"] as? String } == ["synthetic"])
        #expect((validation?["weights"] as? [String: Any])?["resource"] is Double)
    }

    @Test func ranksWithABaselineAndPrintsNoReliability() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let folder = try Self.writeCases(2, into: cli)
        let walk = await cli.run(["eval-rca", folder, "--baseline", "random-walk"])
        #expect(walk.status == 0, "\(walk.stderr)")
        #expect(walk.stdout.contains("AC@1") && !walk.stdout.contains("ECE"))
        let json = await cli.run(["eval-rca", folder, "--baseline", "nsigma", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["cases"] as? Int == 2)
        let unknown = await cli.run(["eval-rca", folder, "--baseline", "oracle"])
        #expect(unknown.status == 64)
        let both = await cli.run(["eval-rca", folder, "--baseline", "baro", "--cross-validate", "system"])
        #expect(both.status == 64 && both.stderr.contains("--cross-validate"))
        let full = await cli.run(["eval-rca", folder, "--json"])
        let cases = (try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as? [String: Any])?["per_case"] as? [[String: Any]]
        #expect(cases?.allSatisfy { ($0["inputs"] as? [String: Any])?["concurrent_services"] is Int && $0["scores"] is [Double] } == true)
    }

    @Test func refusesFoldersWithoutCasesAndNamesTheBrokenFile() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let empty = cli.directory.file("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let none = await cli.run(["eval-rca", empty])
        #expect(none.status == 66 && none.stderr.contains("no case.json"))

        let folder = try Self.writeCases(1, into: cli)
        let caseFile = try #require(FileManager.default.enumerator(atPath: folder)?.allObjects.compactMap { $0 as? String }
            .first { $0.hasSuffix("case.json") })
        let path = (folder as NSString).appendingPathComponent(caseFile)
        try "{\"incident_time\": \"2026-01-01T00:00:00Z\"}".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = await cli.run(["eval-rca", folder])
        #expect(broken.status == 65)
        #expect(broken.stderr.contains(path) && broken.stderr.contains("root_service"))
    }
}
