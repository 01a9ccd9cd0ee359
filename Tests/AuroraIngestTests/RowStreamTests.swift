import AuroraCore
import Foundation
@testable import AuroraIngest
import Testing

/// `streamRows` and `streamRowsReadingAhead`: a NAB file handed over chunk by chunk in file order;
/// anything else read whole in the same single pass. Both readers keep one contract, so each test runs
/// on both.
@Suite struct RowStreamTests {
    enum Reader: String, CaseIterable, CustomTestStringConvertible {
        case inline, readingAhead
        var testDescription: String { rawValue }

        func stream(_ input: InputSource, _ body: (RowBlock) throws -> Void) throws -> StreamedRows {
            switch self {
            case .inline: return try streamRows(input, body)
            case .readingAhead: return try streamRowsReadingAhead(input, body)
            }
        }
    }

    /// A NAB file of `points` rows with a few backwards timestamps and a NaN, written to a temporary
    /// path (over 4 MiB at 300k rows, so it crosses chunk boundaries).
    static func nabFile(points: Int) throws -> (path: String, timestamps: [Int64], values: [Double]) {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("aurora-rows-\(UInt64.random(in: 0...UInt64.max)).csv").path
        var timestamps: [Int64] = []
        var values: [Double] = []
        var text = "timestamp,value\n"
        for row in 0..<points {
            // Every 1000th row steps back in time; row 777 is NaN.
            let timestamp = march1 + Int64(row % 1000 == 999 ? row - 5 : row) * 60_000
            let value = row == 777 ? Double.nan : Double(row % 97) * 0.25
            timestamps.append(timestamp)
            values.append(value)
            text += "\(timestamp / 1000),\(row == 777 ? "nan" : String(value))\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return (path, timestamps, values)
    }

    @Test(arguments: Reader.allCases)
    func aNABFileArrivesInSeveralBlocksInFileOrderAndTheReportCountsEveryRow(reader: Reader) throws {
        let file = try Self.nabFile(points: 300_000)
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        var blocks = 0
        var timestamps: [Int64] = []
        var values: [Double] = []
        let delivery = try reader.stream(.path(file.path)) { block in
            blocks += 1
            #expect(block.key.name == (file.path as NSString).lastPathComponent.replacingOccurrences(of: ".csv", with: ""))
            timestamps.append(contentsOf: block.timestamps)
            values.append(contentsOf: block.values)
        }
        #expect(blocks > 1, "a file over one chunk must stream in several blocks")
        #expect(timestamps == file.timestamps)
        #expect(values.count == file.values.count)
        #expect(values[777].isNaN)
        #expect(zip(values, file.values).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        guard case .streamed(_, let report) = delivery else {
            Issue.record("a NAB file must stream")
            return
        }
        #expect(report.inputs[0].points == 300_000)
        #expect(report.series.first?.points == 300_000)
        #expect(report.series.first?.skippedNonFinite == 1)
        #expect(report.series.first?.first == file.timestamps.min())
        #expect(report.series.first?.last == file.timestamps.max())
    }

    @Test(arguments: Reader.allCases)
    func severalSeriesFromAnOpenDescriptorAreReadWholeInOnePass(reader: Reader) throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("aurora-rows-long-\(UInt64.random(in: 0...UInt64.max)).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = "timestamp,metric,service,value\n120,cpu,b,2\n60,cpu,a,1\n0,cpu,a,nan\n180,cpu,b,4\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        // A descriptor can be read once, like standard input: the fallback must not read it again.
        let delivery = try reader.stream(.descriptor(name: "<stdin>", descriptor)) { _ in
            Issue.record("a long CSV must not stream")
        }
        guard case .whole(let series, let report) = delivery else {
            Issue.record("a long CSV must come back whole")
            return
        }
        #expect(series.map(\.key) == [key("cpu", ["service": "a"]), key("cpu", ["service": "b"])])
        #expect(series[0].timestamps == [60_000, 0])
        #expect(series[0].values[1].isNaN)
        #expect(series[1].values == [2, 4])
        #expect(report.inputs[0].points == 4)
    }

    @Test(arguments: Reader.allCases)
    func aBadRowStopsTheStreamWithItsLocationAfterTheBlocksBeforeIt(reader: Reader) throws {
        let file = try Self.nabFile(points: 300_000)
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        var text = try String(contentsOfFile: file.path, encoding: .utf8)
        text += "1709251200,oops\n"
        try text.write(toFile: file.path, atomically: false, encoding: .utf8)
        var delivered = 0
        #expect {
            _ = try reader.stream(.path(file.path)) { delivered += $0.timestamps.count }
        } throws: { error in
            (error as? LocatedError)?.location.line == 300_002 && "\(error)".contains("oops")
        }
        #expect(delivered > 0 && delivered <= 300_000)
    }

    /// The consumer's error ends the reading early and comes back as thrown: the reading thread must not
    /// carry on through the file, nor wait forever for room that will never come.
    @Test(arguments: Reader.allCases)
    func anErrorFromTheConsumerStopsTheReadingAndIsRethrown(reader: Reader) throws {
        struct Full: Error {}
        let file = try Self.nabFile(points: 1_200_000)
        defer { try? FileManager.default.removeItem(atPath: file.path) }
        var blocks = 0
        #expect(throws: Full.self) {
            _ = try reader.stream(.path(file.path)) { _ in
                blocks += 1
                throw Full()
            }
        }
        #expect(blocks == 1)
    }
}
