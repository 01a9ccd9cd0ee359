import AuroraCore
import AuroraPrometheus
import AuroraStore
import Foundation

/// One pass's reading of the live source: each query from its watermark (or from `backfill` ago at
/// the first start) to now, stored with the watermark moved in the same transaction, so that a
/// restart neither skips nor re-reads points. A query that failed keeps its watermark: its points
/// are read by a later pass. A series that was in a query's last answer and is missing from this one
/// is the absent-data signal, recorded as an anomaly event of its own (a NaN is only a gap).
package struct LiveIngest {
    /// What one pass read and stored.
    package struct Outcome: Sendable {
        package var pull: PrometheusPull.Result
        package var stored: StoreWriteSummary
        /// Series present in the answers this pass.
        package var seriesWatched: Int
        /// Series that disappeared this pass.
        package var disappeared: [SeriesKey]
    }

    package let pull: PrometheusPull
    /// Seconds of history read at the first start.
    package let backfill: Double
    /// The series each query answered last time (the absent-data baseline), by query text.
    package private(set) var lastSeen: [String: Set<SeriesKey>] = [:]

    /// Creates the reader.
    package init(pull: PrometheusPull, backfill: Double) {
        self.pull = pull
        self.backfill = backfill
    }

    /// Keeps the absent-data baseline of a reader being replaced (a reload with the same queries).
    package mutating func keepBaseline(from previous: LiveIngest) { lastSeen = previous.lastSeen }

    /// The window of each query (by index): from one step after its watermark to `now`.
    package static func windows(queries: [PrometheusQuery], watermarks: [String: Int64], now: Int64, backfill: Double,
                               step: Int64) -> [Int: ClosedRange<Int64>] {
        var windows: [Int: ClosedRange<Int64>] = [:]
        for (index, query) in queries.enumerated() {
            let start = watermarks[query.query].map { $0 + step } ?? now - Int64(backfill * 1000)
            windows[index] = min(start, now)...now
        }
        return windows
    }

    /// Reads and stores one pass's points.
    package mutating func pass(store: Store, now: Date) async throws -> Outcome {
        let step = pull.source.stepMilliseconds
        let watermarks = try store.database.read { try WatchStateStore.watermarks(in: $0) }
        let windows = Self.windows(queries: pull.source.queries, watermarks: watermarks, now: now.unixMilliseconds,
                                   backfill: backfill, step: step)
        let result = await pull.fetch(window: now.unixMilliseconds...now.unixMilliseconds, windows: windows)
        var disappeared: [(SeriesKey, Int64)] = []
        var watched = 0
        for report in result.queries where report.error == nil {
            let present = Set(report.seriesKeys)
            watched += present.count
            // Only a window that holds at least one step can tell that a series is gone.
            let asked = PrometheusClient.windows(start: report.window.lowerBound, end: report.window.upperBound, step: step)
            guard !asked.isEmpty else { continue }
            if let previous = lastSeen[report.query.query] {
                for key in previous.subtracting(present).sorted() { disappeared.append((key, report.window.lowerBound)) }
            }
            lastSeen[report.query.query] = present
        }
        let stored = try store.database.write { db -> StoreWriteSummary in
            let summary = try SeriesStore.store(result.series, serviceLabel: "service", at: now, in: db)
            for report in result.queries where report.error == nil {
                guard let last = PrometheusClient.windows(start: report.window.lowerBound, end: report.window.upperBound, step: step).last else {
                    continue
                }
                try WatchStateStore.advanceWatermark(query: report.query.query, to: last.upperBound, at: now, in: db)
            }
            if !disappeared.isEmpty {
                try AnomalyEventStore.record(disappeared.map { key, since in
                    AnomalyRecord(seriesKey: key.description, service: key[label: "service"], start: since, end: now.unixMilliseconds,
                                  peakTime: now.unixMilliseconds, peakValue: 0, expectedLow: nil, expectedHigh: nil, score: 1,
                                  detectors: "absent", recorded: now, source: "prometheus: series disappeared")
                }, in: db)
            }
            return summary
        }
        return Outcome(pull: result, stored: stored, seriesWatched: watched, disappeared: disappeared.map(\.0))
    }
}
