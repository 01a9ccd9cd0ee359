import AuroraCore
import AuroraDetection
import AuroraStore
import Foundation

/// Events `aurora detect` found in files, written down: the series they came from (so `aurora diagnose`
/// can analyse them), the detectors' watermarks, the events, the audit entry, and the incidents they
/// group into — one transaction.
package enum DetectedEvents {
    /// Records `events` from `source` and returns which incident each joined.
    @discardableResult
    package static func record(_ events: [AnomalyEvent], series: [Series], source: String, scored: ScoredSeries? = nil,
                               serviceLabel: String, context: OperationsContext) throws -> EventIncidents {
        let now = context.clock.now()
        // When, in the data's own time, each event was detected: the last point of its series this run
        // read (a dump analysed today was still "detected" at the end of the dump). Detection latency
        // and the incident's detection time are then measured on one clock.
        let dataNow = Dictionary(series.compactMap { item in item.timestamps.last.map { (item.key, $0) } }, uniquingKeysWith: max)
        let records = events.map { event in
            AnomalyRecord(event, serviceLabel: serviceLabel,
                          recorded: dataNow[event.series].map { Date(unixMilliseconds: $0) } ?? now, source: source)
        }
        let grouping = try IncidentGrouping(configuration: context.configuration)
        return try context.store.database.write { db in
            _ = try SeriesStore.store(series, serviceLabel: serviceLabel, at: now, in: db)
            if let scored { try scored.saveWatermarks(in: db) }
            let added = try AnomalyEventStore.record(records, in: db)
            if added > 0 {
                try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "anomaly.published",
                                               subject: source, detail: Plural.count(added, "event"), outcome: "recorded"), to: db)
            }
            try IncidentStore.groupUnassignedEvents(by: grouping, at: now, in: db)
            return try EventIncidents.look(up: events, in: db)
        }
    }
}

/// Series scored from a file, with the detectors' state after their last point: stored with the
/// points, so that the next plain `aurora detect` continues after them instead of reporting the
/// same events again.
package struct ScoredSeries {
    package var detector: String
    package var series: [Series]
    package var states: [[UInt8]]

    package init(detector: String, series: [Series], states: [[UInt8]]) {
        self.detector = detector
        self.series = series
        self.states = states
    }

    func saveWatermarks(in db: Database) throws {
        let stored = Dictionary(try SeriesStore.list(in: db).map { ($0.key, $0.id) }, uniquingKeysWith: { a, _ in a })
        for (item, state) in zip(series, states) {
            guard let id = stored[item.key], let last = item.timestamps.last else { continue }
            // A watermark only moves forward: a file of older points must not make the next run
            // score again what an earlier run already reported.
            if let current = try AnomalyEventStore.watermark(seriesID: id, detector: detector, in: db), current >= last { continue }
            try AnomalyEventStore.saveState(seriesID: id, detector: detector, watermark: last, state: state, in: db)
        }
    }
}

/// Which incident each reported event joined, and the services of those incidents.
package struct EventIncidents {
    package var byEvent: [String: Int64] = [:]
    package var services: [Int64: Set<String>] = [:]
    /// False with --no-store: nothing was grouped, so no event "opened no incident".
    package var recorded = false

    package init() {}

    package func incident(of event: AnomalyEvent) -> Int64? { byEvent["\(event.series.description)@\(event.start)"] }

    /// Looks the events up after they were recorded and grouped (inside the same transaction).
    package static func look(up events: [AnomalyEvent], in db: Database) throws -> EventIncidents {
        var result = EventIncidents()
        result.recorded = true
        result.byEvent = try AnomalyEventStore.incidents(of: events.map { ($0.series.description, $0.start) }, in: db)
        for id in Set(result.byEvent.values) {
            result.services[id] = Set((try IncidentStore.get(id, in: db)?.services ?? []).filter { !$0.isEmpty })
        }
        return result
    }
}
