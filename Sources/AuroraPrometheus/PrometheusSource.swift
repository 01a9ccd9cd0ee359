import AuroraCore

/// Where aurora reads live metrics: a Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir,
/// VictoriaMetrics) and the queries whose answers become aurora's series. `sources.prometheus` in
/// the configuration; the mapping from YAML lives in AuroraConfig.
package struct PrometheusSource: Sendable, Equatable {
    /// The API's base URL, without `/api/v1`.
    package var url: String
    /// Header templates, in order; values may hold `${NAME}` references to aurora's environment.
    package var headers: [HeaderTemplate]
    /// Seconds one request may take.
    package var timeout: Double
    /// Resolution of `query_range`, in milliseconds.
    package var stepMilliseconds: Int64
    /// The queries.
    package var queries: [PrometheusQuery]

    /// Creates a source.
    package init(url: String, headers: [HeaderTemplate] = [], timeout: Double = 10, stepMilliseconds: Int64 = 15_000,
                queries: [PrometheusQuery] = []) {
        self.url = url
        self.headers = headers
        self.timeout = timeout
        self.stepMilliseconds = stepMilliseconds
        self.queries = queries
    }
}

/// One PromQL query and how its answers map to aurora's series.
package struct PrometheusQuery: Sendable, Equatable, Hashable {
    /// The PromQL text.
    package var query: String
    /// aurora's metric name for its series (default: each series' `__name__`).
    package var metric: String?
    /// The label that names the service (default: `service`, then `job`).
    package var serviceLabel: String?
    /// A diagnosis role (`latency`, `errors`, …); otherwise inferred from the name as for any series.
    package var role: String?

    /// Creates a query.
    package init(query: String, metric: String? = nil, serviceLabel: String? = nil, role: String? = nil) {
        self.query = query
        self.metric = metric
        self.serviceLabel = serviceLabel
        self.role = role
    }

    /// How the query is named in messages: its metric name when it has one, and its text.
    package var displayName: String {
        let text = query.count > 120 ? String(query.prefix(117)) + "…" : query
        return metric.map { "\($0) (\(text))" } ?? text
    }
}
