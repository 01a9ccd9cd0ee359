/// Prometheus' naming convention for counters: a metric whose name ends in `_total` only rises
/// (prometheus.io/docs/practices/naming). Every reader without a `# TYPE` line to go by, the
/// exposition writer and the stored-series counter note use this one rule.
package enum CounterName {
    package static let suffix = "_total"

    /// Whether the metric's name declares it a counter.
    package static func declares(_ metric: some StringProtocol) -> Bool { metric.hasSuffix(suffix) }

    /// The OpenMetrics family of a `_total` sample (`requests` for `requests_total`), nil for other names.
    package static func family(of metric: String) -> String? {
        declares(metric) ? String(metric.dropLast(suffix.count)) : nil
    }
}
