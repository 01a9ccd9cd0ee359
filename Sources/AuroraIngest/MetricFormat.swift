/// The metric dump formats aurora reads. Sniffed from content unless forced (`--format`).
public enum MetricFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// NAB-style CSV `timestamp,value`; the series name is the file name without its extension.
    case nabCSV = "nab"
    /// Long CSV: `timestamp,metric,value` plus any label columns (one point per row).
    case longCSV = "long"
    /// Wide CSV: a timestamp column and one column per series.
    case wideCSV = "wide"
    /// JSON lines: one `{"ts":…,"metric":…,"labels":{…},"value":…}` object per line.
    case jsonLines = "jsonl"
    /// Prometheus HTTP API response of `query_range` (matrix) or `query` (vector).
    case prometheusJSON = "prometheus-json"
    /// Prometheus / OpenMetrics text exposition, one or more scrapes concatenated.
    case exposition = "prometheus"
    /// InfluxDB line protocol.
    case influx = "influx"
    /// AWS CloudWatch `get-metric-data` JSON output.
    case cloudWatch = "cloudwatch"

    public var description: String { rawValue }

    /// The format named on the command line (`--format long`), accepting a few common aliases.
    public init?(name: String) {
        switch name.lowercased() {
        case "nab", "nab-csv", "csv": self = .nabCSV
        case "long", "long-csv": self = .longCSV
        case "wide", "wide-csv": self = .wideCSV
        case "jsonl", "json-lines", "ndjson": self = .jsonLines
        case "prometheus-json", "prom-json", "promql": self = .prometheusJSON
        case "prometheus", "openmetrics", "exposition", "prom": self = .exposition
        case "influx", "influxdb", "line-protocol": self = .influx
        case "cloudwatch", "aws": self = .cloudWatch
        default: return nil
        }
    }

    /// Whether the format is one JSON document parsed as a whole (not line by line).
    var isDocument: Bool { self == .prometheusJSON || self == .cloudWatch }
}
