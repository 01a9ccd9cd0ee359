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
    /// groups of this size a pass stays small whatever the number of series (some 25 MB a group when
    /// every series saves its state), and each group's transaction serves 512 series.
    static let chunkSize = 512

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

    /// Points between two checkpoints of a series' detector state. Between checkpoints a run saves only
    /// the watermark and the next one replays the points since the checkpoint (well under a microsecond
    /// a point): rewriting every series' 20 KB state on every pass was most of a live pass's cost.
    static let checkpointPoints: Int64 = 48

    /// Whether a series saves its state this run, scoring up to `last`. A series with a known step saves
    /// when its data crosses the next multiple of `checkpointPoints` steps, shifted by a phase of its own
    /// (from its id): series fed in step then save in turn, about one in `checkpointPoints / new points`
    /// per pass, instead of all on the same pass. A series without a step saves every
    /// `checkpointPoints` points.
    static func savesCheckpoint(_ series: StoredSeries, checkpoint: Int64, last: Int64, pointsSinceCheckpoint: Int) -> Bool {
        if pointsSinceCheckpoint >= 2 * Int(checkpointPoints) { return true }
        guard let step = series.stepMilliseconds, step > 0, step <= Int64.max / (4 * checkpointPoints) else {
            return pointsSinceCheckpoint >= Int(checkpointPoints)
        }
        let period = step * checkpointPoints
        // Fibonacci hashing spreads consecutive ids evenly over the period.
        let phase = Int64(bitPattern: (UInt64(bitPattern: series.id) &* 0x9E37_79B9_7F4A_7C15) % UInt64(period))
        func slot(_ time: Int64) -> Int64 {
            let shifted = time &+ phase
            return shifted >= 0 ? shifted / period : (shifted - period + 1) / period
        }
        return slot(last) != slot(checkpoint)
    }

    /// One group of series: read their new points (and the points since their checkpoint) and states,
    /// score, and (with `store`) move the watermarks, save the states due and record the events in one
    /// transaction. Returns the group's outcome and how many events it added.
    static func detectChunk(_ chunk: ArraySlice<StoredSeries>, detection: DetectionRun, detectorKey: String, store shouldStore: Bool,
                            serviceLabel: String, context: OperationsContext) async throws -> (outcome: Outcome, added: Int) {
        let db = context.store.database
        var stored: [(series: StoredSeries, watermark: Int64?)] = []
        var inputs: [DetectionInput] = []
        try db.read { db in
            for series in chunk {
                let progress = try AnomalyEventStore.progress(seriesID: series.id, detector: detectorKey, newest: series.last, in: db)
                // Nothing new since the last run: neither its points nor its state are read.
                if let progress, let last = series.last, progress.watermark >= last { continue }
                // No checkpoint (one lost, or inconsistent with the watermark): replay the whole series.
                let checkpoint = progress?.checkpoint.flatMap { $0.at <= progress?.watermark ?? Int64.min ? $0 : nil }
                let from = progress == nil ? nil : checkpoint.map { $0.at + 1 }
                let points = try SeriesStore.load(series, from: from, in: db)
                let replayed = progress.map { firstIndex(after: $0.watermark, in: points.timestamps) } ?? 0
                guard replayed < points.count else { continue }
                let saves = checkpoint.map { checkpoint in
                    savesCheckpoint(series, checkpoint: checkpoint.at, last: points.timestamps.last ?? checkpoint.at, pointsSinceCheckpoint: points.count)
                } ?? true
                inputs.append(DetectionInput(series: points, state: checkpoint?.state, replayed: replayed, savesState: shouldStore && saves))
                stored.append((series, progress?.watermark))
            }
        }
        guard !inputs.isEmpty else { return (Outcome(events: [], scoredSeries: 0, skipped: 0), 0) }
        let results = try await detection.run(inputs)
        // The points scored this run (without the replayed ones): for the events' bounds and pictures.
        let scored = inputs.map { input in
            input.replayed == 0 ? input.series
                : Series(key: input.series.key, timestamps: Array(input.series.timestamps[input.replayed...]),
                         values: Array(input.series.values[input.replayed...]))
        }
        inputs = []
        var events: [AnomalyEvent] = []
        var skipped = 0
        var setAside = 0
        var added = 0
        let now = context.clock.now()
        if !shouldStore {
            (events, setAside) = EventBounds.prepare(results.flatMap(\.events), series: scored)
        } else {
            // Deferred: a power loss can take back only watermarks, checkpoints and events that the next run
            // computes again from the same points; the incidents they make are written by a synced commit,
            // which syncs these first.
            try db.write(durability: .deferred) { db in
                for ((series, watermark), (points, result)) in zip(stored, zip(scored, results)) {
                    guard let last = points.timestamps.last else { continue }
                    // Another aurora may have scored these points meanwhile: only the first run to
                    // advance the watermark reports them.
                    guard try AnomalyEventStore.advanceWatermark(seriesID: series.id, detector: detectorKey, from: watermark, to: last, in: db) else {
                        skipped += 1
                        continue
                    }
                    if !result.state.isEmpty {
                        try AnomalyEventStore.saveCheckpoint(seriesID: series.id, detector: detectorKey, at: last, state: result.state, in: db)
                    }
                    events += result.events
                }
                (events, setAside) = EventBounds.prepare(events, series: scored)
                // When, in the data's own time, each event was detected: the newest point of its series
                // this pass scored, so detection latency is measured on the data's clock.
                var dataNow: [SeriesKey: Int64] = [:]
                for points in scored { if let last = points.timestamps.last { dataNow[points.key] = last } }
                let records = events.map { event in
                    AnomalyRecord(event, serviceLabel: serviceLabel,
                                  recorded: dataNow[event.series].map { Date(unixMilliseconds: $0) } ?? now, source: "stored")
                }
                added = try AnomalyEventStore.record(records, in: db)
            }
        }
        return (Outcome(events: events, scoredSeries: scored.count, skipped: skipped, series: scored, setAside: setAside), added)
    }

    /// The index of the first timestamp after `watermark` (timestamps ascending).
    static func firstIndex(after watermark: Int64, in timestamps: [Int64]) -> Int {
        var low = 0
        var high = timestamps.count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] > watermark { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
