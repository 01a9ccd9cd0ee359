import AuroraLiveLab
import AuroraPrometheus
import AuroraTestSupport
import Foundation

/// A watcher under test: `aurora watch` against a live lab, with its log captured to a file.
final class WatchHarness: @unchecked Sendable {
    // Unchecked: used from one test's task.
    let lab: LiveLab
    let folder: TemporaryDirectory
    var process: LabProcess?
    var starts = 0
    /// Whether the watcher exiting while a test waits is a failure (not when the test stops it).
    var exitsAreFailures = true
    /// Whether the watcher also reads the requests in flight (which rise with the latency, as a slow
    /// service's do): the evidence of the service's own saturation that the diagnosis needs to act alone.
    let withInflight: Bool

    static let actionNames = ["restart-service", "scale-out", "rollback-deploy", "failover", "warm-cache", "clean-disk"]

    init(lab: LiveLab, interval: String = "1s", extraConfiguration: String = "", prometheusURL: String? = nil,
         alertmanagerURL: String? = nil, historySeconds: Int = 150, actionTier: String = "low",
         actionCommand: String? = nil, queries: [String] = ["lab_latency_seconds"], withInflight: Bool = false,
         watchKeys: [String] = []) throws {
        self.lab = lab
        self.withInflight = withInflight
        folder = try TemporaryDirectory("aurora-watch")
        // Every action the diagnosis may recommend clears the lab's fault; the health check passes once it is gone.
        let actions = Self.actionNames.map { name in
            """
                  \(name):
                    type: service-restart
                    tier: \(actionTier)
                    command: \(actionCommand ?? "[sh, -c, 'sleep 2; rm -f \"$0\"', \"\(lab.faultFile)\"]")
                    timeout: 20s
                    health-check:
                      command: [test, "!", "-e", "\(lab.faultFile)"]
                      retries: 2
                      interval: 1s
            """
        }.joined(separator: "\n")
        try folder.write("aurora.yaml", """
            aurora:
              sources:
                prometheus:
                  url: \(prometheusURL ?? lab.prometheusURL)
                  timeout: 3s
                  step: 1s
                  queries:
            \(queries.map { "        - query: '\($0)'\n          role: latency" }.joined(separator: "\n"))
            \(withInflight ? "        - query: 'lab_inflight_requests'\n          role: saturation" : "")
              watch:
                interval: \(interval)
                backfill: 3m
                lease-ttl: 6s
            \(watchKeys.map { "    " + $0 }.joined(separator: "\n"))
              alertmanager:
                url: \(alertmanagerURL ?? lab.alertmanagerURL)
              # The lab's latency objective, as an operator writes it: a fault it vouches for is acted on alone
              # (an anomaly by itself is at most about 70% likely to be a fault, and a person is asked).
              detection:
                rules:
                  - name: lab-latency-objective
                    match: lab_latency_seconds
                    above: 0.25
              safety:
                cooldown-between-same-service: 1s
              remediation:
                actions:
            \(actions)
            \(extraConfiguration)
            """)
        if historySeconds > 0 { try seedHistory(seconds: historySeconds) }
    }

    /// Stores the lab's normal latency for the last `seconds` before now (as if Prometheus had held it):
    /// the detectors start warm without the test waiting minutes.
    func seedHistory(seconds: Int) throws {
        let now = Int(Date().timeIntervalSince1970) - 5
        var csv = "timestamp,metric,value,instance,job,role,service\n"
        // The lab target's own formulas for its first service (see aurora-lab-target).
        func wobble(_ seed: Double, _ time: Double) -> Double { 1 + 0.03 * sin(time * 0.7 + seed) + 0.02 * sin(time * 2.3 + seed * 1.7) }
        for offset in stride(from: seconds, to: 0, by: -1) {
            let time = Double(now - offset)
            let latency = 0.05 * wobble(0, time)
            csv += "\(now - offset),lab_latency_seconds,\(latency),127.0.0.1:\(lab.targetPort),lab,latency,checkout\n"
            if withInflight {
                csv += "\(now - offset),lab_inflight_requests,\(100 * wobble(7, time) * latency),127.0.0.1:\(lab.targetPort),lab,saturation,checkout\n"
            }
        }
        try folder.write("history.csv", csv)
        let ingest = try aurora(["ingest", "--format", "long", folder.file("history.csv")])
        guard ingest.status == 0 else { throw LabError("seeding history failed: \(ingest.stderr)") }
    }

    func aurora(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        try AuroraBinary.run(["--db", folder.file("aurora.db"), "--config", folder.file("aurora.yaml")] + arguments, environment: environment)
    }

    /// Starts `aurora watch` in the background.
    @discardableResult
    func start(_ extra: [String] = []) throws -> LabProcess {
        starts += 1
        let started = try LabProcess(name: "watch\(starts)", executable: try AuroraBinary.path(),
                                     arguments: ["--db", folder.file("aurora.db"), "--config", folder.file("aurora.yaml"), "watch"] + extra,
                                     logPath: folder.file("watch\(starts).log"))
        process = started
        return started
    }

    /// Everything every watcher logged so far.
    var log: String {
        (1...max(starts, 1)).compactMap { try? String(contentsOfFile: folder.file("watch\($0).log"), encoding: .utf8) }.joined()
    }

    /// Waits until `condition` holds, at most `timeout` seconds.
    func waitFor(_ what: String, timeout: Double, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            if let process, !process.isRunning, exitsAreFailures {
                throw LabError("aurora watch exited while waiting for \(what)\n--- watch log\n\(log)")
            }
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        throw LabError("timed out after \(Int(timeout)) s waiting for \(what)\n--- watch log\n\(log)\n\(lab.logs())")
    }

    /// The lab's Alertmanager holds an AuroraIncident alert.
    func firingAlert() async throws -> Alert? {
        try await lab.alerts().first { $0.labels["alertname"] == "AuroraIncident" }
    }

    func stop() {
        process?.stop()
        // AURORA_KEEP_LAB=1 keeps the folder (database, configuration, logs) to look at after a failure.
        if ProcessInfo.processInfo.environment["AURORA_KEEP_LAB"] == nil { folder.remove() } else { print("kept \(folder.path)") }
    }
}
