import AuroraCore
import AuroraStore
import Foundation

/// Everything one incident's HTML page shows, read from the database in one transaction.
struct IncidentReport {
    /// One ranked root-cause candidate, as the recorded diagnosis has it.
    struct Candidate {
        var rank: Int
        var service: String
        var metric: String?
        var cause: String
        var confidence: Double
        /// False when the candidate rests on series that stopped reporting: its confidence (0) is no measurement.
        var confidenceMeasured: Bool
        var tier: String
        var remediation: String?
        var evidence: [String]
    }

    /// One charted series: its points around the incident and the events on it.
    struct Chart {
        var series: Series
        var events: [AnomalyRecord]
    }

    var incident: IncidentRecord
    var charts: [Chart]
    var candidates: [Candidate]
    var remediations: [RemediationRecord]
    var timeline: [TimelineEntry]
    var generated: Date

    /// How much of each series to show on either side of the incident: enough baseline to see what
    /// normal looked like and the recovery after.
    static func margin(for incident: IncidentRecord) -> Int64 { max(30 * 60_000, (incident.end - incident.start) * 2) }

    static func load(_ id: Int64, store: Store, now: Date) throws -> IncidentReport {
        try store.database.read { db in
            guard let incident = try IncidentStore.get(id, in: db) else {
                throw SimpleFailure(.noInput, "no incident \(id) (see `aurora incidents list`)")
            }
            let events = try AnomalyEventStore.events(incident: id, in: db)
            let margin = margin(for: incident)
            let keys = Set(events.map(\.seriesKey))
            var charts: [Chart] = []
            for stored in try SeriesStore.list(in: db, where: { keys.contains($0.description) }) {
                let series = try SeriesStore.load(stored, from: incident.start - margin, to: incident.end + margin, in: db)
                charts.append(Chart(series: series, events: events.filter { $0.seriesKey == stored.key.description }))
            }
            charts.sort { ($0.events.map(\.start).min() ?? 0, $0.series.key) < ($1.events.map(\.start).min() ?? 0, $1.series.key) }
            let remediations = try RemediationStore.list(in: db).filter { $0.incident == String(id) }
            return IncidentReport(incident: incident, charts: charts, candidates: candidates(incident.diagnosis),
                                  remediations: remediations, timeline: try IncidentStore.timeline(id, in: db), generated: now)
        }
    }

    /// The candidates of the recorded diagnosis (stored as the JSON `aurora diagnose --json` prints).
    static func candidates(_ json: String?) -> [Candidate] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let list = object["candidates"] as? [[String: Any]] else { return [] }
        return list.map { item in
            Candidate(rank: item["rank"] as? Int ?? 0, service: item["service"] as? String ?? "?",
                      metric: item["metric"] as? String, cause: item["cause"] as? String ?? "",
                      confidence: item["confidence"] as? Double ?? 0, confidenceMeasured: item["confidenceMeasured"] as? Bool ?? true, tier: item["tier"] as? String ?? "",
                      remediation: item["remediation"] as? String,
                      evidence: (item["evidence"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String })
        }
    }
}
