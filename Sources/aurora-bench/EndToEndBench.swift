import AuroraCore
import AuroraStore
import Foundation

/// Whole-command figures: `aurora detect --emit scores` on a large NAB-style file, `aurora ingest` of
/// 10 million points, and `aurora diagnose` over 1,000 stored series of 10,000 points.
enum EndToEndBench {
    static func run(_ options: BenchOptions) async throws {
        guard let binary = CLIBench.auroraBinary() else {
            report("end to end", "skipped: build the aurora executable first (swift build -c release)")
            return
        }
        let rows = options.quick ? 1_000_000 : 10_000_000
        let csv = options.workDirectory.appendingPathComponent("nab.csv").path
        try writeNAB(rows: rows, to: csv)
        var runs: [Double] = []
        var peak = 0.0
        for _ in 0..<5 {
            let run = try CLIBench.spawnMeasured(binary, ["--db", options.workDirectory.appendingPathComponent("x.db").path,
                                                          "detect", "--detector", "zscore", "--emit", "scores", csv])
            runs.append(run.seconds)
            peak = max(peak, run.peakMiB)
        }
        var seconds = median(runs)
        report("detect --detector zscore --emit scores (\(rows / 1_000_000)M rows, median of 5)", rate(Double(rows) / seconds) + " points",
               target: "9.4M/s, 0.8 × C")
        report("  peak memory of that command", String(format: "%.0f MiB", peak))
        runs = []
        for _ in 0..<3 {
            runs.append(try CLIBench.spawnMeasured(binary, ["--db", options.workDirectory.appendingPathComponent("x.db").path,
                                                            "detect", "--emit", "scores", csv]).seconds)
        }
        report("detect --emit scores, default ensemble (\(rows / 1_000_000)M rows, median of 3)", rate(Double(rows) / median(runs)) + " points")

        let database = options.workDirectory.appendingPathComponent("big.db").path
        seconds = try CLIBench.spawnAndWait(binary, ["--db", database, "ingest", "--quiet", csv])
        report("ingest into SQLite (\(rows / 1_000_000)M points, one series)", rate(Double(rows) / seconds) + " points", target: "1M/s")

        // 1,000 series of 10,000 points, one incident with anomalies on ten of them.
        let seriesCount = options.quick ? 100 : 1_000
        let diagnosisDB = options.workDirectory.appendingPathComponent("rca.db").path
        let incidentStart = try buildDiagnosisDatabase(path: diagnosisDB, series: seriesCount, points: 10_000)
        var samples: [Double] = []
        for _ in 0..<5 {
            samples.append(try CLIBench.spawnAndWait(binary, ["--db", diagnosisDB, "diagnose", "1", "--quiet"]))
        }
        report("diagnose: \(seriesCount) stored series × 10k points (median of 5)", String(format: "%.3f s", median(samples)),
               target: "< 1 s")
        report("  (incident window from \(Date(unixMilliseconds: incidentStart)), one hour of history)", "")
    }

    static func writeNAB(rows: Int, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw SimpleFailure(.cannotCreate, "\(path): cannot write")
        }
        defer { try? handle.close() }
        var generator = Xoshiro256(seed: 11)
        var text = "timestamp,value\n"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let start = 1_577_836_800
        var day = -1
        var dayText = ""
        var value = 50.0
        for row in 0..<rows {
            let seconds = start + row * 300
            if seconds / 86_400 != day {
                day = seconds / 86_400
                dayText = String(formatter.string(from: Date(timeIntervalSince1970: Double(day * 86_400))).prefix(11))
            }
            let secondOfDay = seconds % 86_400
            value += generator.nextNormal() * 0.1
            text += dayText + String(format: "%02d:%02d:%02d,%.3f\n", secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, value)
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text = ""
            }
        }
        handle.write(Data(text.utf8))
    }

    /// A database with stored series (ten of them shift at the incident) and incident 1 opened by an
    /// anomaly on the first.
    static func buildDiagnosisDatabase(path: String, series count: Int, points: Int) throws -> Int64 {
        let store = try Store(path: path)
        let now = Date()
        let start: Int64 = 1_767_225_600_000
        let incidentStart = start + Int64(points - 60) * 60_000
        var generator = Xoshiro256(seed: 5)
        var batch: [Series] = []
        var anomalous: SeriesKey?
        for index in 0..<count {
            let service = "svc\(index / 10)"
            let metric = ["latency_ms", "error_rate", "cpu_percent", "requests_per_second", "memory_mb"][index % 5]
            var series = Series(key: SeriesKey(name: metric, labels: ["service": service, "instance": "i\(index % 10)"]))
            let faulty = index < 10
            for point in 0..<points {
                let time = start + Int64(point) * 60_000
                let shifted = faulty && time >= incidentStart
                series.append(timestamp: time, value: (shifted ? 300 : 100) + generator.nextNormal() * 5)
            }
            if index == 0 { anomalous = series.key }
            batch.append(series)
            if batch.count == 50 {
                let items = batch
                _ = try store.database.write { try SeriesStore.store(items, serviceLabel: "service", at: now, in: $0) }
                batch = []
            }
        }
        let items = batch
        _ = try store.database.write { try SeriesStore.store(items, serviceLabel: "service", at: now, in: $0) }
        let record = AnomalyRecord(seriesKey: anomalous?.description ?? "", service: "svc0", start: incidentStart,
                                   end: incidentStart + 600_000, peakTime: incidentStart, peakValue: 300, expectedLow: 90,
                                   expectedHigh: 110, score: 0.9, detectors: "seasonal", recorded: now, source: "bench")
        try store.database.write { db in
            _ = try AnomalyEventStore.record([record], in: db)
            try IncidentStore.groupUnassignedEvents(by: IncidentGrouping(gap: 300_000), at: now, in: db)
        }
        return incidentStart
    }
}
