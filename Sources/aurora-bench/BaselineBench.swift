import AuroraCore
import AuroraStore
import Foundation

/// The absent-data baseline `aurora watch` keeps in the database (`PresenceBaselineStore`), for one
/// query of 10,000 series (keys of Prometheus' usual shape, about 100 bytes): storing it the first
/// time, a pass whose answer is unchanged (the watcher's own copy still current), the same read by a
/// new process (`--once`, a restart: every series read back), a pass where one service of 100 series
/// stopped, a catch-up's sub-window marking its series, and the space it takes. Each figure is the transaction that a pass runs it in.
enum BaselineBench {
    static func run(_ options: BenchOptions) async throws {
        let count = options.quick ? 1_000 : 10_000
        let path = options.workDirectory.appendingPathComponent("baseline.db").path
        let store = try Store(path: path)
        let keys = (0..<count).map { index in
            SeriesKey(name: "http_request_duration_seconds_bucket", labels: [
                "instance": "10.0.\(index / 250).\(index % 250):9100", "job": "api", "le": "0.25", "service": "svc\(index / 100)",
            ])
        }
        let answer = Set(keys)
        let query = "http_request_duration_seconds_bucket"
        var clock: Int64 = 1_700_000_000_000
        func replace(_ series: Set<SeriesKey>, known: PresenceBaseline?) throws -> PresenceBaselineStore.Replacement? {
            clock += 15_000
            let now = Date(unixMilliseconds: clock)
            // As the watcher writes it: in the pass's transaction, whose commit does not wait for the disk.
            return try store.database.write(durability: .deferred) { try PresenceBaselineStore.replace(query: query, answered: series, through: clock, known: known, at: now, in: $0) }
        }
        var known: PresenceBaseline?
        let stored = try measureSeconds { known = try replace(answer, known: nil)?.current }
        report("baseline: first store of \(count) series", milliseconds(stored))
        var unchanged: [Double] = []
        for _ in 0..<5 { unchanged.append(try measureSeconds { known = try replace(answer, known: known)?.current }) }
        report("baseline: unchanged answer, own copy current (median of 5)", milliseconds(median(unchanged)))
        var fresh: [Double] = []
        for _ in 0..<5 { fresh.append(try measureSeconds { known = try replace(answer, known: nil)?.current }) }
        report("baseline: unchanged answer, read by a new process (median of 5)", milliseconds(median(fresh)))
        let stopped = answer.filter { $0[label: "service"] != "svc0" }
        var gone = 0
        let departure = try measureSeconds {
            let replaced = try replace(stopped, known: known)
            gone = (replaced?.previous?.series.count ?? 0) - (replaced?.current.series.count ?? 0)
        }
        report("baseline: \(gone) series of one service gone", milliseconds(departure))
        // A catch-up's sub-windows: each marks its series (the first marks them all, the next find them marked).
        let first = try measureSeconds {
            _ = try store.database.write(durability: .deferred) { try PresenceBaselineStore.noteCatchUp(query: query, answered: keys, at: Date(), in: $0) }
        }
        let next = try measureSeconds {
            _ = try store.database.write(durability: .deferred) { try PresenceBaselineStore.noteCatchUp(query: query, answered: keys, at: Date(), in: $0) }
        }
        report("baseline: catch-up sub-window of \(count) series, first / next", "\(milliseconds(first)) / \(milliseconds(next))")
        let bytes = try store.database.scalar("""
            SELECT sum(pgsize) FROM dbstat WHERE name IN ('watch_baseline_series', 'watch_baselines', 'sqlite_autoindex_watch_baselines_1')
            """)?.int64
        report("baseline: stored size", bytes.map { "\($0 / 1024) KiB" } ?? "(dbstat not available)")
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
}
