import AuroraCore

/// Turns a query's answer into aurora's series: the name is the query's `metric` (else the series'
/// `__name__`, else the fallback), the labels are the series' own (without `__name__`), and the
/// service named by the query's service label is carried as `service`, the label the store reads.
/// `NaN` and `±Inf` samples are dropped and counted, as every other ingest path does: a NaN is a
/// value that could not be computed, a gap for the detectors; a series missing from the answer is
/// another signal altogether (see `SeriesPresence`).
package enum SeriesMapping {
    /// The series of one answer.
    package struct Mapped: Sendable, Equatable {
        /// aurora's series.
        package var series: [Series]
        /// Samples dropped because they were `NaN` or `±Inf`.
        package var nonFinite: Int
        /// Series without a service (no service label): stored, but diagnosis cannot place them.
        package var withoutService: Int
    }

    /// The label a query's service comes from, for one series: the configured label, else `service`,
    /// else `job`.
    package static func service(of labels: [String: String], query: PrometheusQuery) -> String? {
        if let label = query.serviceLabel { return labels[label] }
        return labels["service"] ?? labels["job"]
    }

    /// Maps an answer. `fallbackName` names series that have neither a configured metric nor `__name__`
    /// (an aggregation drops it).
    package static func map(_ answer: QueryAnswer, query: PrometheusQuery, fallbackName: String) -> Mapped {
        var result = Mapped(series: [], nonFinite: 0, withoutService: 0)
        for item in answer.series {
            var labels = item.labels
            let name = query.metric ?? labels["__name__"] ?? fallbackName
            labels["__name__"] = nil
            if let service = service(of: item.labels, query: query) {
                labels["service"] = service
            } else {
                result.withoutService += 1
            }
            if let role = query.role { labels["role"] = role }
            var series = Series(key: SeriesKey(name: name, labels: labels))
            series.timestamps.reserveCapacity(item.values.count)
            series.values.reserveCapacity(item.values.count)
            for (timestamp, value) in zip(item.timestamps, item.values) {
                if value.isFinite {
                    series.append(timestamp: timestamp, value: value)
                } else {
                    result.nonFinite += 1
                }
            }
            result.series.append(series)
        }
        return result
    }
}
