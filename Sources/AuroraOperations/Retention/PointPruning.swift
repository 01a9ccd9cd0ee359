import AuroraCore
import AuroraStore
import Foundation

/// What a prune did (or, dry, would do).
package struct PruneReport: Sendable, Equatable {
    /// Points deleted (dry run: that would be deleted).
    package var points: Int
    /// Series that lost points.
    package var series: Int
    /// Points strictly older than this went.
    package var cutoff: Date
    package var dryRun: Bool

    package init(points: Int, series: Int, cutoff: Date, dryRun: Bool) {
        self.points = points
        self.series = series
        self.cutoff = cutoff
        self.dryRun = dryRun
    }
}

/// Deletes stored points older than a cutoff: `aurora watch` with `watch.retention`, and `aurora db prune`.
///
/// One write transaction per batch of at most `batchSize` points of one series, so that the write lock is
/// held for milliseconds and operators' commands on the same database are not kept waiting. Points a
/// series' detectors have not scored yet are kept (see `PointRetentionStore`). Freed pages are not given
/// back to the file system: SQLite reuses them for the points that arrive next, which is what a watcher
/// with a steady retention needs (a database that shrank would only grow back); `VACUUM` reclaims them
/// when an operator wants the file smaller.
package enum PointPruning {
    /// Points per transaction: a few milliseconds of deleting on a clustered primary key.
    package static let batchSize = 5_000

    package static func prune(olderThan cutoff: Date, dryRun: Bool, store: Store, batchSize: Int = batchSize) throws -> PruneReport {
        let limit = cutoff.unixMilliseconds
        let candidates = try store.database.read { try PointRetentionStore.candidates(olderThan: limit, in: $0) }
        var report = PruneReport(points: 0, series: 0, cutoff: cutoff, dryRun: dryRun)
        for (series, seriesCutoff) in candidates {
            var deleted = 0
            if dryRun {
                deleted = try store.database.read { try PointRetentionStore.count(series: series, olderThan: seriesCutoff, in: $0) }
            } else {
                while true {
                    let batch = try store.database.write {
                        try PointRetentionStore.delete(series: series, olderThan: seriesCutoff, limit: batchSize, in: $0)
                    }
                    deleted += batch
                    if batch < batchSize { break }
                }
            }
            report.points += deleted
            if deleted > 0 { report.series += 1 }
        }
        return report
    }
}
