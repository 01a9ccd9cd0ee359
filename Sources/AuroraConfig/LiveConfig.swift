import AuroraCore
import AuroraPrometheus

/// The `sources`, `watch` and `alertmanager` sections: where `aurora watch` and
/// `aurora ingest --prometheus` read live metrics, how often, and where incidents are published.
extension ConfigSchema {
    /// One query under `sources.prometheus.queries`.
    static let prometheusQueryKeys: [ConfigKey] = [
        ConfigKey("query", .string, "the PromQL query (required)."),
        ConfigKey("metric", .string, "aurora's metric name for its series (default: each series' __name__)."),
        ConfigKey("service-label", .string, "the label that names the service (default: service, then job)."),
        ConfigKey("role", .choice(["latency", "errors", "cpu", "memory", "saturation", "load", "disk", "other"]),
                  "a diagnosis role, kept as the series' `role` label (otherwise inferred from the metric name)."),
    ]

    /// `aurora.sources.prometheus`.
    static let prometheusKeys: [ConfigKey] = [
        ConfigKey("url", .string, "base URL of a Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir, VictoriaMetrics).",
                  example: "http://127.0.0.1:9090"),
        ConfigKey("headers", .map(.string), "headers sent with every query; ${NAME} reads a secret from aurora's environment (redacted everywhere).",
                  example: "{ Authorization: \"Bearer ${PROM_TOKEN}\" }"),
        ConfigKey("timeout", .duration, default: "10s", "time one request may take; 5xx, 429 and timeouts are retried with back-off."),
        ConfigKey("step", .duration, default: "15s", "resolution of query_range (match the scrape interval)."),
        ConfigKey("queries", .list(.object(prometheusQueryKeys)), "the queries whose series aurora watches.", example: """
            - query: 'histogram_quantile(0.99, sum by (le, service) (rate(http_request_duration_seconds_bucket[1m])))'
              metric: latency_p99
              service-label: service
              role: latency
            """),
    ]

    /// `aurora.sources`.
    package static let sourcesKeys: [ConfigKey] = [
        ConfigKey("prometheus", .object(prometheusKeys), "a Prometheus HTTP API to read live metrics from."),
    ]

    /// `aurora.watch`.
    package static let watchKeys: [ConfigKey] = [
        ConfigKey("interval", .duration, default: "15s", "time between passes of `aurora watch` (a slow pass delays the next)."),
        ConfigKey("backfill", .duration, default: "2h", "history fetched at the first start, so that the detectors are warm."),
        ConfigKey("lease-ttl", .duration, default: "60s", "a watcher whose heartbeat is older than this is dead: its lease may be taken over."),
        ConfigKey("listen", .string, "address of the webhook listener (also --listen), e.g. 127.0.0.1:9095."),
        ConfigKey("webhook-service-label", .string, default: "service", "the label of an Alertmanager alert that names its service."),
        ConfigKey("webhook-token-env", .string, "an environment variable holding the bearer token webhooks must carry (none: no token)."),
        ConfigKey("webhook-body-limit", .integer(min: 1024, max: 64 << 20), default: "1048576", "largest webhook body accepted, in bytes."),
        ConfigKey("retention", .duration, default: "7d",
                  "stored points older than this are deleted as the watcher runs (0 keeps everything); at least diagnosis.history-window."),
    ]

    /// `aurora.alertmanager`.
    package static let alertmanagerKeys: [ConfigKey] = [
        ConfigKey("url", .string, "base URL of Alertmanager; every open incident is posted to its API v2.", example: "http://127.0.0.1:9093"),
        ConfigKey("headers", .map(.string), "headers sent with every post; ${NAME} reads a secret from aurora's environment."),
        ConfigKey("timeout", .duration, default: "5s", "time one post may take (the loop never waits longer for Alertmanager)."),
        ConfigKey("labels", .map(.string), "labels added to every alert.", example: "{ team: sre }"),
    ]
}

/// Settings of `aurora watch`.
package struct WatchSettings: Sendable, Equatable {
    /// Seconds between passes.
    package var interval: Double
    /// Seconds of history fetched at the first start.
    package var backfill: Double
    /// Seconds after which a silent watcher's lease expires.
    package var leaseTTL: Double
    /// `host:port` of the webhook listener.
    package var listen: String?
    /// The alert label that names a service.
    package var webhookServiceLabel: String
    /// The environment variable with the webhook bearer token.
    package var webhookTokenVariable: String?
    /// The largest webhook body, in bytes.
    package var webhookBodyLimit: Int
    /// Seconds of stored points kept (older ones are pruned each pass); 0 keeps everything.
    package var retention: Double
}

/// Where and how incidents are published.
package struct AlertmanagerSettings: Sendable, Equatable {
    package var url: String
    package var headers: [HeaderTemplate]
    package var timeout: Double
    package var labels: [String: String]
}

extension Configuration {
    /// `sources.prometheus`, or nil when no URL is configured.
    package var prometheusSource: PrometheusSource? {
        get throws {
            guard let url = try optionalText("sources.prometheus.url") else { return nil }
            let queries = (value("sources.prometheus.queries")?.list ?? []).compactMap { item -> PrometheusQuery? in
                guard let text = item.value(at: "query")?.string else { return nil }
                return PrometheusQuery(query: text, metric: item.value(at: "metric")?.string,
                                       serviceLabel: item.value(at: "service-label")?.string, role: item.value(at: "role")?.string)
            }
            return PrometheusSource(
                url: url, headers: headers(at: "sources.prometheus.headers"),
                timeout: try seconds("sources.prometheus.timeout"),
                stepMilliseconds: Int64((try seconds("sources.prometheus.step") * 1000).rounded()),
                queries: queries)
        }
    }

    /// `watch`.
    package var watch: WatchSettings {
        get throws {
            WatchSettings(
                interval: try seconds("watch.interval"),
                backfill: try seconds("watch.backfill"),
                leaseTTL: try seconds("watch.lease-ttl"),
                listen: try optionalText("watch.listen"),
                webhookServiceLabel: try text("watch.webhook-service-label"),
                webhookTokenVariable: try optionalText("watch.webhook-token-env"),
                webhookBodyLimit: try integer("watch.webhook-body-limit"),
                retention: try seconds("watch.retention"))
        }
    }

    /// `alertmanager`, or nil when no URL is configured.
    package var alertmanager: AlertmanagerSettings? {
        get throws {
            guard let url = try optionalText("alertmanager.url") else { return nil }
            var labels: [String: String] = [:]
            for (name, label) in value("alertmanager.labels")?.pairs ?? [] { labels[name] = label.string }
            return AlertmanagerSettings(url: url, headers: headers(at: "alertmanager.headers"),
                                        timeout: try seconds("alertmanager.timeout"), labels: labels)
        }
    }

    private func headers(at path: String) -> [HeaderTemplate] {
        (value(path)?.pairs ?? []).compactMap { name, text in text.string.map { HeaderTemplate(name: name, value: $0) } }
    }
}
