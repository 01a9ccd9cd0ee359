import AuroraCore
import AuroraPrometheus

/// Pulls every configured query of a Prometheus source over a window and maps the answers to
/// aurora's series: what `aurora ingest --prometheus` stores and what each `aurora watch` pass reads.
package struct PrometheusPull: Sendable {
    /// What one query gave.
    package struct QueryReport: Sendable {
        package var query: PrometheusQuery
        /// Its position in the configuration.
        package var index: Int
        package var window: ClosedRange<Int64>
        /// Series in the answer.
        package var series: Int
        /// Finite samples kept.
        package var points: Int
        /// `NaN`/`±Inf` samples dropped.
        package var nonFinite: Int
        /// The server's warnings: the data is partial.
        package var warnings: [String]
        /// Why the query gave nothing, when it failed.
        package var error: PrometheusError?
        /// The labels of every series in the answer (for the absent-data signal).
        package var seriesKeys: [SeriesKey]
    }

    /// The result of a pull.
    package struct Result: Sendable {
        /// Series of every successful query.
        package var series: [Series]
        /// One report per query, in configuration order.
        package var queries: [QueryReport]

        /// The failures.
        package var errors: [PrometheusError] { queries.compactMap(\.error) }
        /// Whether any answer was partial.
        package var isPartial: Bool { queries.contains { !$0.warnings.isEmpty } }
        /// Finite points read.
        package var points: Int { queries.reduce(0) { $0 + $1.points } }
    }

    package let source: PrometheusSource
    package let client: PrometheusClient

    /// A pull over `client` for `source`'s queries.
    package init(source: PrometheusSource, client: PrometheusClient) {
        self.source = source
        self.client = client
    }

    /// A pull whose client sends through `transport`, with headers resolved from `environment`.
    /// Returns the resolved secrets too, for redaction.
    package static func make(source: PrometheusSource, transport: any HTTPTransport, environment: [String: String],
                            retry: BackoffPolicy = BackoffPolicy()) throws -> (pull: PrometheusPull, secrets: [String]) {
        let resolved: (headers: [HTTPHeaderField], secrets: [String])
        do {
            resolved = try SecretHeaders.resolve(source.headers, environment: environment)
        } catch {
            throw SimpleFailure(.configuration, "sources.prometheus.\(error.description)")
        }
        let client = PrometheusClient(baseURL: source.url, headers: resolved.headers, timeout: source.timeout,
                                      transport: transport, retry: retry)
        return (PrometheusPull(source: source, client: client), resolved.secrets)
    }

    /// Fetches each query over its window (all over `window` when `windows` has no entry for it).
    package func fetch(window: ClosedRange<Int64>, windows: [Int: ClosedRange<Int64>] = [:]) async -> Result {
        var all: [Int: ClosedRange<Int64>] = [:]
        for index in source.queries.indices { all[index] = windows[index] ?? window }
        return await fetch(only: all)
    }

    /// Fetches only the queries (by configuration index) that `windows` names, each over its window;
    /// reports in configuration order.
    package func fetch(only windows: [Int: ClosedRange<Int64>]) async -> Result {
        let indices = source.queries.indices.filter { windows[$0] != nil }
        let requests = indices.map { (source.queries[$0], windows[$0]!) }
        let outcomes = await QueryFetcher(client: client).fetch(requests, step: source.stepMilliseconds)
        var result = Result(series: [], queries: [])
        for outcome in outcomes {
            let index = indices[outcome.index]
            var report = QueryReport(query: outcome.query, index: index, window: outcome.window, series: 0, points: 0, nonFinite: 0,
                                     warnings: [], error: nil, seriesKeys: [])
            switch outcome.result {
            case .success(let answer):
                let mapped = SeriesMapping.map(answer, query: outcome.query, fallbackName: "query_\(index + 1)")
                report.series = mapped.series.count
                report.points = mapped.series.reduce(0) { $0 + $1.count }
                report.nonFinite = mapped.nonFinite
                report.warnings = answer.warnings
                report.seriesKeys = mapped.series.map(\.key)
                result.series += mapped.series
            case .failure(let error):
                report.error = error
            }
            result.queries.append(report)
        }
        return result
    }
}
