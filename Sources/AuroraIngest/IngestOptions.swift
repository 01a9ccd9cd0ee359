import AuroraCore

/// What to read and how. Every field has the default an operator would expect.
package struct IngestOptions: Sendable {
    /// Forces a format instead of sniffing each input's content.
    package var format: MetricFormat?
    /// Keep only series matching at least one of these selectors (all series when empty).
    package var match: [SeriesSelector]
    /// Keep only points at or after this Unix time in milliseconds.
    package var since: Int64?
    /// Keep only points strictly before this Unix time in milliseconds.
    package var until: Int64?
    /// Count and report malformed lines instead of failing on the first one.
    package var skipBadLines: Bool
    /// Turn counters into per-second rates (resets handled). Counters are the series a Prometheus
    /// exposition declares `# TYPE … counter` (and histogram/summary `_bucket`, `_count`, `_sum`), and in
    /// formats without types, metrics named `…_total` as Prometheus naming conventions require; and
    /// series of any name whose values have a counter's shape (`CounterShape`).
    package var rate: Bool
    /// Template mapping wide CSV column headers to series, e.g. `{service}_{metric}`. Placeholders are
    /// label names; `{metric}` (or `{__name__}`) is the metric name; `{service}` fills the service label.
    package var columnsTemplate: String?
    /// The label that ties a series to a service (`service` unless the operator's metrics use another).
    package var serviceLabel: String
    /// Timestamp for exposition and line-protocol samples written without one (Unix ms); without it
    /// such samples are an error, because aurora never guesses the time of a scrape.
    package var defaultTimestamp: Int64?
    /// Keeps points in file order with duplicates and non-finite values as written (no sorting,
    /// dedupe, rate or window filter): for scoring one output row per input row.
    package var keepFileOrder: Bool
    /// Series name for NAB CSV read from bytes without a file name (stdin); the file stem otherwise.
    package var seriesName: String?
    /// How many bad-line messages the report keeps verbatim (the rest are only counted).
    package var keptBadLineMessages: Int
    /// Largest accepted line, so a file without newlines cannot exhaust memory.
    package var maxLineBytes: Int
    /// Largest size a gzip input may inflate to (16 GiB by default).
    package var maxInflatedBytes: Int = InflationLimit.standard.maxBytes
    /// Largest inflated ÷ compressed ratio of a gzip input, judged past its first 16 MiB (100 by
    /// default: text metrics compress 3–15 times; more is a decompression bomb).
    package var maxInflationRatio: Int = InflationLimit.standard.maxRatio
    var inflationLimit: InflationLimit {
        InflationLimit(maxBytes: maxInflatedBytes, maxRatio: maxInflationRatio, ratioGrace: InflationLimit.standard.ratioGrace)
    }
    /// Called after every chunk read (4 MiB), for a progress line on a terminal.
    package var progress: (@Sendable (IngestProgress) -> Void)?

    /// Options with defaults: sniff the format, keep everything, fail on the first bad line.
    package init(format: MetricFormat? = nil, match: [SeriesSelector] = [], since: Int64? = nil, until: Int64? = nil,
                skipBadLines: Bool = false, rate: Bool = false, columnsTemplate: String? = nil,
                serviceLabel: String = "service", defaultTimestamp: Int64? = nil, keepFileOrder: Bool = false,
                seriesName: String? = nil, keptBadLineMessages: Int = 20, maxLineBytes: Int = 64 << 20,
                progress: (@Sendable (IngestProgress) -> Void)? = nil) {
        self.format = format
        self.match = match
        self.since = since
        self.until = until
        self.skipBadLines = skipBadLines
        self.rate = rate
        self.columnsTemplate = columnsTemplate
        self.serviceLabel = serviceLabel
        self.defaultTimestamp = defaultTimestamp
        self.keepFileOrder = keepFileOrder
        self.seriesName = seriesName
        self.keptBadLineMessages = keptBadLineMessages
        self.maxLineBytes = maxLineBytes
        self.progress = progress
    }
}
