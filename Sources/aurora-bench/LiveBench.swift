import AuroraCore
import AuroraLiveLab
import AuroraPrometheus
import AuroraStore
import Foundation

/// `aurora watch` against the live lab's real Prometheus (1 s scrape) and Alertmanager: detection
/// latency (fault start → alert visible in Alertmanager) and MTTR (fault start → alert resolved) over
/// injected faults, median and maximum; a fault-free period with no alert; and one pass over 10,000
/// series. Needs `prometheus` and `prometheus-alertmanager` (Debian packages).
///
/// The lab runs ten services, each with its latency and its requests in flight, and each fault hits
/// another service: ten distinct incidents. The same series faulted again while its first fault is still
/// in the seasonal detector's window (1,000 points, 17 minutes at a 1 s scrape) goes unnoticed: a
/// different question, about detection (see README, "Run it live").
enum LiveBench {
    static func run(_ options: BenchOptions) async throws {
        if let reason = LabBinaries.missingReason {
            report("live", "skipped: \(reason)")
            return
        }
        guard let aurora = CLIBench.auroraBinary() else {
            report("live", "skipped: build the aurora executable first")
            return
        }
        let environment = ProcessInfo.processInfo.environment
        let quiet = Double(environment["AURORA_BENCH_QUIET_SECONDS"] ?? "") ?? (options.quick ? 60 : 600)
        let faults = options.quick ? 3 : 10
        if !options.scaleOnly {
            try await faultsAndQuiet(aurora: aurora, options: options, quietSeconds: quiet, faults: faults)
        }
        try await scale(aurora: aurora, options: options, series: options.quick ? 1_000 : 10_000)
    }

    /// The services of the fault runs, one fault each.
    static let services = ["checkout", "payments", "cart", "search", "catalog", "shipping", "auth", "orders", "reviews", "pricing"]

    static func configuration(_ lab: LiveLab, queries: [(query: String, role: String?)], interval: String, backfill: String) -> String {
        let actions = ["restart-service", "scale-out", "rollback-deploy", "failover", "warm-cache", "clean-disk"].map { name in
            """
                  \(name):
                    type: service-restart
                    tier: low
                    command: [sh, -c, 'sleep 1; rm -f "$0"', "\(lab.faultFile)"]
                    timeout: 20s
                    health-check:
                      command: [test, "!", "-e", "\(lab.faultFile)"]
                      retries: 2
                      interval: 1s
            """
        }.joined(separator: "\n")
        return """
            aurora:
              sources:
                prometheus:
                  url: \(lab.prometheusURL)
                  step: 1s
                  queries:
            \(queries.map { "        - query: '\($0.query)'" + ($0.role.map { "\n          role: \($0)" } ?? "") }.joined(separator: "\n"))
              watch:
                interval: \(interval)
                backfill: \(backfill)
              alertmanager:
                url: \(lab.alertmanagerURL)
              # The lab's latency objective: aurora acts alone on a fault an operator's rule vouches for.
              detection:
                rules:
                  - name: lab-latency-objective
                    match: lab_latency_seconds
                    above: 0.25
              safety:
                cooldown-between-same-service: 1s
                max-remediations-per-hour: 1000
              remediation:
                actions:
            \(actions)
            """
    }

    static func faultsAndQuiet(aurora: String, options: BenchOptions, quietSeconds: Double, faults: Int) async throws {
        let lab = try await LiveLab(LiveLab.Options(services: services))
        defer { lab.stop() }
        let folder = options.workDirectory.appendingPathComponent("live").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try configuration(lab, queries: [("lab_latency_seconds", "latency"), ("lab_inflight_requests", "saturation")],
                          interval: "5s", backfill: "15m")
            .write(toFile: folder + "/aurora.yaml", atomically: true, encoding: .utf8)
        let watch = try LabProcess(name: "watch", executable: aurora,
                                   arguments: ["--db", folder + "/aurora.db", "--config", folder + "/aurora.yaml", "watch"],
                                   logPath: folder + "/watch.log")
        defer { watch.stop() }
        // The fault-free period first (it also warms the detectors on history they saw live).
        var falseAlerts = 0
        let quietEnd = Date().addingTimeInterval(quietSeconds)
        while Date() < quietEnd {
            if try await lab.alerts().contains(where: { $0.labels["alertname"] == "AuroraIncident" }) { falseAlerts += 1 }
            try await Task.sleep(nanoseconds: 1_000_000_000)
        }
        report("fault-free period: seconds with an alert", "\(falseAlerts) of \(Int(quietSeconds)) s", target: "0 over 10 minutes")
        var detections: [Double] = []
        var recoveries: [Double] = []
        var missed = 0
        var wrongService = 0
        for index in 0..<faults {
            let service = services[index % services.count]
            try lab.faultOn([service])
            let start = Date()
            var detected: Date?
            var resolved: Date?
            let deadline = start.addingTimeInterval(300)
            while Date() < deadline {
                let alerts = try await lab.alerts().filter { $0.labels["alertname"] == "AuroraIncident" }
                let firing = alerts.contains { $0.labels["service"] == service }
                if alerts.contains(where: { $0.labels["service"] != service }) { wrongService += 1 }
                if detected == nil, firing { detected = Date() }
                if detected != nil, !firing, !lab.faultIsOn {
                    resolved = Date()
                    break
                }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            if let detected, let resolved {
                detections.append(detected.timeIntervalSince(start))
                recoveries.append(resolved.timeIntervalSince(start))
            } else {
                missed += 1
                lab.faultOff()
            }
            // Let the series settle at its normal level before the next fault.
            try await Task.sleep(nanoseconds: 30_000_000_000)
        }
        func seconds(_ values: [Double]) -> String {
            values.isEmpty ? "n/a" : String(format: "median %.1f s, max %.1f s", median(values), values.max() ?? .nan)
        }
        report("detection latency over \(faults) faults", seconds(detections) + (missed > 0 ? ", \(missed) missed" : ""),
               target: "< 30 s (aim < 10 s)")
        report("MTTR over \(faults) faults", seconds(recoveries), target: "< 5 min (aim < 1 min)")
        report("alerts for a service not faulted", "\(wrongService) sample(s) at 10 per second during the faults", target: "0")
    }

    static func scale(aurora: String, options: BenchOptions, series: Int) async throws {
        let lab = try await LiveLab(LiveLab.Options(extraSeries: series))
        defer { lab.stop() }
        let folder = options.workDirectory.appendingPathComponent("scale").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try configuration(lab, queries: [("lab_scale_value", nil)], interval: "5s", backfill: "1m")
            .write(toFile: folder + "/aurora.yaml", atomically: true, encoding: .utf8)
        try await Task.sleep(nanoseconds: 5_000_000_000)
        let arguments = ["--db", folder + "/aurora.db", "--config", folder + "/aurora.yaml", "watch", "--once"]
        // The first pass backfills; the next ones read only the points since their watermark. Ten of
        // them: a series saves its detector state every 32 to 63 points (replaying the points since in
        // between), so the first few passes after the backfill save none and would flatter the figure.
        // A pass that failed measures nothing: say so instead of printing its few milliseconds.
        func pass() throws -> (seconds: Double, peakMiB: Double) {
            let run = try CLIBench.spawnMeasured(aurora, arguments)
            guard run.succeeded else {
                throw SimpleFailure(.software, "`aurora \(arguments.joined(separator: " "))` failed (is aurora-watch built beside aurora?)")
            }
            return (run.seconds, run.peakMiB)
        }
        _ = try pass()
        if options.fullWindow {
            try prefillHistory(database: folder + "/aurora.db", points: 1_100)
            // Scores every series' whole history once (not measured): the passes after it run with full windows.
            _ = try pass()
        }
        let windows = options.fullWindow ? ", full windows" : ""
        if options.longRunning {
            // Two passes of warm-up: the watcher's first pass reads every series' state cold.
            let figures = try await LongRunningWatch.measure(
                aurora: aurora, arguments: Array(arguments.dropLast(2)), textfile: folder + "/watch.prom", logPath: folder + "/watch.log",
                warmUp: 2, passes: options.quick ? 5 : 10, timeout: options.quick ? 120 : 300)
            report("one pass of a running watcher over \(series) series (~5 new points each\(windows)): CPU",
                   String(format: "%.2f s (median of %d, max %.2f; wall %.2f s; load ", median(figures.cpu), figures.cpu.count,
                          figures.cpu.max() ?? .nan, median(figures.wall)) + LongRunningWatch.loadAverage() + ")",
                   target: "< 1 s on one core")
            report("a running watcher over \(series) series\(windows): memory",
                   String(format: "%.0f MiB resident (median at its passes, max %.0f; peak %.0f)", median(figures.residentMiB),
                          figures.residentMiB.max() ?? .nan, figures.peakMiB),
                   target: "< 200 MiB")
            return
        }
        var cpu: [Double] = []
        var wall: [Double] = []
        var peak = 0.0
        for _ in 0..<(options.quick ? 5 : 10) {
            try await Task.sleep(nanoseconds: 5_000_000_000)
            let before = childrenCPU()
            let run = try pass()
            cpu.append(childrenCPU() - before)
            wall.append(run.seconds)
            peak = max(peak, run.peakMiB)
        }
        report("one pass over \(series) series (~8 new points each\(windows)): CPU",
               String(format: "%.2f s (median of %d, max %.2f; wall %.2f s; load ", median(cpu), cpu.count, cpu.max() ?? .nan, median(wall))
                   + LongRunningWatch.loadAverage() + ")",
               target: "< 1 s on one core")
        report("one pass over \(series) series\(windows): peak memory", String(format: "%.0f MiB", peak), target: "< 200 MiB")
    }

    /// Stores `points` points of history (1 s apart, the lab target's own values) before the first point
    /// of every stored series and forgets every detector's progress, so that the next pass scores the
    /// whole history and the passes after it run with full detector windows (1,000 residuals) — what a
    /// watcher that has run for a while does, which a fresh lab of a few minutes cannot show.
    /// Written a few hundred series at a time: the bench's own peak memory would count in the measured
    /// passes' (see `CLIBench.spawnMeasured`).
    static func prefillHistory(database: String, points: Int) throws {
        let store = try Store(path: database)
        let stored = try store.database.read { try SeriesStore.list(in: $0) }
        for first in stride(from: 0, to: stored.count, by: 256) {
            let history = stored[first..<min(first + 256, stored.count)].compactMap { stored -> Series? in
                guard let first = stored.first else { return nil }
                // The lab target's series `i<N>` follows wobble(N, t); Prometheus may keep its label as `exported_instance`.
                let instance = stored.key[label: "exported_instance"] ?? stored.key[label: "instance"] ?? ""
                let seed = Int(instance.dropFirst()) ?? 0
                let timestamps = (0..<points).map { first - Int64(points - $0) * 1_000 }
                let values = timestamps.map { 10 * labWobble(seed, Double($0) / 1_000) }
                return Series(key: stored.key, timestamps: timestamps, values: values)
            }
            _ = try store.database.write { try SeriesStore.store(history, serviceLabel: "service", at: Date(), in: $0) }
        }
        try store.database.write { try AnomalyEventStore.forgetDetectorProgress(in: $0) }
    }

    /// The lab target's `wobble` (aurora-lab-target), for history that joins its live points smoothly.
    static func labWobble(_ seed: Int, _ time: Double) -> Double {
        1 + 0.03 * sin(time * 0.7 + Double(seed)) + 0.02 * sin(time * 2.3 + Double(seed) * 1.7)
    }

    /// User + system CPU seconds of the children waited for so far.
    static func childrenCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
