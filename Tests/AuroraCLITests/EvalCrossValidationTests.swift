import AuroraCLITestSupport
import Foundation
import Testing

/// `aurora eval --cross-validate` over two generated corpora, each with its labels file.
struct EvalCrossValidationTests {
    /// Writes `<corpus>/data/<category>/<name>.csv` (a spike at row 900) and the corpus's labels file
    /// with a window around the spike; returns the labels path.
    static func corpus(_ cli: CLIHarness, name: String, categories: [String]) throws -> String {
        var entries: [String] = []
        for category in categories {
            let folder = cli.directory.file("\(name)/data/\(category)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data(DetectCommandTests.nabCSV().utf8).write(to: URL(fileURLWithPath: folder + "/series.csv"))
            entries.append("\"\(category)/series.csv\": [[\"2026-01-04 02:00:00.000000\", \"2026-01-04 04:00:00.000000\"]]")
        }
        let labels = cli.directory.file("\(name)/labels")
        try FileManager.default.createDirectory(atPath: labels, withIntermediateDirectories: true)
        try Data("{\(entries.joined(separator: ", "))}".utf8).write(to: URL(fileURLWithPath: labels + "/combined_windows.json"))
        return labels + "/combined_windows.json"
    }

    @Test func leavesEachCategoryOutOverTwoCorpora() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let alpha = try Self.corpus(cli, name: "alpha", categories: ["cpu", "disk"])
        let beta = try Self.corpus(cli, name: "beta", categories: ["rps"])
        let result = await cli.run([
            "eval", cli.directory.file("alpha/data"), cli.directory.file("beta/data"),
            "--labels", alpha, "--labels", beta, "--detector", "zscore", "--cross-validate", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(object["detectors"] as? [[String: Any]])
        #expect(rows.map { $0["corpus"] as? String } == ["alpha", "beta"])
        for row in rows {
            let validation = try #require(row["cross_validation"] as? [String: Any])
            #expect(Set(validation.keys) == ["standard", "reward_low_FP_rate", "reward_low_FN_rate"])
            let standard = try #require(validation["standard"] as? [String: Any])
            // Every category finds its spike with a threshold learnt on the others.
            #expect(standard["left_out"] as? Double ?? 0 > 50)
            #expect(standard["in_sample"] as? Double ?? 0 > 50)
            let folds = try #require(standard["folds"] as? [[String: Any]])
            #expect(folds.map { $0["category"] as? String } == (row["corpus"] as? String == "alpha" ? ["cpu", "disk"] : ["rps"]))
            #expect(row["recall"] as? Double == 1, "the spike pages at the default operating point")
        }
    }

    @Test func textListsFoldsAndFoldsNeedCrossValidation() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let alpha = try Self.corpus(cli, name: "alpha", categories: ["cpu", "disk"])
        let text = await cli.run(["eval", cli.directory.file("alpha/data"), "--labels", alpha, "--detector", "zscore", "--cross-validate", "--folds"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("LEFT-OUT"))
        #expect(text.stdout.contains("reward_low_FP_rate"))
        #expect(text.stdout.contains("disk"))
        let misuse = await cli.run(["eval", cli.directory.file("alpha/data"), "--labels", alpha, "--folds"])
        #expect(misuse.status == 64)
        #expect(misuse.stderr.contains("--cross-validate"))
    }

    @Test func markdownDocumentCarriesTheTablesAndItsOwnCommand() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let alpha = try Self.corpus(cli, name: "alpha", categories: ["cpu", "disk"])
        let result = await cli.run(["eval", cli.directory.file("alpha/data"), "--labels", alpha, "--cross-validate", "--markdown"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# Detection evaluation"))
        #expect(result.stdout.contains("--cross-validate --markdown\n```"))
        #expect(result.stdout.contains("| **default ensemble** | alpha |"))
        #expect(result.stdout.contains("## Profile reward_low_FN_rate"))
        #expect(result.stdout.contains("| alpha | disk | 1 |"))
        #expect(result.stdout.contains("| alpha | default |"))
        #expect(await cli.run(["eval", cli.directory.file("alpha/data"), "--labels", alpha, "--markdown"]).status == 64)
    }
}
