import AuroraCore
import AuroraIngest
import Foundation

/// Parsing speed and memory of every ingest format on synthetic dumps generated deterministically:
/// 10 series x 100k points and 1 series x 20M points (`--quick`: 10 x 10k and 1 x 1M).
enum IngestBench {
    static func run(_ options: BenchOptions) async throws {
        // AURORA_BENCH_INGEST_FILE=dump.csv measures an operator's own dump instead (three runs).
        if let path = ProcessInfo.processInfo.environment["AURORA_BENCH_INGEST_FILE"] {
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
            for _ in 0..<3 {
                var points = 0
                let cpuBefore = ProcessCPU.seconds()
                let seconds = try measureSeconds { points = try ingest([.path(path)]).report.totalPoints }
                let cpu = ProcessCPU.seconds() - cpuBefore
                report(path, String(format: "%7.1f MB/s (cpu %6.1f)  %@ points", bytes / 1e6 / seconds, bytes / 1e6 / cpu,
                                    rate(Double(points) / seconds)))
            }
            return
        }
        let shapes: [(series: Int, points: Int)] = options.quick ? [(10, 10_000), (1, 1_000_000)] : [(10, 100_000), (1, 20_000_000)]
        let chosen = ProcessInfo.processInfo.environment["AURORA_BENCH_FORMATS"].map { $0.split(separator: ",").compactMap { MetricFormat(name: String($0)) } }
        for shape in shapes {
            for format in chosen ?? MetricFormat.allCases {
                try measure(format: format, shape: shape, options: options)
            }
        }
    }

    /// Series with a daily cycle, noise and a slow drift, three decimals, 10 s apart.
    private static func makeSeries(count: Int, points: Int) -> [Series] {
        var generator = Xoshiro256(seed: 20_240_301)
        let services = ["checkout", "payments", "search", "catalog", "auth"]
        return (0..<count).map { index in
            var timestamps = [Int64](repeating: 0, count: points)
            var values = [Double](repeating: 0, count: points)
            var level = 50.0
            for point in 0..<points {
                timestamps[point] = 1_709_251_200_000 + Int64(point) * 10_000
                level += (generator.nextUnit() - 0.5) * 0.1
                let daily = 10 * sin(Double(point) * 2 * .pi / 8640)
                values[point] = ((level + daily + generator.nextUnit()) * 1000).rounded() / 1000
            }
            let key = SeriesKey(name: index % 2 == 0 ? "http_request_duration_seconds" : "cpu_usage_ratio",
                                labels: ["service": services[index % services.count], "instance": "10.0.0.\(index):9090"])
            return Series(key: key, timestamps: timestamps, values: values)
        }
    }

    private static func measure(format: MetricFormat, shape: (series: Int, points: Int), options: BenchOptions) throws {
        let directory = options.workDirectory.appendingPathComponent("ingest-\(format)-\(shape.series)x\(shape.points)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var bytes = 0
        do {
            let series = makeSeries(count: shape.series, points: shape.points)
            // NAB holds one series per file: one file each, read as a directory.
            let groups = format == .nabCSV ? series.map { [$0] } : [series]
            for (index, group) in groups.enumerated() {
                let path = directory.appendingPathComponent("dump\(index).\(fileExtension(format))").path
                _ = FileManager.default.createFile(atPath: path, contents: nil)
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try MetricWriter.write(group, format: format) { block in
                    bytes += block.count
                    try handle.write(contentsOf: Data(block))
                }
                try handle.close()
            }
        }
        let baseline = Double(ProcessMemory.residentBytes() ?? 0) / 1_048_576
        resetPeak()
        var points = 0
        let cpuBefore = ProcessCPU.seconds()
        let seconds = try measureSeconds {
            let result = try ingest([.path(directory.path)], options: IngestOptions(format: format))
            points = result.report.totalPoints
        }
        let cpu = ProcessCPU.seconds() - cpuBefore
        let peak = Double(ProcessMemory.peakResidentBytes() ?? 0) / 1_048_576
        let megabytes = Double(bytes) / 1e6
        let pointsMiB = Double(points * 16) / 1_048_576
        let target = [.nabCSV, .longCSV].contains(format) ? "250 MB/s" : (format.isJSON ? "60 MB/s" : nil)
        report("\(format) \(shape.series)x\(shape.points / 1000)k (\(String(format: "%.0f", megabytes)) MB)",
               String(format: "%7.1f MB/s (cpu %6.1f)  %@ points  peak +%.0f MiB (points %.0f MiB)",
                      megabytes / seconds, megabytes / cpu, rate(Double(points) / seconds), max(0, peak - baseline), pointsMiB),
               target: target)
    }

    private static func fileExtension(_ format: MetricFormat) -> String {
        switch format {
        case .nabCSV, .longCSV, .wideCSV: return "csv"
        case .jsonLines: return "jsonl"
        case .prometheusJSON, .cloudWatch: return "json"
        case .exposition: return "prom"
        case .influx: return "lp"
        }
    }

    /// Resets the kernel's peak-resident counter so each format's peak is its own (Linux only).
    private static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
}

private extension MetricFormat {
    var isJSON: Bool { [.jsonLines, .prometheusJSON, .cloudWatch].contains(self) }
}
