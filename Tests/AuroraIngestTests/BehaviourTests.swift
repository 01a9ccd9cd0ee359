import AuroraCore
import Foundation
import Testing
@testable import AuroraIngest

@Suite struct BehaviourTests {
    @Test func outOfOrderIsSortedAndDuplicatesKeepTheLastValue() throws {
        let text = """
        timestamp,value
        2024-03-01 00:10:00,3
        2024-03-01 00:00:00,1
        2024-03-01 00:05:00,2
        2024-03-01 00:05:00,20
        2024-03-01 00:15:00,4

        """
        let result = try ingestText(text, name: "cpu.csv")
        let series = try #require(result.series.first)
        #expect(series.timestamps == [march1, march1 + 300_000, march1 + 600_000, march1 + 900_000])
        #expect(series.values == [1, 20, 3, 4])
        let report = try #require(result.report.series.first)
        #expect(report.duplicates == 1)
        #expect(report.wasSorted)
        #expect(report.step == 300_000)
        #expect(report.first == march1 && report.last == march1 + 900_000)
    }

    @Test func gapsAreFoundAtTheInferredStep() throws {
        var rows = ["timestamp,value"]
        for minute in [0, 1, 2, 3, 7, 8, 9, 20] { rows.append("\(march1 / 1000 + Int64(minute) * 60),\(minute)") }
        let result = try ingestText(rows.joined(separator: "\n"), name: "gappy.csv")
        let report = try #require(result.report.series.first)
        #expect(report.step == 60_000)
        #expect(report.gapCount == 2)
        #expect(report.gaps == [
            SeriesGap(after: march1 + 180_000, before: march1 + 420_000, missingPoints: 3),
            SeriesGap(after: march1 + 540_000, before: march1 + 1_200_000, missingPoints: 10),
        ])
    }

    @Test func nonFiniteValuesAreSkippedAndCounted() throws {
        let text = "timestamp,value\n1709251200,1\n1709251260,NaN\n1709251320,+Inf\n1709251380,-inf\n1709251440,2\n"
        let result = try ingestText(text, name: "n.csv")
        #expect(result.series.first?.values == [1, 2])
        #expect(result.report.series.first?.skippedNonFinite == 3)
        #expect(result.report.inputs.first?.skippedNonFinite == 3)
        #expect(result.series.first?.values.allSatisfy(\.isFinite) == true)
    }

    @Test(arguments: ["", "NA", "n/a", "null", "None"])
    func aMissingSampleIsCountedAndSkippedLikeNaN(spelling: String) throws {
        let single = "timestamp,value\n1709251200,1\n1709251260,\(spelling)\n1709251320,2\n"
        let nab = try ingestText(single, name: "pandas.csv")
        #expect(nab.series.first?.values == [1, 2])
        #expect(nab.report.series.first?.skippedNonFinite == 1)

        let long = "timestamp,metric,value\n1709251200,cpu,1\n1709251260,cpu,\(spelling)\n1709251320,cpu,3\n"
        let longResult = try ingestText(long, name: "long.csv")
        #expect(longResult.series.first?.values == [1, 3])
        #expect(longResult.report.series.first?.skippedNonFinite == 1)
    }

    /// In a wide CSV a missing cell means the series has no sample at that row's time (series sampled
    /// at different instants share one table), so it is neither a point nor a skipped value.
    @Test func aWideTableLeavesOutTheCellsThatHaveNoSample() throws {
        let text = "timestamp,cpu,mem\n1709251200,1,\n1709251260,NA,5\n1709251320,2,6\n"
        let result = try ingestText(text, name: "wide.csv")
        let byName = Dictionary(uniqueKeysWithValues: result.series.map { ($0.key.description, $0.values) })
        #expect(byName["cpu"] == [1, 2])
        #expect(byName["mem"] == [5, 6])
        #expect(result.report.inputs.first?.skippedNonFinite == 0)
    }

    @Test func counterRateWithReset() throws {
        let text = """
        # TYPE http_requests_total counter
        http_requests_total{service="api"} 100 1709251200000
        http_requests_total{service="api"} 160 1709251260000
        http_requests_total{service="api"} 220 1709251320000
        http_requests_total{service="api"} 30 1709251380000
        http_requests_total{service="api"} 90 1709251440000
        # TYPE temperature gauge
        temperature 20 1709251200000
        temperature 21 1709251260000

        """
        let result = try ingestText(text, name: "c.prom", options: IngestOptions(rate: true))
        // The rate is its own series, beside the counter's name (see RatedSeries).
        let counter = try #require(result.series.first { $0.key.name == "http_requests_total:rate" })
        #expect(counter.timestamps == [march1 + 60_000, march1 + 120_000, march1 + 180_000, march1 + 240_000])
        #expect(counter.values == [1, 1, 0.5, 1])
        let report = try #require(result.report.series.first { $0.key.name == "http_requests_total:rate" })
        #expect(report.isRate && report.counterResets == 1)
        #expect(result.series.first { $0.key.name == "temperature" }?.values == [20, 21])
    }

    @Test func histogramSeriesCountAsCounters() {
        let types = ["rpc_duration_seconds": "histogram", "requests": "counter"]
        #expect(ExpositionSink.isCounter("rpc_duration_seconds_bucket", types: types))
        #expect(ExpositionSink.isCounter("rpc_duration_seconds_count", types: types))
        #expect(ExpositionSink.isCounter("requests_total", types: types))
        #expect(!ExpositionSink.isCounter("rpc_duration_seconds", types: types))
        #expect(!ExpositionSink.isCounter("other_total", types: types))
    }

    @Test func selectorsAndWindow() throws {
        let text = """
        timestamp,metric,value,service
        1709251200,cpu,1,api
        1709251260,cpu,2,api
        1709251320,cpu,3,api
        1709251200,cpu,9,web
        1709251200,mem,5,api

        """
        let options = IngestOptions(match: [try SeriesSelector(parsing: "cpu{service=~\"a.*\"}"), try SeriesSelector(parsing: "mem")],
                                    since: march1 + 60_000, until: march1 + 120_000)
        let result = try ingestText(text, options: options)
        #expect(result.series.map(\.key) == [key("cpu", ["service": "api"]), key("mem", ["service": "api"])])
        #expect(result.series[0].values == [2])
        #expect(result.series[1].values == [])
        #expect(result.report.series[0].skippedOutsideWindow == 2)
        #expect(result.report.unmatchedSeries == 1)
    }

    @Test func rowsKeepFileOrder() throws {
        let text = "timestamp,value\n2024-03-01 00:10:00,3\n2024-03-01 00:00:00,1\n2024-03-01 00:00:00,NaN\n2024-03-01 00:00:00,5\n"
        let (series, report) = try readRows(.bytes(name: "rows.csv", Array(text.utf8)))
        #expect(series.count == 4)
        #expect(series.timestamps == [march1 + 600_000, march1, march1, march1])
        #expect(series.values[0] == 3 && series.values[1] == 1 && series.values[2].isNaN && series.values[3] == 5)
        #expect(report.series.first?.skippedNonFinite == 1)
        let long = "timestamp,metric,value\n1709251260,cpu,2\n1709251200,cpu,1\n"
        #expect(try readRows(.bytes(name: "l.csv", Array(long.utf8))).series.values == [2, 1])
        let two = "timestamp,metric,value\n1709251260,cpu,2\n1709251200,mem,1\n"
        #expect(throws: IngestError.notASingleSeries(name: "t.csv", count: 2)) { try readRows(.bytes(name: "t.csv", Array(two.utf8))) }
    }

    @Test func directoriesFilesAndStdinTogether() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-dir-\(UInt64.random(in: 0...UInt64.max))")
        let nested = root.appendingPathComponent("nested")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("timestamp,value\n1709251200,1\n".utf8).write(to: root.appendingPathComponent("a.csv"))
        try Data("up{job=\"x\"} 1 1709251200000\n".utf8).write(to: nested.appendingPathComponent("b.prom"))
        try Data("ignored".utf8).write(to: nested.appendingPathComponent("notes.md"))
        let stdin: [UInt8] = Array("timestamp,value\n1709251260,2\n".utf8)
        let result = try ingest([.path(root.path), .bytes(name: "<stdin>", stdin)], options: IngestOptions())
        #expect(result.report.inputs.map { ($0.name as NSString).lastPathComponent } == ["a.csv", "b.prom", "<stdin>"])
        #expect(result.series.map(\.key) == [key("a"), key("stdin"), key("up", ["job": "x"])])
    }

    @Test func sameSeriesAcrossInputsIsMerged() throws {
        let first: [UInt8] = Array("timestamp,value\n1709251260,2\n1709251320,3\n".utf8)
        let second: [UInt8] = Array("timestamp,value\n1709251200,1\n1709251260,20\n".utf8)
        let result = try ingest([.bytes(name: "day2/cpu.csv", first), .bytes(name: "day1/cpu.csv", second)])
        #expect(result.series.count == 1)
        #expect(result.series[0].values == [1, 20, 3])
        #expect(result.report.series[0].inputs == ["day2/cpu.csv", "day1/cpu.csv"])
        #expect(result.report.series[0].duplicates == 1)
    }

    @Test func largeStreamAcrossChunkBoundaries() throws {
        // More than one 4 MiB chunk through a file, so lines straddle chunk boundaries.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-big-\(UInt64.random(in: 0...UInt64.max)).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let points = 200_000
        let series = Series(key: key("big"), timestamps: (0..<points).map { march1 + Int64($0) * 1000 },
                            values: (0..<points).map { Double($0) * 0.5 })
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try MetricWriter.write([series], format: .nabCSV, blockSize: 1 << 16) { try handle.write(contentsOf: Data($0)) }
        try handle.close()
        let result = try ingest([.path(path)])
        #expect(result.series.count == 1)
        #expect(result.series.first?.timestamps == series.timestamps)
        #expect(result.series.first?.values == series.values)
        #expect(result.report.inputs[0].lines == points + 1)
    }
}

@Suite struct OptionTests {
    @Test func invalidTemplatesAreUsageErrors() {
        #expect(throws: IngestError.invalidTemplate(template: "{service}", reason: "no {metric} placeholder")) {
            try ingestText("timestamp,a\n1,2\n", options: IngestOptions(columnsTemplate: "{service}"))
        }
        #expect(throws: IngestError.invalidTemplate(template: "{service}{metric}", reason: "placeholders {…}{…} need text between them")) {
            try ingestText("timestamp,a\n1,2\n", options: IngestOptions(columnsTemplate: "{service}{metric}"))
        }
        #expect(IngestError.invalidTemplate(template: "x", reason: "y").kind == .usage)
    }

    @Test func headerNotFittingTheTemplate() {
        #expect(failure("timestamp,cpu\n1709251200,1\n", name: "w.csv", options: IngestOptions(columnsTemplate: "{service}.{metric}"))
                == "w.csv:1:11: column \"cpu\" does not fit the columns template '{service}.{metric}' (expected headers such as checkout.http_requests_total)")
    }

    @Test func progressIsReportedPerChunk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-ingest-progress-\(UInt64.random(in: 0...UInt64.max)).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("timestamp,value\n1709251200,1\n1709251260,2\n".utf8).write(to: URL(fileURLWithPath: path))
        let seen = ProgressLog()
        _ = try ingest([.path(path)], options: IngestOptions(progress: { seen.add($0.bytesRead) }))
        #expect(seen.values.last == 42)
    }

    @Test func stdinSeriesName() throws {
        let bytes: [UInt8] = Array("timestamp,value\n1709251200,1\n".utf8)
        #expect(try ingestBytes(bytes, name: "<stdin>").series.first?.key == key("stdin"))
        #expect(try ingestBytes(bytes, name: "<stdin>", options: IngestOptions(seriesName: "cpu")).series.first?.key == key("cpu"))
    }

    @Test func formatNames() {
        for format in MetricFormat.allCases { #expect(MetricFormat(name: format.rawValue) == format) }
        #expect(MetricFormat(name: "openmetrics") == .exposition)
        #expect(MetricFormat(name: "xml") == nil)
    }
}

/// Collects progress calls (the callback is `@Sendable`).
final class ProgressLog: @unchecked Sendable {
    // Guarded by `lock`: progress may be reported from any thread.
    private var seen: [Int] = []
    private let lock = NSLock()
    func add(_ value: Int) { lock.lock(); seen.append(value); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return seen }
}

@Suite struct LongCSVKeyTests {
    /// A failed row must not leave the previous row's series cached for the next identical failure.
    @Test func failedKeysAreNotCached() throws {
        let text = "timestamp,metric,value,service\n1709251200,cpu,1,api\n1709251260,,2,api\n1709251320,,3,api\n1709251380,cpu,4,api\n1709251440,cpu,5,web\n"
        let result = try ingestText(text, name: "k.csv", options: IngestOptions(skipBadLines: true))
        #expect(result.series.map(\.key) == [key("cpu", ["service": "api"]), key("cpu", ["service": "web"])])
        #expect(result.series[0].values == [1, 4])
        #expect(result.report.inputs[0].badLines == 2)
        #expect(result.report.inputs[0].badLineErrors.first?.description == "k.csv:3:12: empty metric name (expected a metric name)")
    }

    @Test func interleavedSeries() throws {
        var rows = ["timestamp,metric,value,service"]
        for minute in 0..<50 {
            for service in ["a", "b", "c"] { rows.append("\(march1 / 1000 + Int64(minute) * 60),cpu,\(minute),\(service)") }
        }
        let result = try ingestText(rows.joined(separator: "\n"))
        #expect(result.series.count == 3)
        #expect(result.series.allSatisfy { $0.values == (0..<50).map(Double.init) })
    }
}
