import AuroraCore
import Testing
@testable import AuroraIngest

/// Mangled inputs of every format end in a result or a located error: never a crash or a hang.
@Suite struct RobustnessTests {
    static let samples: [(String, [UInt8])] = {
        let series = [
            Series(key: SeriesKey(name: "http_requests_total", labels: ["service": "checkout"]),
                   timestamps: [march1, march1 + 15_000, march1 + 30_000], values: [1, 2.5, 4]),
            Series(key: SeriesKey(name: "queue_depth", labels: ["id": "m2"]), timestamps: [march1], values: [12]),
        ]
        return MetricFormat.allCases.map { ("sample.\($0)", MetricWriter.render(series, format: $0)) }
    }()

    @Test(arguments: 0..<RobustnessTests.samples.count)
    func mutationsNeverCrash(sample: Int) {
        let (name, original) = Self.samples[sample]
        var generator = Xoshiro256(seed: UInt64(sample) &+ 99)
        for round in 0..<150 {
            var bytes = original
            switch round % 4 {
            case 0: bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count + 1))))
            case 1:
                for _ in 0..<3 { bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            case 2:
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: [0x22, 0x7B, 0x2C, 0x0A, 0x5C], at: at)
            default:
                let at = Int(generator.next() % UInt64(bytes.count))
                bytes.removeSubrange(at..<min(bytes.count, at + 7))
            }
            for skip in [false, true] {
                do {
                    _ = try ingestBytes(bytes, name: name, options: IngestOptions(skipBadLines: skip))
                } catch let error as LocatedError {
                    #expect(error.location.line >= 1 && error.location.column >= 1)
                    #expect(error.description.hasPrefix(name + ":"))
                } catch {
                    Issue.record("unexpected error type: \(error)")
                }
            }
        }
    }

    @Test func deepNestingIsRefused() {
        let text = "{\"ts\":1,\"metric\":\"a\",\"x\":" + String(repeating: "[", count: 100_000) + "\n"
        #expect(failure(text, name: "deep.jsonl").hasSuffix("JSON nested deeper than 256 levels (expected metric data)"))
    }
}
