/// What a series measures, read from its metric name: decides how a change in it propagates and
/// which pattern symptoms it can satisfy.
public enum MetricRole: String, Sendable, Equatable, CaseIterable, Codable {
    case latency, errors, cpu, memory, saturation, load, disk, other

    /// The role a metric name suggests, by its words (`checkout_latency_p99`, `cpu_usage`, `rps` …).
    public static func classify(_ metric: String) -> MetricRole {
        let words = metric.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        func has(_ candidates: Set<String>) -> Bool { words.contains { candidates.contains($0) } }
        func hasPrefix(_ prefixes: [String]) -> Bool {
            words.contains { word in prefixes.contains { word.hasPrefix($0) } }
        }
        if has(["disk", "fs", "filesystem", "volume", "inode", "inodes"]) { return .disk }
        if has(["error", "errors", "err", "5xx", "4xx", "fail", "failed", "failure", "failures", "exception",
                "exceptions", "timeout", "timeouts"]) { return .errors }
        if has(["latency", "lat", "duration", "rt", "rtt", "p50", "p90", "p95", "p99", "response", "elapsed", "delay"])
            || hasPrefix(["latency"]) { return .latency }
        if has(["saturation", "pool", "utilization", "utilisation", "util", "connections", "conn", "threads",
                "queue", "backlog", "inflight", "pending", "waiting"]) { return .saturation }
        if has(["cpu", "cores", "throttling", "throttled"]) { return .cpu }
        if has(["mem", "memory", "rss", "heap", "gc", "oom"]) || hasPrefix(["memory"]) { return .memory }
        if has(["load", "requests", "request", "rps", "qps", "throughput", "workload", "traffic", "calls", "tps"]) {
            return .load
        }
        return .other
    }

    /// Whether a metric measures what is left rather than what is used (`free`, `idle`, `available`).
    public static func isHeadroom(_ metric: String) -> Bool {
        let words = metric.lowercased().split { !$0.isLetter && !$0.isNumber }
        return words.contains { ["free", "idle", "available", "avail", "remaining", "headroom"].contains($0) }
    }
}
