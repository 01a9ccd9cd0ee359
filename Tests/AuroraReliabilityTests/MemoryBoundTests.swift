import AuroraTestSupport
import Foundation
import Testing

/// Issue 9 case 18 (memory bounded): `aurora ingest` of one large metric file stays below a documented
/// peak resident set, linear in the points of the invocation with a fixed allowance:
///
///     peak ≤ 64 MiB + 48 B × points
///
/// Why these numbers: a stored point is 16 B (Int64 timestamp + Double value); the debug build measures
/// ≈ 32 B/point (growth slack of the column arrays plus the sorted copy written to the database: 2M points
/// 97 MiB, 4M points 159 MiB, a one-point ingest 22 MiB), so 48 B/point leaves 50 % for allocator and
/// build differences, and 64 MiB covers the runtime, SQLite's page cache and the input buffers (the file
/// is streamed, never held whole). 2M points in CI; more through `AURORA_RELIABILITY_MEMORY_POINTS`
/// (e.g. 67 000 000 for the 1 GB file).
@Suite struct MemoryBoundTests {
    static let fixedAllowance = 64 << 20
    static let bytesPerPoint = 48

    static var points: Int {
        if let text = ProcessInfo.processInfo.environment["AURORA_RELIABILITY_MEMORY_POINTS"], let value = Int(text), value > 0 {
            return value
        }
        return 2_000_000
    }

    @Test func ingestPeakMemoryStaysWithinTheDocumentedBound() throws {
        let folder = try TemporaryDirectory("aurora-rel-memory")
        defer { folder.remove() }
        let points = Self.points
        let input = folder.file("big.csv")
        // awk writes 2M lines in well under a second; a debug-build Swift loop would take longer than the ingest.
        let generate = try AuroraProcess.shell(
            "awk 'BEGIN { print \"timestamp,value\"; for (i = 0; i < \(points); i++) printf \"%d,%d\\n\", 1600000000 + i * 60, (i * 7919) % 1000 }' > \(input.shellQuoted)",
            in: folder)
        #expect(generate.status == 0, "\(generate.stderr)")
        let tiny = try folder.write("tiny.csv", "timestamp,value\n1600000000,1\n")

        // The peak as aurora's own kernel accounting reports it (`ingest --json`: VmHWM). A wait4
        // figure from here would not do: posix_spawn starts the child in this (large) test process's
        // address space, and the kernel folds that peak into the child's ru_maxrss at exec.
        let baselineRun = try AuroraProcess.run(["--db", folder.file("baseline.db"), "ingest", "--json", tiny], in: folder)
        let ingest = try AuroraProcess.run(["--db", folder.file("memory.db"), "ingest", "--json", input], in: folder)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(try DatabaseContent.scalar(folder.file("memory.db"), "SELECT count(*) FROM series") == 1)
        let peak = try #require(Self.peakBytes(ingest.stdout), "ingest --json must report peak_memory_bytes on Linux")
        let baseline = try #require(Self.peakBytes(baselineRun.stdout))
        let bound = Self.fixedAllowance + Self.bytesPerPoint * points
        let perPoint = Double(peak - baseline) / Double(points)
        let report = "peak \(peak >> 20) MiB for \(points) points (baseline \(baseline >> 20) MiB, "
            + String(format: "%.1f", perPoint) + " B/point above it); bound \(bound >> 20) MiB"
        #expect(peak <= bound, "\(report)")
        print("memory bound: \(report)")
    }

    static func peakBytes(_ json: String) -> Int? {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return object?["peak_memory_bytes"] as? Int
    }
}
