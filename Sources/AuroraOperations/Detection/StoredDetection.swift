import AuroraCore
import AuroraDetection
import AuroraStore
import Foundation

/// Detection of stored series (`aurora detect` with no files, and the first step of every healing
/// pass): scores stored series from their watermark on, saves detector state, and records events —
/// never reporting the same point twice, even with several runs at once.
package enum StoredDetection {
    /// What one pass over the stored series found.
    package struct Outcome: Sendable {
        /// The new anomaly events (recorded unless the pass did not store).
        package var events: [AnomalyEvent]
        /// Series that had new points.
        package var scoredSeries: Int
        /// Series another aurora scored meanwhile (their points are reported by that run).
        package var skipped: Int
        /// The new points scored, per series (for pictures of the events).
        package var series: [Series] = []
        /// Events set aside because their peak lay inside their own expected range.
        package var setAside = 0
    }

    /// Scores new points of every stored series; with `store`, records events, groups them into
    /// incidents and advances the watermarks, all in one transaction. `serviceLabel` names the label
    /// that carries an event's service.
    package static func detect(detection: DetectionRun, store shouldStore: Bool, serviceLabel: String = "service",
                               context: OperationsContext) async throws -> Outcome {
        let db = context.store.database
        let detectorKey = "ensemble:" + (detection.detectors ?? detection.settings.ensembleMembers).joined(separator: ",")
        var inputs: [(stored: StoredSeries, series: Series, watermark: Int64?, state: [UInt8]?)] = []
        try db.read { db in
            for stored in try SeriesStore.list(in: db) {
                let saved = try AnomalyEventStore.state(seriesID: stored.id, detector: detectorKey, in: db)
                let from = saved.map { $0.watermark + 1 }
                let series = try SeriesStore.load(stored, from: from, in: db)
                guard !series.isEmpty else { continue }
                inputs.append((stored, series, saved?.watermark, saved?.state))
            }
        }
        var states: [SeriesKey: [UInt8]] = [:]
        for input in inputs { if let state = input.state { states[input.series.key] = state } }
        let results = try await detection.run(inputs.map(\.series), states: states)
        var events: [AnomalyEvent] = []
        var skipped = 0
        var setAside = 0
        let now = context.clock.now()
        if !shouldStore {
            (events, setAside) = EventBounds.prepare(results.flatMap(\.events), series: inputs.map(\.series))
        } else {
            let grouping = try IncidentGrouping(configuration: context.configuration)
            try db.write { db in
                for (input, result) in zip(inputs, results) {
                    // Another aurora may have scored these points meanwhile: only the first run to
                    // advance the watermark reports them.
                    let current = try AnomalyEventStore.state(seriesID: input.stored.id, detector: detectorKey, in: db)?.watermark
                    guard current == input.watermark else { skipped += 1; continue }
                    guard let last = input.series.timestamps.last else { continue }
                    try AnomalyEventStore.saveState(seriesID: input.stored.id, detector: detectorKey, watermark: last,
                                                    state: result.state, in: db)
                    events += result.events
                }
                (events, setAside) = EventBounds.prepare(events, series: inputs.map(\.series))
                // When, in the data's own time, each event was detected: the newest point of its series
                // this pass scored, so detection latency is measured on the data's clock.
                var dataNow: [SeriesKey: Int64] = [:]
                for input in inputs { if let last = input.series.timestamps.last { dataNow[input.series.key] = last } }
                let records = events.map { event in
                    AnomalyRecord(seriesKey: event.series.description, service: event.service ?? event.series[label: serviceLabel], start: event.start,
                                  end: event.end, peakTime: event.peakTimestamp, peakValue: event.peakValue,
                                  expectedLow: event.expectedLow, expectedHigh: event.expectedHigh, score: event.score,
                                  detectors: event.detectors.joined(separator: ","),
                                  recorded: dataNow[event.series].map { Date(unixMilliseconds: $0) } ?? now, source: "stored")
                }
                let added = try AnomalyEventStore.record(records, in: db)
                if added > 0 {
                    try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "anomaly.published",
                                                   subject: "stored series", detail: Plural.count(added, "event"), outcome: "recorded"), to: db)
                }
                try IncidentStore.groupUnassignedEvents(by: grouping, at: now, in: db)
            }
        }
        return Outcome(events: events, scoredSeries: inputs.count, skipped: skipped, series: inputs.map(\.series), setAside: setAside)
    }
}
