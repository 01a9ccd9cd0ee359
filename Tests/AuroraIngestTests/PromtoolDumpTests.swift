import AuroraCore
import Foundation
import Testing
@testable import AuroraIngest

/// `promtool tsdb dump` prints a Prometheus database's samples as exposition lines whose metric name is
/// the `__name__` label; it is how operators get raw data out of a Prometheus that is down or gone.
@Suite struct PromtoolDumpTests {
    /// Lines as promtool 2.42 prints them (see the test below for the real program).
    static let dump = """
    {__name__="http_requests_total", instance="a:80", job="api"} 1 1700000000000
    {__name__="http_requests_total", instance="a:80", job="api"} 5 1700000015000
    {__name__="temp", host="h1"} 20.5 1700000000000
    {__name__="temp", host="h1"} 21 1700000015000

    """

    @Test func aDumpIsReadAsExpositionWithTheNameTakenFromItsLabel() throws {
        let result = try ingestText(Self.dump, name: "prometheus.dump")
        #expect(result.report.inputs.first?.format == .exposition)
        let byKey = Dictionary(uniqueKeysWithValues: result.series.map { ($0.key.description, $0) })
        #expect(Set(byKey.keys) == [#"http_requests_total{instance="a:80",job="api"}"#, #"temp{host="h1"}"#])
        #expect(byKey[#"temp{host="h1"}"#]?.values == [20.5, 21])
        #expect(byKey[#"temp{host="h1"}"#]?.timestamps == [1_700_000_000_000, 1_700_000_015_000])
    }

    @Test func theSameSeriesWrittenEitherWayIsOneSeries() throws {
        let text = "temp{host=\"h1\"} 20 1700000000000\n{__name__=\"temp\", host=\"h1\"} 21 1700000015000\n"
        let result = try ingestText(text, name: "mixed.prom")
        #expect(result.series.count == 1)
        #expect(result.series.first?.values == [20, 21])
    }

    @Test func aLabelSetWithoutANameIsALocatedError() throws {
        var options = IngestOptions()
        options.format = .exposition
        #expect {
            try ingestText("{__name__=\"up\"} 1 1700000000000\n{job=\"a\"} 1 1700000000000\n", name: "noname.prom", options: options)
        } throws: { error in
            "\(error)".contains("noname.prom:2:1: series without a metric name")
        }
    }

    /// The real program: blocks written from OpenMetrics by `promtool tsdb create-blocks-from`, dumped
    /// by `promtool tsdb dump`, read back point for point.
    @Test(.enabled(if: Self.promtool != nil, "needs promtool (apt-get install prometheus; .ci/run does)"))
    func whatTheRealPromtoolDumpsIsReadBackExactly() throws {
        let promtool = try #require(Self.promtool)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aurora-promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var openMetrics = "# TYPE node_load1 gauge\n"
        var expected: [Double] = []
        for step in 0..<120 {
            let value = Double(step % 7) * 0.25 + (step == 90 ? 40 : 1)
            expected.append(value)
            openMetrics += "node_load1{instance=\"db-1:9100\",job=\"node\"} \(value) \(1_700_000_000 + step * 15)\n"
        }
        openMetrics += "# EOF\n"
        let input = folder.appendingPathComponent("input.om")
        try openMetrics.write(to: input, atomically: true, encoding: .utf8)
        let blocks = folder.appendingPathComponent("tsdb")
        _ = try Self.run(promtool, ["tsdb", "create-blocks-from", "openmetrics", input.path, blocks.path])
        // promtool 2.42 refuses to dump a database without a write-ahead log folder.
        try FileManager.default.createDirectory(at: blocks.appendingPathComponent("wal"), withIntermediateDirectories: true)
        let dump = try Self.run(promtool, ["tsdb", "dump", blocks.path])

        let result = try ingestText(dump, name: "tsdb.dump")
        let series = try #require(result.series.first)
        #expect(result.series.count == 1)
        #expect(series.key.description == #"node_load1{instance="db-1:9100",job="node"}"#)
        #expect(series.values == expected)
        #expect(series.timestamps.first == 1_700_000_000_000)
        #expect(result.report.series.first?.step == 15_000)
    }

    static var promtool: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map(String.init) + ["/usr/bin"])
            .map { "\($0)/promtool" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a program (arguments as separate elements) and returns its standard output.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PromtoolFailure(arguments: arguments, status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }

    struct PromtoolFailure: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        var description: String { "promtool \(arguments.joined(separator: " ")) exited \(status)" }
    }
}
