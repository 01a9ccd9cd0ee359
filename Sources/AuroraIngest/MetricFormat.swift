/// The metric dump formats aurora reads. Sniffed from content unless forced (`--format`).
///
/// Sniffing looks at the first bytes: `{` starts JSON (a Prometheus API response when it holds
/// `"resultType"` or `"status"`, CloudWatch output when it holds `"MetricDataResults"`, else JSON
/// lines); otherwise the first line that is not a comment decides: `name{…} value` or `name value` is
/// the exposition format, `measurement[,tags] field=value` is InfluxDB line protocol, anything else is
/// CSV, whose header picks NAB, long or wide (see each case).
///
/// Everywhere: timestamps are ISO 8601 (no zone = UTC), `YYYY-MM-DD HH:MM:SS`, or Unix epoch numbers
/// whose unit follows from magnitude (< 10^11 s, < 10^14 ms, < 10^17 µs, else ns); values are
/// decimals with optional exponent; `NaN`, `Inf`, `+Inf`, `-Inf` (any case) are counted and skipped,
/// never stored as numbers.
package enum MetricFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// NAB-style CSV `timestamp,value`; the series name is the file name without its extension
    /// (`stdin` for standard input unless `IngestOptions.seriesName` says otherwise). Also chosen for a
    /// header-less two-column file.
    case nabCSV = "nab"
    /// Long CSV: `timestamp,metric,value` plus any label columns (one point per row); `name`,
    /// `__name__` and `metric_name` also name the metric column; an empty label cell means no label.
    case longCSV = "long"
    /// Wide CSV: a timestamp column and one column per series. Headers are plain metric names,
    /// Prometheus notation (`"cpu{service=""api""}"`, quoted as CSV requires), or mapped by
    /// `IngestOptions.columnsTemplate`. Empty cells are missing points, not errors.
    case wideCSV = "wide"
    /// JSON lines: one `{"ts":…,"metric":…,"labels":{…},"value":…}` object per line.
    case jsonLines = "jsonl"
    /// Prometheus HTTP API response of `query_range` (matrix) or `query` (vector), exactly as `curl`
    /// prints it. The series name is `__name__`; results of expressions without one are named `query`
    /// (or `IngestOptions.seriesName`). An `"status":"error"` response is reported as an error.
    case prometheusJSON = "prometheus-json"
    /// Prometheus / OpenMetrics text exposition, one or more scrapes concatenated. Samples need a
    /// timestamp (or `IngestOptions.defaultTimestamp`); `# TYPE` marks counters for `rate`.
    case exposition = "prometheus"
    /// InfluxDB line protocol. Every numeric field becomes a series `measurement_field` with the tags
    /// as labels: `home,room=Kitchen temp=21.0,hum=35.9 1641024000000000000` gives
    /// `home_temp{room="Kitchen"}` and `home_hum{room="Kitchen"}`. Integers (`1i`, `1u`) are values,
    /// booleans are 1/0, string fields are skipped and counted (`InputReport.skippedNonNumeric`).
    case influx = "influx"
    /// AWS CloudWatch `get-metric-data` JSON output: each `MetricDataResults` entry is a series named
    /// by its `Label` (its `Id` when the label is empty) with label `id` = `Id`.
    case cloudWatch = "cloudwatch"

    /// The name used on the command line (`--format long`).
    package var description: String { rawValue }

    /// The format named on the command line (`--format long`), accepting a few common aliases.
    package init?(name: String) {
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
