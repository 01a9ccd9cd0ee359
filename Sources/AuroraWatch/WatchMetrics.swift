import Foundation

/// The watcher's own metrics, in the Prometheus text format, for the operators who watch the watcher:
/// served on the listener's `/metrics` and written each pass to `--metrics-textfile` (node_exporter's
/// textfile collector), atomically (a temporary file renamed over the old one).
package final class WatchMetrics: @unchecked Sendable {
    // Unchecked: every field is read and written under `lock`.
    private let lock = NSLock()
    private var passes = 0
    private var passSeconds = 0.0
    private var lastPassSeconds = 0.0
    private var passCPUSeconds = 0.0
    private var lastPassCPUSeconds = 0.0
    private var lastPassTime = 0.0
    private var seriesWatched = 0
    private var pointsRead = 0
    private var events = 0
    private var absent = 0
    private var openIncidents = 0
    private var remediations: [String: Int] = [:]
    private var detectionLatency: Double?
    private var errors: [String: Int] = [:]
    private var webhooks: [String: Int] = [:]
    private var alertsPending = 0
    private var sourceBehind = 0.0

    package init() {}

    /// One pass's figures: `seconds` of wall time, `cpuSeconds` of the process's CPU (user + system).
    package func recordPass(seconds: Double, cpuSeconds: Double, at time: Date, seriesWatched: Int, pointsRead: Int, events: Int, absent: Int,
                            openIncidents: Int) {
        lock.withLock {
            passes += 1
            passSeconds += seconds
            lastPassSeconds = seconds
            passCPUSeconds += cpuSeconds
            lastPassCPUSeconds = cpuSeconds
            lastPassTime = time.timeIntervalSince1970
            self.seriesWatched = seriesWatched
            self.pointsRead += pointsRead
            self.events += events
            self.absent += absent
            self.openIncidents = openIncidents
        }
    }

    package func recordRemediation(outcome: String) { lock.withLock { remediations[outcome, default: 0] += 1 } }
    package func recordDetectionLatency(_ seconds: Double) { lock.withLock { detectionLatency = seconds } }
    package func recordError(source: String) { lock.withLock { errors[source, default: 0] += 1 } }
    package func recordWebhook(_ outcome: String) { lock.withLock { webhooks[outcome, default: 0] += 1 } }
    package func setAlertsPending(_ count: Int) { lock.withLock { alertsPending = count } }
    /// How far the query furthest behind still has to read after the last pass (0: caught up).
    package func setSourceBehind(seconds: Double) { lock.withLock { sourceBehind = seconds } }

    /// Errors counted for a source so far.
    package func errorCount(_ source: String) -> Int { lock.withLock { errors[source] ?? 0 } }

    /// The exposition text.
    package func render() -> String {
        lock.withLock {
            var text = ""
            func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, Double)]) {
                text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
                for (labels, value) in samples { text += "\(name)\(labels) \(Self.number(value))\n" }
            }
            metric("aurora_watch_passes_total", "counter", "Passes of the watch loop.", [("", Double(passes))])
            text += "# HELP aurora_watch_pass_duration_seconds Time the passes took.\n# TYPE aurora_watch_pass_duration_seconds summary\n"
                + "aurora_watch_pass_duration_seconds_sum \(Self.number(passSeconds))\naurora_watch_pass_duration_seconds_count \(passes)\n"
            metric("aurora_watch_last_pass_duration_seconds", "gauge", "Time the last pass took.", [("", lastPassSeconds)])
            text += "# HELP aurora_watch_pass_cpu_seconds CPU time (user + system) the process used during the passes.\n"
                + "# TYPE aurora_watch_pass_cpu_seconds summary\n"
                + "aurora_watch_pass_cpu_seconds_sum \(Self.number(passCPUSeconds))\naurora_watch_pass_cpu_seconds_count \(passes)\n"
            metric("aurora_watch_last_pass_cpu_seconds", "gauge", "CPU time (user + system) the process used during the last pass.",
                   [("", lastPassCPUSeconds)])
            metric("aurora_watch_last_pass_timestamp_seconds", "gauge", "When the last pass ended (Unix seconds).", [("", lastPassTime)])
            metric("aurora_watch_series_watched", "gauge", "Series in the source's last answers.", [("", Double(seriesWatched))])
            metric("aurora_watch_points_read_total", "counter", "Finite points read from the source.", [("", Double(pointsRead))])
            metric("aurora_watch_anomaly_events_total", "counter", "Anomaly events recorded.", [("", Double(events))])
            metric("aurora_watch_series_absent_total", "counter", "Series that disappeared from the source's answers.", [("", Double(absent))])
            metric("aurora_watch_open_incidents", "gauge", "Incidents not resolved.", [("", Double(openIncidents))])
            metric("aurora_watch_remediations_total", "counter", "Remediations recorded, by outcome (a decision repeated unchanged is not counted again).",
                   remediations.sorted { $0.key < $1.key }.map { ("{outcome=\"\($0.key)\"}", Double($0.value)) })
            metric("aurora_watch_detection_latency_seconds", "gauge", "Onset to detection of the latest incident.",
                   detectionLatency.map { [("", $0)] } ?? [])
            metric("aurora_watch_errors_total", "counter", "Errors by source.",
                   errors.sorted { $0.key < $1.key }.map { ("{source=\"\($0.key)\"}", Double($0.value)) })
            metric("aurora_watch_webhook_alerts_total", "counter", "Webhook alerts by outcome.",
                   webhooks.sorted { $0.key < $1.key }.map { ("{outcome=\"\($0.key)\"}", Double($0.value)) })
            metric("aurora_watch_alerts_pending", "gauge", "Alerts Alertmanager has not accepted yet.", [("", Double(alertsPending))])
            metric("aurora_watch_source_behind_seconds", "gauge",
                   "Time the source's query furthest behind still has to read after the last pass (0: caught up).", [("", sourceBehind)])
            return text
        }
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Writes the text to `path` atomically: readers see the old file or the new one, never half.
    package func writeTextfile(_ path: String) throws {
        let temporary = path + ".tmp.\(getpid())"
        try Data(render().utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(path): \(String(cString: strerror(code)))"])
        }
    }
}
