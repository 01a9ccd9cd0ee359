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

    /// Series scored together: their points, saved states and new states are in memory at once. A
    /// detector's state is some 20 KB, so ten thousand series at once held over half a gigabyte; in
    /// groups of this size a pass stays small whatever the number of series.
    static let chunkSize = 256

    /// Scores new points of every stored series; with `store`, records events and advances the
    /// watermarks (each group of series in one transaction with its events, so that a state is never
    /// saved without the events its points produced), then groups the events into incidents.
    /// `serviceLabel` names the label that carries an event's service; events that ended before
    /// `groupingHorizon` (Unix ms) are no longer grouped (see `IncidentGrouping.horizon`).
    package static func detect(detection: DetectionRun, store shouldStore: Bool, serviceLabel: String = "service",
                               groupingHorizon: Int64? = nil, context: OperationsContext) async throws -> Outcome {
        let db = context.store.database
        let detectorKey = "ensemble:" + (detection.detectors ?? detection.settings.ensembleMembers).joined(separator: ",")
        let stored = try db.read { try SeriesStore.list(in: $0) }
        var outcome = Outcome(events: [], scoredSeries: 0, skipped: 0)
        var added = 0
        for first in stride(from: 0, to: stored.count, by: chunkSize) {
            let chunk = stored[first..<min(first + chunkSize, stored.count)]
            let part = try await detectChunk(chunk, detection: detection, detectorKey: detectorKey, store: shouldStore,
                                             serviceLabel: serviceLabel, context: context)
            outcome.events += part.outcome.events
            outcome.scoredSeries += part.outcome.scoredSeries
            outcome.skipped += part.outcome.skipped
            outcome.series += part.outcome.series
            outcome.setAside += part.outcome.setAside
            added += part.added
        }
        if shouldStore {
            let now = context.clock.now()
            var grouping = try IncidentGrouping(configuration: context.configuration)
            grouping.horizon = groupingHorizon
            try db.write { db in
                if added > 0 {
                    try AuditLog.append(AuditEntry(at: now, actor: context.actor, action: "anomaly.published",
                                                   subject: "stored series", detail: Plural.count(added, "event"), outcome: "recorded"), to: db)
                }
                // Also picks up events a pass that stopped half-way recorded without grouping them.
                try IncidentStore.groupUnassignedEvents(by: grouping, at: now, in: db)
            }
        }
        return outcome
    }

    /// One group of series: read their new points and states, score, and (with `store`) save the states
    /// and record the events in one transaction. Returns the group's outcome and how many events it added.
    static func detectChunk(_ chunk: ArraySlice<StoredSeries>, detection: DetectionRun, detectorKey: String, store shouldStore: Bool,
                            serviceLabel: String, context: OperationsContext) async throws -> (outcome: Outcome, added: Int) {
        let db = context.store.database
        var inputs: [(stored: StoredSeries, series: Series, watermark: Int64?, state: [UInt8]?)] = []
        try db.read { db in
            for stored in chunk {
                let saved = try AnomalyEventStore.state(seriesID: stored.id, detector: detectorKey, in: db)
                let from = saved.map { $0.watermark + 1 }
                let series = try SeriesStore.load(stored, from: from, in: db)
                guard !series.isEmpty else { continue }
                inputs.append((stored, series, saved?.watermark, saved?.state))
            }
        }
        guard !inputs.isEmpty else { return (Outcome(events: [], scoredSeries: 0, skipped: 0), 0) }
        var states: [SeriesKey: [UInt8]] = [:]
        for index in inputs.indices {
            if let state = inputs[index].state { states[inputs[index].series.key] = state }
            inputs[index].state = nil
        }
        let results = try await detection.run(inputs.map(\.series), states: states)
        states = [:]
        var events: [AnomalyEvent] = []
        var skipped = 0
        var setAside = 0
        var added = 0
        let now = context.clock.now()
        if !shouldStore {
            (events, setAside) = EventBounds.prepare(results.flatMap(\.events), series: inputs.map(\.series))
        } else {
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
                added = try AnomalyEventStore.record(records, in: db)
            }
        }
        return (Outcome(events: events, scoredSeries: inputs.count, skipped: skipped, series: inputs.map(\.series), setAside: setAside), added)
    }
}
