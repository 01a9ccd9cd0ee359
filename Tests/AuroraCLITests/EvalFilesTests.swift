import AuroraCLITestSupport
import Foundation
import Testing

/// `aurora eval --files`: each file's windows found and events, so a user grading aurora on their own
/// labels sees which series it misses and which it pages on falsely.
@Suite struct EvalFilesTests {
    /// Two series with the same spike at row 900 (2026-01-04 03:00): `hit.csv` labels the spike,
    /// `miss.csv` labels a quiet stretch a day earlier, so its window is missed and its spike is false.
    static func corpus(_ cli: CLIHarness) throws -> (data: String, labels: String) {
        let folder = cli.directory.file("corpus/data/web")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["hit", "miss"] {
            try Data(DetectCommandTests.nabCSV().utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name).csv"))
        }
        let labels = cli.directory.file("corpus/labels.json")
        try Data("""
            {"web/hit.csv": [["2026-01-04 02:00:00.000000", "2026-01-04 04:00:00.000000"]],
             "web/miss.csv": [["2026-01-03 02:00:00.000000", "2026-01-03 04:00:00.000000"]]}
            """.utf8).write(to: URL(fileURLWithPath: labels))
        return (cli.directory.file("corpus/data"), labels)
    }

    @Test func eachFileSaysWhatWasFoundAndWhatWasFalse() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let corpus = try Self.corpus(cli)
        let json = await cli.run(["eval", corpus.data, "--labels", corpus.labels, "--files", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let row = try #require((object["detectors"] as? [[String: Any]])?.first)
        let files = try #require(row["files"] as? [[String: Any]])
        #expect(files.map { $0["file"] as? String } == ["web/hit.csv", "web/miss.csv"])
        #expect(files.map { $0["windows_found"] as? Int } == [1, 0])
        #expect(files.map { $0["events_right"] as? Int } == [1, 0])
        #expect(files.allSatisfy { ($0["events"] as? Int ?? 0) >= 1 }, "the spike pages in both")

        let text = await cli.run(["eval", corpus.data, "--labels", corpus.labels, "--files"])
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        let miss = try #require(lines.first { $0.first == "web/miss.csv" })
        #expect(miss[1...3] == ["1", "0", miss[3]] && miss[4] == "0" && Int(miss[5]) == Int(miss[3]), "\(miss)")
    }

    @Test func withoutTheFlagNoFileIsListed() async throws {
        let cli = try CLIHarness()
        defer { cli.remove() }
        let corpus = try Self.corpus(cli)
        let json = await cli.run(["eval", corpus.data, "--labels", corpus.labels, "--json"])
        #expect(!json.stdout.contains("\"files\":["))
        #expect(!json.stdout.contains("windows_found"))
    }
}
