import AuroraCore
import Testing
@testable import AuroraIngest

/// NAB files name their series after the file: two `cpu.csv` from two hosts are different series, two
/// `cpu.csv` from two months are one series split by time.
@Suite struct SameNamedFilesTests {
    static func nab(from start: Int, count: Int, level: Double) -> [UInt8] {
        var text = "timestamp,value\n"
        for index in start..<(start + count) { text += "\(1_700_000_000 + index * 60),\(level + Double(index % 5))\n" }
        return Array(text.utf8)
    }

    @Test func filesOfOneNameOverTheSameTimesAreToldApartByTheirPath() throws {
        let result = try ingest([
            .bytes(name: "/dumps/host1/cpu.csv", Self.nab(from: 0, count: 100, level: 10)),
            .bytes(name: "/dumps/host2/cpu.csv", Self.nab(from: 0, count: 100, level: 500)),
        ])
        #expect(result.series.map(\.key.description) == [#"cpu{file="host1/cpu.csv"}"#, #"cpu{file="host2/cpu.csv"}"#])
        #expect(result.series.map { $0.values.first } == [10, 500], "no value replaced another")
        #expect(result.report.totalDuplicates == 0)
        #expect(result.report.labelledByFile == ["cpu": ["host1/cpu.csv", "host2/cpu.csv"]])
    }

    @Test func filesOfOneNameOverDifferentTimesAreOneSeries() throws {
        let result = try ingest([
            .bytes(name: "2024-01/cpu.csv", Self.nab(from: 0, count: 100, level: 10)),
            .bytes(name: "2024-02/cpu.csv", Self.nab(from: 98, count: 100, level: 10)),
        ])
        #expect(result.series.map(\.key.description) == ["cpu"])
        #expect(result.series.first?.count == 198)
        #expect(result.report.labelledByFile.isEmpty)
    }

    @Test func onlyTheClashingFilesAreLabelledAndTheirLabelsAreTheShortestDistinctEnds() throws {
        let result = try ingest([
            .bytes(name: "a/x/cpu.csv", Self.nab(from: 0, count: 50, level: 1)),
            .bytes(name: "b/x/cpu.csv", Self.nab(from: 0, count: 50, level: 2)),
            .bytes(name: "mem.csv", Self.nab(from: 0, count: 50, level: 3)),
        ])
        #expect(result.series.map(\.key.description) == [#"cpu{file="a/x/cpu.csv"}"#, #"cpu{file="b/x/cpu.csv"}"#, "mem"])
    }

    /// The label is given once every file is read, so `--match` judges the file's own name: selecting
    /// `cpu` keeps both hosts' series, labelled; selecting one host is passing its file.
    @Test func aSelectorOnTheNameKeepsEveryLabelledSeries() throws {
        var options = IngestOptions()
        options.match = [try SeriesSelector(parsing: "cpu")]
        let result = try ingest([
            .bytes(name: "h1/cpu.csv", Self.nab(from: 0, count: 50, level: 1)),
            .bytes(name: "h2/cpu.csv", Self.nab(from: 0, count: 50, level: 2)),
            .bytes(name: "h1/mem.csv", Self.nab(from: 0, count: 50, level: 3)),
        ], options: options)
        #expect(result.series.map(\.key.description) == [#"cpu{file="h1/cpu.csv"}"#, #"cpu{file="h2/cpu.csv"}"#])
        #expect(result.series.map { $0.values.first } == [1, 2])
    }
}
