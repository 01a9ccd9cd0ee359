import AuroraCore
import AuroraPrometheus

/// Pulls every configured query of a Prometheus source over a window and maps the answers to
/// aurora's series: what `aurora ingest --prometheus` stores and what each `aurora watch` pass reads.
public struct PrometheusPull: Sendable {
    /// What one query gave.
    public struct QueryReport: Sendable {
        public var query: PrometheusQuery
        public var window: ClosedRange<Int64>
        /// Series in the answer.
        public var series: Int
        /// Finite samples kept.
        public var points: Int
        /// `NaN`/`±Inf` samples dropped.
        public var nonFinite: Int
        /// The server's warnings: the data is partial.
        public var warnings: [String]
        /// Why the query gave nothing, when it failed.
        public var error: PrometheusError?
        /// The labels of every series in the answer (for the absent-data signal).
        public var seriesKeys: [SeriesKey]
    }

    /// The result of a pull.
    public struct Result: Sendable {
        /// Series of every successful query.
        public var series: [Series]
        /// One report per query, in configuration order.
        public var queries: [QueryReport]

        /// The failures.
        public var errors: [PrometheusError] { queries.compactMap(\.error) }
        /// Whether any answer was partial.
        public var isPartial: Bool { queries.contains { !$0.warnings.isEmpty } }
        /// Finite points read.
        public var points: Int { queries.reduce(0) { $0 + $1.points } }
    }

    public let source: PrometheusSource
    public let client: PrometheusClient

    /// A pull over `client` for `source`'s queries.
    public init(source: PrometheusSource, client: PrometheusClient) {
        self.source = source
        self.client = client
    }

    /// A pull whose client sends through `transport`, with headers resolved from `environment`.
    /// Returns the resolved secrets too, for redaction.
    public static func make(source: PrometheusSource, transport: any HTTPTransport, environment: [String: String],
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
    public func fetch(window: ClosedRange<Int64>, windows: [Int: ClosedRange<Int64>] = [:]) async -> Result {
        let requests = source.queries.enumerated().map { index, query in (query, windows[index] ?? window) }
        let outcomes = await QueryFetcher(client: client).fetch(requests, step: source.stepMilliseconds)
        var result = Result(series: [], queries: [])
        for outcome in outcomes {
            var report = QueryReport(query: outcome.query, window: outcome.window, series: 0, points: 0, nonFinite: 0,
                                     warnings: [], error: nil, seriesKeys: [])
            switch outcome.result {
            case .success(let answer):
                let mapped = SeriesMapping.map(answer, query: outcome.query, fallbackName: "query_\(outcome.index + 1)")
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
