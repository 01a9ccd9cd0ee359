import AuroraCore
import AuroraStore
import Foundation

/// Series of one query that disappeared from the same answer, for one service: one absent-data
/// signal, recorded as one anomaly event.
///
/// Series vanish together when what exports them stops being scraped (a target down, a scrape that
/// times out, an exporter restarting): one cause, however many series. Recorded one event per series,
/// a target of 10,000 series that stopped answering twice within the incident gap made one incident of
/// 20,000 events (measured against a real Prometheus), which no one can read and whose diagnosis picks
/// a service at random. Per service, as an operator groups alerts (Alertmanager's `group_by`): the
/// incident still names every service that lost series, and each event says how many it stands for.
package struct Disappearance: Sendable, Equatable {
    /// The query whose answer they left.
    package var query: String
    /// Their service (the `service` label), nil for series without one.
    package var service: String?
    /// The series, sorted; the first is the one the event is recorded for.
    package var series: [SeriesKey]
    /// Since when they are missing: the start of the answer they are missing from (Unix ms).
    package var since: Int64

    /// The series the event is recorded for.
    package var representative: SeriesKey { series[0] }

    /// One disappearance per service of `keys`, all missing from `query`'s answer since `since`, by service.
    package static func group(_ keys: [SeriesKey], query: String, since: Int64) -> [Disappearance] {
        // Services in order, series without one last.
        Dictionary(grouping: keys) { $0[label: "service"] }
            .sorted { ($0.key == nil ? 1 : 0, $0.key ?? "") < ($1.key == nil ? 1 : 0, $1.key ?? "") }
            .map { Disappearance(query: query, service: $0.key, series: $0.value.sorted(), since: since) }
    }

    /// What the event's `source` says: how many series it stands for.
    package var source: String {
        series.count == 1 ? "prometheus: series disappeared"
            : "prometheus: \(series.count) series\(service.map { " of \($0)" } ?? "") disappeared"
    }

    /// The log's line for it.
    package var summary: String {
        guard series.count > 1 else { return "series \(representative) disappeared from the source's answers" }
        return "\(series.count) series\(service.map { " of service \($0)" } ?? " without a service") disappeared from the source's answers "
            + "(\(representative) and \(series.count - 1) more): one absent-data event"
    }

    /// The log's lines for one pass's disappearances: each on its own when a query lost the series of
    /// one service, one line per query when it lost several services' (a target of thousands of series
    /// that stopped answering is one line, not one per service).
    package static func summaries(of absences: [Disappearance]) -> [(text: String, absences: [Disappearance])] {
        var queries: [String] = []
        var byQuery: [String: [Disappearance]] = [:]
        for absence in absences {
            if byQuery[absence.query] == nil { queries.append(absence.query) }
            byQuery[absence.query, default: []].append(absence)
        }
        return queries.flatMap { query -> [(text: String, absences: [Disappearance])] in
            let lost = byQuery[query] ?? []
            guard lost.count > 1 else { return lost.map { ($0.summary, [$0]) } }
            let services = lost.map { $0.service ?? "(none)" }
            let named = services.count <= 3 ? services.joined(separator: ", ")
                : services.prefix(3).joined(separator: ", ") + " and \(services.count - 3) more"
            let series = lost.reduce(0) { $0 + $1.series.count }
            return [("\(series) series of \(query) disappeared from the source's answers, \(lost.count) services (\(named)): "
                     + "one absent-data event per service", lost)]
        }
    }

    /// The anomaly event that records it, ending `now`.
    package func record(now: Date) -> AnomalyRecord {
        AnomalyRecord(seriesKey: representative.description, service: service, start: since, end: now.unixMilliseconds,
                      peakTime: now.unixMilliseconds, peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 1,
                      detectors: AbsenceStore.detector, recorded: now, source: source)
    }
}
