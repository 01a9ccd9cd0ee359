import AuroraConfig
import AuroraCore
import AuroraStore
import AuroraTestSupport
import AuroraWatch
import Foundation
import Testing

/// `aurora watch --once` (one pass, as from cron) when the catch-up takes more than one pass: it says
/// how far behind it still is (log line, JSON fields, the metrics gauge), exits 0, and the next run goes
/// on from the watermark without a gap or a duplicate. The watcher runs in-process against a fake
/// Prometheus, with a catch-up pace lowered so that 100 s of ten series take two passes.
@Suite struct WatchOnceCatchUpTests {
    /// One `aurora watch --once --log-format json --metrics-textfile …` run; returns how it ended, its
    /// log lines (parsed) and the textfile.
    static func once(_ store: Store, folder: TemporaryDirectory, clock: FixedClock) async throws
        -> (ending: WatchLoop.Ending, log: [[String: Any]], metrics: String) {
        let lines = Lines()
        let log = WatchLog(format: .json, clock: clock, write: { lines.append($0) })
        var options = WatchLoop.Options(once: true, metricsTextfile: folder.file("aurora.prom"))
        options.catchUpPointBudget = 50
        options.catchUpRoundsPerPass = 20
        let configuration = try WatchAbsenceAcrossProcessesTests.configuration(query: "m", backfill: "100s")
        let loop = try WatchLoop(store: store, configuration: configuration, configurationPath: nil, loadConfiguration: { _ in configuration },
                                 environment: [:], workingDirectory: folder.path, clock: clock,
                                 transport: CatchUpTests.server(CatchUpTests.names(10)), options: options, log: log)
        let lease = LeaseKeeper(path: store.path, ttl: 60, clock: clock)
        _ = try lease.claim(in: store)
        let ending = await loop.run(lease: lease)
        let parsed = lines.all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        return (ending, parsed, try String(contentsOfFile: folder.file("aurora.prom"), encoding: .utf8))
    }

    static func gauge(_ metrics: String) -> String? {
        metrics.split(separator: "\n").first { $0.hasPrefix("aurora_watch_source_behind_seconds ") }.map { String($0.split(separator: " ")[1]) }
    }

    @Test func aSecondRunGoesOnFromTheWatermarkAndTheFirstSaysHowFarBehindItIs() async throws {
        let folder = try TemporaryDirectory("aurora-once")
        defer { folder.remove() }
        let store = try Store(path: folder.file("a.db"))
        let clock = FixedClock(CatchUpTests.start)

        // First run: one step of the unknown query, then 19 rounds of 5 steps: 96 of the 101 steps.
        let first = try await Self.once(store, folder: folder, clock: clock)
        #expect(first.ending == .stopped, "nothing failed: exit 0")
        let behind = try #require(first.log.first { $0["event"] as? String == "behind" }, "\(first.log)")
        #expect(behind["level"] as? String == "warning")
        #expect(behind["behind_seconds"] as? Int == 5 && behind["queries_behind"] as? Int == 1)
        let until = CivilTime.iso(CatchUpTests.start.unixMilliseconds - 5_000)
        #expect(behind["read_until"] as? String == until)
        #expect(behind["msg"] as? String == "still 5s behind the source: 1 of 1 query catching up, all read up to \(until); "
                + "run aurora watch --once again to go on from there")
        let source = try #require(first.log.first { ($0["msg"] as? String)?.hasPrefix("catching up") == true })
        #expect(source["msg"] as? String == "catching up: 20 of 21 windows of m read, up to \(until), 5s behind")
        #expect(Self.gauge(first.metrics) == "5")
        #expect(try CatchUpTests.storedTimestamps(store).values.allSatisfy { $0.count == 96 })

        // Second run, a new process at the same time: it reads the last five steps, says nothing of being behind.
        let second = try await Self.once(store, folder: folder, clock: clock)
        #expect(second.ending == .stopped)
        #expect(!second.log.contains { $0["event"] as? String == "behind" }, "\(second.log)")
        #expect(Self.gauge(second.metrics) == "0")
        let stored = try CatchUpTests.storedTimestamps(store)
        let expected = Array(stride(from: CatchUpTests.start.unixMilliseconds - 100_000, through: CatchUpTests.start.unixMilliseconds, by: 1_000))
        #expect(stored.count == 10 && stored.values.allSatisfy { $0 == expected }, "every step once, no gap, no duplicate")
    }
}

/// Lines a log wrote, collected across threads.
private final class Lines: @unchecked Sendable {
    // Unchecked: every access holds `lock`.
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
