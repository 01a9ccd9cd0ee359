import AuroraCore
import AuroraPrometheus
import AuroraStore
import Foundation

/// One pass's reading of the live source: each query from its watermark (or from `backfill` ago at
/// the first start) to now, stored with the watermark moved in the same transaction, so that a
/// restart neither skips nor re-reads points. A query that failed keeps its watermark: its points
/// are read by a later pass. A series that was in a query's last answer and is missing from this one
/// is the absent-data signal (a NaN is only a gap), recorded as an anomaly event: one per service
/// whose series left the same answer (`Disappearance`), not one per series; a series gone again within
/// the incident gap of the unresolved incident of its last departure extends that event (`AbsenceStore`).
/// The last answer's series (the baseline) are kept in the database (`PresenceBaselineStore`) and
/// compared in the transaction that stores the answer, so a new process (`aurora watch --once` from
/// cron, a restarted watcher) goes on from what the previous one saw, and two never report one departure.
///
/// A long catch-up (the watcher was stopped, or a large `watch.backfill`) is read in consecutive
/// sub-windows sized so that each answer holds about `pointBudget` points (series known from the
/// query's previous answer × steps), each stored with its watermark before the next is asked, and a
/// failure half-way keeps what was stored. The budget is shared by every query behind (`SubWindowPlan`):
/// one round asks each of them for its next sub-window, and the round's answers together hold about
/// `pointBudget` points, so memory stays bounded however many queries catch up at once. At most
/// `maximumRoundsPerPass` rounds are read per pass, so that detection and alerts still run during a
/// long catch-up; the next pass goes on from the watermark.
package struct LiveIngest {
    /// What one pass read and stored.
    package struct Outcome: Sendable {
        /// Every sub-window's reports merged into one per query asked (series are stored, not kept).
        package var pull: PrometheusPull.Result
        package var stored: StoreWriteSummary
        /// Series present in the answers this pass.
        package var seriesWatched: Int
        /// Series that disappeared this pass.
        package var disappeared: [SeriesKey]
        /// The same, as the absent-data events recorded: one per query and service.
        package var absences: [Disappearance] = []
        /// Queries still behind after this pass (their catch-up goes on next pass).
        package var catchingUp: [CatchUp]

        /// Until when every query still catching up has been read (Unix ms): the source's points are
        /// complete up to there, and only some queries' go further. nil when none is behind. A query that
        /// failed is not waited for: it is not behind, it is failing (and said so).
        package var completeThrough: Int64? { catchingUp.map(\.readUntil).min() }
    }

    /// A query whose catch-up did not finish in one pass.
    package struct CatchUp: Sendable, Equatable {
        package var query: PrometheusQuery
        /// Sub-windows read this pass.
        package var read: Int
        /// Sub-windows read this pass plus those still to read, as estimated now.
        package var total: Int
        /// How far what is stored lags the pass's time (ms): from the last step read to now.
        package var behind: Int64
        /// The end of what is stored (Unix ms): the next pass reads from one step after it.
        package var readUntil: Int64
    }

    package let pull: PrometheusPull
    /// Seconds of history read at the first start.
    package let backfill: Double
    /// Points one round's answers are planned to hold together.
    package var pointBudget = PrometheusClient.answerPointBudget
    /// The incident gap (`diagnosis.incident-gap`, ms): a series gone again within it of the unresolved
    /// incident of its last departure extends that departure's event (`AbsenceStore`).
    package var incidentGap: Int64 = 300_000
    /// Rounds (one sub-window of each query behind) read per pass at most during a catch-up.
    package var maximumRoundsPerPass = Self.roundsPerPass
    /// The default of `maximumRoundsPerPass`: about 6 million points a pass at the default budget.
    package static let roundsPerPass = 8
    /// Series assumed for a query never answered yet: its first sub-window stays small whatever it returns.
    package static let assumedSeries = 10_000
    /// How old a stored baseline may be and still be compared (ms; 0: any age). An answer ending later
    /// than this after it only replaces it: a series that stopped before the watcher's retention (it was
    /// stopped that long) is history, not news. The watcher passes `watch.retention`.
    package var baselineLifetime: Int64 = 0
    /// This process's copy of each query's stored baseline (by query text), used while it is current.
    private var baselines: [String: PresenceBaseline] = [:]
    /// The series each query answered last time (the absent-data baseline), as this process last read or stored it.
    package var lastSeen: [String: Set<SeriesKey>] { baselines.mapValues(\.series) }
    /// Series in each query's latest answer: the size estimate of its next sub-window.
    private var seriesCounts: [String: Int] = [:]
    /// The same from the stored baselines, for queries this process has not read yet.
    private var storedCounts: [String: Int] = [:]
    /// Slices of the series whose recent points are settled into the stored history in turn, one each
    /// round: a series' points wait at most this many rounds (see `SeriesStore.settleRecentPoints`).
    /// Eight: each series' newest history page is rewritten once every eight passes instead of every
    /// pass, while the recent table stays at a few passes of points.
    package static let recentPointSlices = 8

    /// Creates the reader.
    package init(pull: PrometheusPull, backfill: Double) {
        self.pull = pull
        self.backfill = backfill
    }

    /// Keeps what a reader being replaced (a reload) knew of each query: its copy of the stored baselines
    /// (still checked against the store) and the size of each query's answers.
    package mutating func keepBaseline(from previous: LiveIngest) {
        baselines = previous.baselines
        seriesCounts = previous.seriesCounts
    }

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

    /// What each query still has to read, with the series its latest answer held (the size estimate).
    private func demands(_ remaining: [Int: ClosedRange<Int64>]) -> [SubWindowPlan.Demand] {
        remaining.map { index, window in
            let text = pull.source.queries[index].query
            return SubWindowPlan.Demand(index: index, window: window,
                                        series: seriesCounts[text] ?? storedCounts[text] ?? Self.assumedSeries)
        }
    }

    /// Reads and stores one pass's points.
    package mutating func pass(store: Store, now: Date) async throws -> Outcome {
        let step = pull.source.stepMilliseconds
        let (watermarks, counts) = try store.database.read { db in
            (try WatchStateStore.watermarks(in: db), try PresenceBaselineStore.seriesCounts(in: db))
        }
        storedCounts = counts
        var remaining = Self.windows(queries: pull.source.queries, watermarks: watermarks, now: now.unixMilliseconds,
                                     backfill: backfill, step: step)
        var merged: [Int: PrometheusPull.QueryReport] = [:]
        var rounds: [Int: Int] = [:]
        var stored = StoreWriteSummary()
        var absences: [Disappearance] = []
        var watched: [String: Int] = [:]
        for _ in 0..<max(1, maximumRoundsPerPass) where !remaining.isEmpty {
            // Each query's next sub-window, all of them together within one answer's budget.
            let next = SubWindowPlan.round(demands(remaining), budget: pointBudget, step: step)
            let result = await pull.fetch(only: next)
            let round = try storeRound(result, remaining: &remaining, store: store, now: now, step: step)
            stored.add(round.stored)
            absences += round.absences
            watched.merge(round.watched) { _, latest in latest }
            for report in result.queries {
                rounds[report.index, default: 0] += 1
                merged[report.index] = merged[report.index].map { $0.merged(with: report) } ?? report
            }
        }
        let catchingUp = demands(remaining).sorted { $0.index < $1.index }.map { demand in
            let left = SubWindowPlan.roundsLeft(demand, behind: remaining.count, budget: pointBudget, step: step)
            return CatchUp(query: pull.source.queries[demand.index], read: rounds[demand.index] ?? 0,
                           total: (rounds[demand.index] ?? 0) + left, behind: demand.window.upperBound - (demand.window.lowerBound - step),
                           readUntil: demand.window.lowerBound - step)
        }
        let reports = merged.sorted { $0.key < $1.key }.map(\.value)
        return Outcome(pull: PrometheusPull.Result(series: [], queries: reports), stored: stored,
                       seriesWatched: watched.values.reduce(0, +), disappeared: absences.flatMap(\.series), absences: absences,
                       catchingUp: catchingUp)
    }

    /// Stores one round's answers and moves each answered query's watermark, in one transaction that
    /// also compares each complete answer with the query's stored baseline and records what disappeared;
    /// updates what is left to read.
    private mutating func storeRound(_ result: PrometheusPull.Result, remaining: inout [Int: ClosedRange<Int64>], store: Store,
                                     now: Date, step: Int64) throws -> (stored: StoreWriteSummary, absences: [Disappearance], watched: [String: Int]) {
        var answers: [Answer] = []
        var counts = seriesCounts
        var left = remaining
        for report in result.queries {
            guard report.error == nil, let rest = left[report.index] else {
                // A failed query keeps its watermark and waits for the next pass.
                left[report.index] = nil
                continue
            }
            // Only a window that holds at least one step can tell that a series is gone.
            guard let last = PrometheusClient.windows(start: report.window.lowerBound, end: report.window.upperBound, step: step).last else {
                left[report.index] = nil
                continue
            }
            counts[report.query.query] = report.seriesKeys.count
            // Until the catch-up is complete, its sub-windows together are the answer.
            let complete = report.window.upperBound >= rest.upperBound
            answers.append(Answer(query: report.query.query, series: report.seriesKeys, until: last.upperBound, complete: complete))
            left[report.index] = complete ? nil : (last.upperBound + step)...rest.upperBound
        }
        let configured = Set(pull.source.queries.map(\.query))
        let known = baselines
        let lifetime = baselineLifetime
        let gap = incidentGap
        // Deferred: a power loss can take back only points, watermarks and baselines together, which the
        // next pass fetches and compares again.
        let written = try store.database.write(durability: .deferred) { db -> Written in
            var written = Written(stored: try SeriesStore.store(result.series, serviceLabel: "service", at: now, recent: true, in: db))
            try SeriesStore.settleNextRecentSlice(of: Self.recentPointSlices, in: db)
            try PresenceBaselineStore.forget(queriesOtherThan: configured, in: db)
            for answer in answers {
                try WatchStateStore.advanceWatermark(query: answer.query, to: answer.until, at: now, in: db)
                guard answer.complete else {
                    written.watched[answer.query] = try PresenceBaselineStore.noteCatchUp(query: answer.query, answered: answer.series, at: now, in: db)
                    continue
                }
                guard let replaced = try PresenceBaselineStore.replace(query: answer.query, answered: Set(answer.series), through: answer.until,
                                                                       known: known[answer.query], at: now, in: db) else {
                    // The stored baseline is as of this answer's end or later (another process stored it): not news.
                    written.watched[answer.query] = answer.series.count
                    continue
                }
                written.baselines[answer.query] = replaced.current
                written.watched[answer.query] = replaced.current.series.count
                guard let previous = replaced.previous, lifetime <= 0 || answer.until - previous.asOf <= lifetime else { continue }
                written.absences += Disappearance.group(Array(previous.series.subtracting(replaced.current.series)), query: answer.query,
                                                        since: previous.asOf + step)
            }
            for absence in written.absences { try AbsenceStore.record(absence.record(now: now), gap: gap, at: now, in: db) }
            return written
        }
        // Only once stored: a failed write leaves this process's copy as it was, like the watermarks.
        baselines.merge(written.baselines) { _, latest in latest }
        for query in baselines.keys where !configured.contains(query) { baselines[query] = nil }
        seriesCounts = counts
        remaining = left
        return (written.stored, written.absences, written.watched)
    }

    /// One query's answer in a round: a sub-window of a catch-up, or complete.
    private struct Answer {
        var query: String
        var series: [SeriesKey]
        /// The end of its last step: the query's new watermark.
        var until: Int64
        var complete: Bool
    }

    /// What one round's transaction wrote.
    private struct Written {
        var stored: StoreWriteSummary
        var absences: [Disappearance] = []
        var watched: [String: Int] = [:]
        var baselines: [String: PresenceBaseline] = [:]
    }
}
