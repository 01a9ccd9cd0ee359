/// What a series measures: decides how a change in it propagates and which pattern symptoms it can
/// satisfy.
///
/// A role comes from evidence, strongest first: a `role` label (set by configuration, e.g. a
/// Prometheus query's `role:`), then the name's words (CamelCase and Prometheus' `snake_case` split
/// alike) read with the naming conventions (`_seconds`, `_bytes`, `_total`, `_ratio`) and well-known
/// names (`container_cpu_usage_seconds_total`, `node_*`). A name that says nothing certain stays
/// `other` (unknown), and an unknown role never supports a pattern: `Twitter_volume_AAPL` is not a disk.
package enum MetricRole: String, Sendable, Equatable, CaseIterable, Codable {
    case latency, errors, cpu, memory, saturation, load, disk
    /// A host-level series (`node_*`, `NodeCpuUsageRate`): shared by every service on the host, so it
    /// is no evidence about any one of them.
    case host
    /// Unknown: the name does not say what it measures.
    case other

    /// The role a metric name suggests, by its words (`checkout_latency_p99`, `CpuUsageRate(%)`, `rps` …).
    package static func classify(_ metric: String) -> MetricRole {
        let words = MetricWords.split(metric)
        func has(_ candidates: Set<String>) -> Bool { words.contains { candidates.contains($0) } }
        guard let first = words.first else { return .other }
        if has(["disk", "filesystem", "fs", "inode", "inodes"]) { return .disk }
        // Host metrics: node_exporter's `node_*`, `host_*`, Kubernetes' `Node*`/`machine_*`.
        if ["node", "host", "machine"].contains(first) { return .host }
        if has(["error", "errors", "err", "5xx", "4xx", "fail", "failed", "failure", "failures", "exception",
                "exceptions", "timeout", "timeouts"]) { return .errors }
        if has(["cpu", "cpus", "cores", "throttling", "throttled"]) { return .cpu }
        if has(["mem", "memory", "rss", "heap", "oom"]) { return .memory }
        if has(["latency", "lat", "duration", "rt", "rtt", "p50", "p90", "p95", "p99", "response", "elapsed", "delay"]) {
            return .latency
        }
        if has(["saturation", "pool", "utilization", "utilisation", "util", "connections", "conn", "threads",
                "queue", "backlog", "inflight", "pending", "waiting"]) { return .saturation }
        if has(["load", "requests", "request", "rps", "qps", "throughput", "workload", "traffic", "calls", "tps", "ops"]) {
            return .load
        }
        // Prometheus conventions: a `_seconds` histogram or summary of something other than CPU is a duration.
        if words.last == "seconds" || words.contains("seconds") && has(["bucket", "sum", "count"]) { return .latency }
        return .other
    }

    /// Whether a metric measures what is left rather than what is used (`free`, `idle`, `available`).
    package static func isHeadroom(_ metric: String) -> Bool {
        let words = MetricWords.split(metric)
        return words.contains { ["free", "idle", "available", "avail", "remaining", "headroom"].contains($0) }
    }
}

/// The unit a metric name declares, when it declares one: it sets the smallest change worth reading.
package enum MetricUnit: String, Sendable, Equatable {
    /// 0–100 (`CpuUsageRate(%)`, `_percent`).
    case percent
    /// 0–1 (`_ratio`, Prometheus' base unit for shares).
    case ratio
    /// Seconds (`_seconds`, `(s)`).
    case seconds
    /// Milliseconds (`_ms`, `(ms)`).
    case milliseconds
    /// Bytes or a multiple (`_bytes`, `(Mi)`).
    case bytes
    /// The name does not say.
    case unknown

    /// The unit a metric name declares (`latency_seconds`, `CpuUsageRate(%)`, `MemoryUsage(Mi)`).
    package static func of(_ metric: String) -> MetricUnit {
        let lower = metric.lowercased()
        if lower.contains("(%)") || lower.contains("%") { return .percent }
        let words = MetricWords.split(metric)
        if lower.hasSuffix("(s)") { return .seconds }
        if lower.hasSuffix("(ms)") { return .milliseconds }
        if lower.hasSuffix("(mi)") || lower.hasSuffix("(mb)") || lower.hasSuffix("(gi)") { return .bytes }
        for word in words.reversed() {
            switch word {
            case "percent", "pct": return .percent
            case "ratio": return .ratio
            case "seconds": return .seconds
            case "ms", "milliseconds": return .milliseconds
            case "bytes": return .bytes
            case "total", "count", "sum", "bucket": continue
            default: break
            }
        }
        return .unknown
    }
}

/// Splits metric names into lower-case words at `_`, `-`, `.`, `(`, spaces and CamelCase humps:
/// `PodClientLatencyP99(s)` → pod, client, latency, p99, s.
enum MetricWords {
    static func split(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            if !(character.isLetter || character.isNumber) {
                if !current.isEmpty { words.append(current.lowercased()) }
                current = ""
            } else if character.isUppercase, let previous, previous.isLowercase {
                // A hump: `CpuUsage` → cpu, usage (runs of capitals such as `CPU` stay whole).
                words.append(current.lowercased())
                current = String(character)
            } else {
                current.append(character)
            }
            previous = character
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }
}
