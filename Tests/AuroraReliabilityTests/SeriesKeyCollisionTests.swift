import AuroraCLITestSupport
import AuroraCore
import AuroraStore
import AuroraTestSupport
import Foundation
import Testing

/// Issue 18, item 4: an escaped NUL (`\u0000`) in a JSON metric or label name cut the stored key at the
/// NUL, so two series were stored as one while the report said two. Now such names are refused at the
/// escape (`file:line:column`, exit 65, database untouched), and keys that do hold a NUL or the
/// notation's own delimiters are stored whole and apart.
@Suite(.serialized) struct SeriesKeyCollisionTests {
    static let documents: [(name: String, text: String, line: Int, column: Int)] = [
        ("nul.json", """
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"cpu","service":"a\\u0000x"},"values":[[1700000000,"1"]]},
            {"metric":{"__name__":"cpu","service":"a\\u0000y"},"values":[[1700000000,"2"]]}]}}
            """, 2, 41),
        ("nul-name.json", """
            {"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"cpu\\u0000x"},"values":[[1700000000,"1"]]}]}}
            """, 2, 27),
        ("nul.jsonl", """
            {"ts":1700000000,"metric":"cpu","labels":{"service":"a"},"value":1}
            {"ts":1700000000,"metric":"cpu\\u0000b","value":2}
            """, 2, 31),
        ("nul-cloudwatch.json", """
            {"MetricDataResults":[{"Id":"m1","Label":"CPU\\u0000x","Timestamps":["2024-01-01T00:00:00Z"],"Values":[1]}]}
            """, 1, 46),
    ]

    @Test(arguments: 0..<documents.count)
    func escapedNulInANameIsRefusedAtTheEscape(_ index: Int) async throws {
        let document = Self.documents[index]
        let harness = try CLIHarness()
        defer { harness.remove() }
        let seed = try harness.directory.write("seed.csv", "timestamp,value\n1700000000,1\n1700000060,2\n")
        #expect(await harness.run(["ingest", seed]).status == 0)
        let before = try DatabaseContent.read(harness.databasePath)
        let path = try harness.directory.write(document.name, document.text)
        let result = await harness.run(["ingest", path])
        #expect(result.status == 65, "\(document.name): \(result.stderr)")
        #expect(result.stderr.contains("\(path):\(document.line):\(document.column): escaped NUL"), "\(document.name): \(result.stderr)")
        #expect(try DatabaseContent.read(harness.databasePath) == before, "\(document.name): rows were written")
    }

    /// An escape JSON does not have (`\x`) in a name was read as the bare letter by ingest, while the
    /// Prometheus scanner refused it; both share one strict decoder now, and ingest names the escape.
    @Test func anUnknownEscapeInANameIsRefusedAtTheEscape() async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let line = #"{"metric":{"__name__":"cpu","service":"a\xb"},"values":[[1700000000,"1"]]}]}}"#
        let path = try harness.directory.write("escape.json", #"{"status":"success","data":{"resultType":"matrix","result":["# + "\n" + line)
        let result = await harness.run(["ingest", path])
        #expect(result.status == 65, "\(result.stderr)")
        let column = line.distance(from: line.startIndex, to: line.range(of: #"\x"#)!.lowerBound) + 1
        #expect(result.stderr.contains("\(path):2:\(column): invalid escape in"), "\(result.stderr)")
        let listed = await harness.run(["series", "list"])
        #expect(!listed.stdout.contains("cpu"))
    }

    /// Keys that differ only after a NUL, or only in where the notation's delimiters fall, stay apart
    /// through the store and read back exactly (before the fix the first pair merged into one row).
    @Test func keysWithNulAndDelimitersAreStoredApartAndWhole() throws {
        let folder = try TemporaryDirectory("keys")
        defer { folder.remove() }
        let store = try Store(path: folder.file("aurora.db"))
        let keys = [
            SeriesKey(name: "cpu", labels: ["service": "a\u{0}x"]),
            SeriesKey(name: "cpu", labels: ["service": "a\u{0}y"]),
            SeriesKey(name: "cpu\u{0}z"),
            SeriesKey(name: #"a{b="c"}"#),
            SeriesKey(name: "a", labels: ["b": "c"]),
            SeriesKey(name: "a", labels: [#"b="c",d"#: "e"]),
            SeriesKey(name: "a", labels: ["b": "c", "d": "e"]),
        ]
        let series = keys.enumerated().map { Series(key: $1, timestamps: [1_700_000_000_000], values: [Double($0)]) }
        let summary = try store.database.write { db in
            try SeriesStore.store(series, serviceLabel: "service", at: Date(timeIntervalSince1970: 1_700_000_000), in: db)
        }
        #expect(summary.newSeries == keys.count)
        let stored = try store.database.read { db in try SeriesStore.list(in: db) }
        #expect(stored.count == keys.count)
        #expect(Set(stored.map(\.key.name)) == Set(keys.map(\.name)))
        let rows = try store.database.read { db in try db.query("SELECT key FROM series").compactMap { $0[0].string } }
        #expect(Set(rows) == Set(keys.map(\.description)))
        #expect(!rows.contains { $0.utf8.contains(0) }, "a stored key holds a raw NUL")
    }
}
